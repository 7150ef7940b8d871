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
public sealed class CSharpHubconfReader : IHubconfReader
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

        var syntax = RoslynToolchain.Instance.ParseHubconf(File.ReadAllText(path), FileName);
        if (syntax.Errors.Count > 0)
            throw new HubException(HubErrorIds.HubconfParseError, HubErrorCategory.ParserError,
                $"{FileName} of '{repository.DisplayName}' has syntax errors:\n" + string.Join("\n", syntax.Errors.Take(20).Select(e => "  " + e)),
                repository.DisplayName);

        var entrypoints = syntax.Entrypoints.Select(e => ToEntrypoint(repository, e)).ToList();
        var byName = syntax.Entrypoints.ToDictionary(e => e.Name, StringComparer.Ordinal);
        return new HubconfListing
        {
            Language = HubconfLanguage.CSharp,
            Entrypoints = entrypoints,
            Dependencies = syntax.Dependencies,
            Warnings = syntax.Warnings,
            GetHelp = name => byName.TryGetValue(name, out var e) ? ToHelp(repository, e) : null,
        };
    }

    private static HubEntrypoint ToEntrypoint(HubRepository repository, CSharpEntrypointSyntax e) => new()
    {
        Name = e.Name,
        Repository = repository.Source == RepositorySource.GitHub ? repository.DisplayName : null,
        Ref = repository.Ref,
        LocalPath = repository.Source == RepositorySource.Local ? repository.Directory : null,
        RepositoryPath = repository.Directory,
        Source = repository.Source,
        Language = HubconfLanguage.CSharp,
        Synopsis = Synopsis(e.Doc?.Summary),
        Signature = Signature(e),
        Parameters = e.Parameters,
        File = HubconfSources.FileName,
        Line = e.Line,
        Notes = e.Doc is null ? ["no XML documentation comment"] : [],
    };

    private static HubHelp ToHelp(HubRepository repository, CSharpEntrypointSyntax e)
    {
        var text = e.Doc is null ? null : HelpText(e.Doc);
        return new HubHelp
        {
            Name = e.Name,
            Repository = repository.Source == RepositorySource.GitHub ? repository.DisplayName : null,
            LocalPath = repository.Source == RepositorySource.Local ? repository.Directory : null,
            Language = HubconfLanguage.CSharp,
            Docstring = text,
            Text = text ?? "",
            Signature = Signature(e),
            Parameters = e.Parameters,
            File = HubconfSources.FileName,
            Line = e.Line,
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
