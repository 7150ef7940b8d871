using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Xml;

namespace TorchHub.HelpBuilder;

/// <summary>
/// Writes the MAML file Get-Help reads for compiled cmdlets (&lt;Assembly&gt;.dll-Help.xml), with the
/// elements and attributes PlatyPS's New-ExternalHelp writes for the same pages.
/// </summary>
public static class MamlWriter
{
    private const string Msh = "http://msh";
    private const string Maml = "http://schemas.microsoft.com/maml/2004/10";
    private const string Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private const string Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    public static void Write(IEnumerable<CommandHelp> commands, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var settings = new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false) };
        using var stream = File.Create(path);
        using var xml = XmlWriter.Create(stream, settings);
        Write(commands, xml);
    }

    public static void Write(IEnumerable<CommandHelp> commands, XmlWriter xml)
    {
        xml.WriteStartDocument();
        xml.WriteStartElement("helpItems", Msh);
        xml.WriteAttributeString("schema", "maml");
        foreach (var command in commands.OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase))
            WriteCommand(command, xml);
        xml.WriteEndElement();
        xml.WriteEndDocument();
    }

    private static void WriteCommand(CommandHelp help, XmlWriter xml)
    {
        xml.WriteStartElement("command", "command", Command);
        xml.WriteAttributeString("xmlns", "maml", null, Maml);
        xml.WriteAttributeString("xmlns", "command", null, Command);
        xml.WriteAttributeString("xmlns", "dev", null, Dev);

        var dash = help.Name.IndexOf('-');
        xml.WriteStartElement("details", Command);
        xml.WriteElementString("name", Command, help.Name);
        xml.WriteElementString("verb", Command, dash > 0 ? help.Name[..dash] : help.Name);
        xml.WriteElementString("noun", Command, dash > 0 ? help.Name[(dash + 1)..] : "");
        Description(xml, [help.Synopsis]);
        xml.WriteEndElement();

        Description(xml, help.Description);

        xml.WriteStartElement("syntax", Command);
        foreach (var set in SyntaxSets(help))
        {
            xml.WriteStartElement("syntaxItem", Command);
            xml.WriteElementString("name", Maml, help.Name);
            foreach (var parameter in OrderForSyntax(help.Parameters.Where(p => p.InAllSets || p.ParameterSets.Contains(set, StringComparer.OrdinalIgnoreCase))))
                WriteParameter(parameter, xml, inSyntax: true, set);
            xml.WriteEndElement();
        }
        xml.WriteEndElement();

        xml.WriteStartElement("parameters", Command);
        foreach (var parameter in help.Parameters)
            WriteParameter(parameter, xml, inSyntax: false, set: null);
        xml.WriteEndElement();

        WriteTypes(xml, "inputTypes", "inputType", help.Inputs);
        WriteTypes(xml, "returnValues", "returnValue", help.Outputs);

        xml.WriteStartElement("alertSet", Maml);
        xml.WriteStartElement("alert", Maml);
        foreach (var note in help.Notes) Para(xml, note);
        xml.WriteEndElement();
        xml.WriteEndElement();

        xml.WriteStartElement("examples", Command);
        foreach (var example in help.Examples)
        {
            xml.WriteStartElement("example", Command);
            xml.WriteElementString("title", Maml, ExampleTitle(example.Title));
            // Code and remarks stay apart (platyPS#834): dev:code holds only the commands.
            xml.WriteElementString("code", Dev, string.Join("\n\n", example.Code));
            xml.WriteStartElement("remarks", Dev);
            foreach (var remark in example.Remarks) Para(xml, remark);
            Para(xml, ""); // a blank line before the next example's title, as PlatyPS's output has
            xml.WriteEndElement();
            xml.WriteEndElement();
        }
        xml.WriteEndElement();

        xml.WriteStartElement("relatedLinks", Command);
        if (help.OnlineVersion is { } online) Link(xml, "Online Version:", online);
        foreach (var link in help.Links) Link(xml, link.Text, link.Uri);
        xml.WriteEndElement();

        xml.WriteEndElement();
    }

    /// <summary>Sets named by the parameters, in SYNTAX-heading order; one unnamed set when none is named.</summary>
    private static List<string> SyntaxSets(CommandHelp help)
    {
        var named = help.Parameters.SelectMany(p => p.ParameterSets).Where(s => s != "(All)").Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (named.Count == 0) return ["__AllParameterSets"];
        var ordered = help.SyntaxSets.Where(s => named.Contains(s, StringComparer.OrdinalIgnoreCase)).ToList();
        ordered.AddRange(named.Where(s => !ordered.Contains(s, StringComparer.OrdinalIgnoreCase)));
        return ordered;
    }

    /// <summary>Positional parameters first by position, then the others as the page lists them, WhatIf/Confirm last.</summary>
    private static IEnumerable<ParameterHelp> OrderForSyntax(IEnumerable<ParameterHelp> parameters) =>
        parameters.Select((p, i) => (p, i))
            .OrderBy(x => x.p.Name switch { "WhatIf" => 2, "Confirm" => 3, _ => int.TryParse(x.p.Position, out _) ? 0 : 1 })
            .ThenBy(x => int.TryParse(x.p.Position, out var n) ? n : 0)
            .ThenBy(x => x.i)
            .Select(x => x.p);

    private static void WriteParameter(ParameterHelp p, XmlWriter xml, bool inSyntax, string? set)
    {
        xml.WriteStartElement("parameter", Command);
        var required = p.Required && (set is null || p.InAllSets || p.ParameterSets.Contains(set, StringComparer.OrdinalIgnoreCase));
        xml.WriteAttributeString("required", required ? "true" : "false");
        xml.WriteAttributeString("variableLength", "true");
        xml.WriteAttributeString("globbing", p.Globbing ? "true" : "false");
        xml.WriteAttributeString("pipelineInput", p.PipelineInput);
        xml.WriteAttributeString("position", p.Position.Equals("Named", StringComparison.OrdinalIgnoreCase) ? "named" : p.Position);
        xml.WriteAttributeString("aliases", p.Aliases.Count == 0 ? "none" : string.Join(", ", p.Aliases));
        xml.WriteElementString("name", Maml, p.Name);
        Description(xml, p.Description);
        // A switch shows as [-Name] in syntax; elsewhere its type is shown like any other.
        if (!(inSyntax && p.IsSwitch))
        {
            xml.WriteStartElement("parameterValue", Command);
            xml.WriteAttributeString("required", p.IsSwitch ? "false" : "true");
            xml.WriteAttributeString("variableLength", "false");
            xml.WriteString(p.Type);
            xml.WriteEndElement();
        }
        xml.WriteStartElement("type", Dev);
        xml.WriteElementString("name", Maml, p.Type);
        xml.WriteElementString("uri", Maml, "");
        xml.WriteEndElement();
        xml.WriteElementString("defaultValue", Dev, p.DefaultValue);
        xml.WriteEndElement();
    }

    private static void WriteTypes(XmlWriter xml, string listName, string itemName, IEnumerable<TypeHelp> types)
    {
        xml.WriteStartElement(listName, Command);
        foreach (var type in types)
        {
            xml.WriteStartElement(itemName, Command);
            xml.WriteStartElement("type", Dev);
            xml.WriteElementString("name", Maml, type.TypeName);
            xml.WriteEndElement();
            Description(xml, type.Description);
            xml.WriteEndElement();
        }
        xml.WriteEndElement();
    }

    private static string ExampleTitle(string title)
    {
        const int width = 64;
        var text = $" {title} ";
        if (text.Length >= width - 4) return $"--{text}--";
        var left = (width - text.Length) / 2;
        return new string('-', left) + text + new string('-', width - text.Length - left);
    }

    private static void Description(XmlWriter xml, IEnumerable<string> paragraphs)
    {
        xml.WriteStartElement("description", Maml);
        foreach (var p in paragraphs) Para(xml, p);
        xml.WriteEndElement();
    }

    private static void Para(XmlWriter xml, string text) => xml.WriteElementString("para", Maml, text);

    private static void Link(XmlWriter xml, string text, string uri)
    {
        xml.WriteStartElement("navigationLink", Maml);
        xml.WriteElementString("linkText", Maml, text);
        xml.WriteElementString("uri", Maml, uri);
        xml.WriteEndElement();
    }
}
