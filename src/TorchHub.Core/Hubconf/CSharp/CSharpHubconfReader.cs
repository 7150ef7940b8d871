using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using TorchHub.Errors;
using TorchHub.Repositories;

namespace TorchHub.Hubconf.CSharp;

/// <summary>
/// Lists and documents the entrypoints of a hubconf.cs from its syntax tree alone: nothing is
/// compiled or run, so listing an untrusted repository is as safe as reading it.
/// </summary>
internal sealed class CSharpHubconfReader : IHubconfReader
{
    public HubconfLanguage Language => HubconfLanguage.CSharp;

    public string FileName => HubconfSources.FileName;

    public HubconfListing Read(HubRepository repository, CancellationToken cancellationToken = default)
    {
        var path = Path.Combine(repository.Directory, FileName);
        if (!File.Exists(path))
            throw new HubException(HubErrorIds.HubconfNotFound, HubErrorCategory.ObjectNotFound,
                $"'{repository.DisplayName}' has no {FileName}.", repository.DisplayName);
        cancellationToken.ThrowIfCancellationRequested();

        var syntax = RoslynToolchain.Parse(repository, SourceFile.ReadAllText(path, FileName, HubconfSources.MaxBytes), FileName, cancellationToken);
        if (syntax.Errors.Count > 0)
            throw new HubException(HubErrorIds.HubconfParseError, HubErrorCategory.ParserError,
                $"{FileName} of '{repository.DisplayName}' has syntax errors:\n" + string.Join("\n", syntax.Errors.Take(20).Select(e => "  " + e)),
                repository.DisplayName);

        var facts = syntax.Entrypoints.Select(Facts).ToList();
        var byName = facts.GroupBy(f => f.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        return new HubconfListing
        {
            Language = HubconfLanguage.CSharp,
            File = path,
            Entrypoints = facts.Select(f => f.ToEntrypoint(repository)).ToList(),
            Dependencies = syntax.Dependencies,
            Warnings = syntax.Warnings,
            GetHelp = name => byName.TryGetValue(name, out var f) ? f.ToHelp(repository) : null,
        };
    }

    private static EntrypointFacts Facts(CSharpEntrypointSyntax e)
    {
        var text = e.Doc is null ? null : HelpText(e.Doc);
        return new EntrypointFacts
        {
            Name = e.Name,
            Language = HubconfLanguage.CSharp,
            Signature = Signature(e),
            Parameters = e.Parameters,
            File = HubconfSources.FileName,
            Line = e.Line,
            Docstring = text,
            Text = text ?? "",
            Synopsis = Synopsis(e.Doc?.Summary),
            Notes = e.Doc is null ? ["no XML documentation comment"] : [],
        };
    }

    /// <summary>C# form: <c>Module tiny(bool pretrained = false)</c>.</summary>
    internal static string Signature(CSharpEntrypointSyntax e) =>
        $"{e.ReturnType} {e.Name}({string.Join(", ", e.Parameters.Select(FormatParameter))})";

    internal static string FormatParameter(HubParameter p)
    {
        var text = (p.Kind == HubParameterKind.VarPositional ? "params " : "") + (p.Type is null ? p.Name : p.Type + " " + p.Name);
        return p.Default is null ? text : text + " = " + p.Default;
    }

    /// <summary>The summary's first paragraph on one line.</summary>
    private static string Synopsis(string? summary)
    {
        if (string.IsNullOrWhiteSpace(summary)) return "";
        var paragraph = summary.Replace("\r", "").Split("\n\n")[0];
        return string.Join(" ", paragraph.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    /// <summary>The help as plain text: summary, remarks, parameters, returns, examples.</summary>
    private static string HelpText(CSharpDocComment doc)
    {
        var sb = new StringBuilder();
        void Section(string? title, string? body)
        {
            if (string.IsNullOrWhiteSpace(body)) return;
            if (sb.Length > 0) sb.Append("\n\n");
            if (title is not null) sb.Append(title).Append(":\n").Append(Indent(body));
            else sb.Append(body);
        }
        Section(null, doc.Summary);
        Section(null, doc.Remarks);
        if (doc.Params.Count > 0)
            Section("Parameters", string.Join("\n", doc.Params.Select(p => p.Key + ": " + p.Value.Replace("\n", "\n    "))));
        Section("Returns", doc.Returns);
        foreach (var example in doc.Examples) Section("Example", example);
        return sb.ToString();
    }

    private static string Indent(string text) => "    " + text.Replace("\n", "\n    ");
}
