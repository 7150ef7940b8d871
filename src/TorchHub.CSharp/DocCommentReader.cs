using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace TorchHub.Hubconf.CSharp.Roslyn;

/// <summary>Turns a method's <c>///</c> comment into its tags' plain text.</summary>
internal static class DocCommentReader
{
    public static CSharpDocComment? Read(MethodDeclarationSyntax method)
    {
        var trivia = method.GetLeadingTrivia()
            .Select(t => t.GetStructure())
            .OfType<DocumentationCommentTriviaSyntax>()
            .ToList();
        if (trivia.Count == 0) return null;

        // The trivia's text minus the "///" (or "/** */") markers is the XML content.
        var raw = string.Join("\n", trivia.SelectMany(t => t.ToFullString().Split('\n'))
            .Select(l => StripMarker(l.TrimEnd('\r')))
            .Where(l => l is not null))
            .Trim('\n');
        XElement doc;
        try
        {
            doc = XElement.Parse("<doc>" + raw + "</doc>", LoadOptions.PreserveWhitespace);
        }
        catch (XmlException)
        {
            return new CSharpDocComment(Dedent(raw), [], null, [], null, raw);
        }

        string? Text(string tag) => doc.Elements(tag).Select(ElementText).FirstOrDefault();
        var @params = doc.Elements("param")
            .Select(p => new KeyValuePair<string, string>((string?)p.Attribute("name") ?? "", ElementText(p)))
            .ToList();
        var examples = doc.Elements("example").Select(ElementText).ToList();
        return new CSharpDocComment(Text("summary"), @params, Text("returns"), examples, Text("remarks"), raw);
    }

    private static string? StripMarker(string line)
    {
        var t = line.TrimStart();
        if (t.StartsWith("///", StringComparison.Ordinal)) return t.Substring(3);
        if (t.StartsWith("/**", StringComparison.Ordinal)) return t.Substring(3).Replace("*/", "");
        if (t.StartsWith("*/", StringComparison.Ordinal)) return null;
        if (t.StartsWith('*')) return t.Substring(1).Replace("*/", "");
        return t.Length == 0 ? null : line;
    }

    private static string ElementText(XElement element)
    {
        var sb = new StringBuilder();
        Append(sb, element);
        return Dedent(sb.ToString());
    }

    private static void Append(StringBuilder sb, XNode node)
    {
        switch (node)
        {
            case XText text:
                sb.Append(text.Value);
                break;
            case XElement e when e.Name.LocalName is "see" or "seealso":
                var target = (string?)e.Attribute("cref") ?? (string?)e.Attribute("langword") ?? (string?)e.Attribute("href");
                if (!e.Nodes().Any()) sb.Append(target is null ? "" : StripCrefPrefix(target));
                else foreach (var child in e.Nodes()) Append(sb, child);
                break;
            case XElement e when e.Name.LocalName is "paramref" or "typeparamref":
                sb.Append((string?)e.Attribute("name"));
                break;
            case XElement e when e.Name.LocalName is "para" or "br":
                sb.Append('\n');
                foreach (var child in e.Nodes()) Append(sb, child);
                sb.Append('\n');
                break;
            case XElement e:
                foreach (var child in e.Nodes()) Append(sb, child);
                break;
        }
    }

    private static string StripCrefPrefix(string cref) =>
        cref.Length > 2 && cref[1] == ':' ? cref.Substring(2) : cref;

    /// <summary>Removes the common indentation and the blank lines around the text.</summary>
    internal static string Dedent(string text)
    {
        var lines = text.Replace("\r", "").Split('\n').Select(l => l.TrimEnd()).ToList();
        while (lines.Count > 0 && lines[0].Length == 0) lines.RemoveAt(0);
        while (lines.Count > 0 && lines[^1].Length == 0) lines.RemoveAt(lines.Count - 1);
        var indent = lines.Where(l => l.Length > 0).Select(l => l.Length - l.TrimStart().Length).DefaultIfEmpty(0).Min();
        return string.Join("\n", lines.Select(l => l.Length >= indent ? l.Substring(indent) : l.TrimStart()));
    }
}
