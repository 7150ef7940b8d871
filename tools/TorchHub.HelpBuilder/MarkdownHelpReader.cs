using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Markdig;
using Markdig.Extensions.Tables;
using Markdig.Extensions.Yaml;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace TorchHub.HelpBuilder;

/// <summary>
/// Reads PlatyPS-format Markdown (front matter; H1 name; H2 sections SYNOPSIS, SYNTAX,
/// DESCRIPTION, EXAMPLES, PARAMETERS, INPUTS, OUTPUTS, NOTES, RELATED LINKS; H3 items with a
/// yaml block per parameter) into <see cref="CommandHelp"/>. Markdig does the Markdown; this
/// class only walks the section structure.
/// </summary>
public static class MarkdownHelpReader
{
    public static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UseYamlFrontMatter().UsePipeTables().Build();

    public static CommandHelp ReadFile(string path) => Read(File.ReadAllText(path), Path.GetFileName(path));

    public static CommandHelp Read(string markdown, string source = "<markdown>")
    {
        var document = Markdown.Parse(markdown, Pipeline);
        CommandHelp? help = null;
        var frontMatter = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        string section = "";
        ExampleHelp? example = null;
        ParameterHelp? parameter = null;
        string? typeName = null;
        List<string>? typeDescription = null;

        void FlushType()
        {
            if (help is null || typeName is null) return;
            var target = section == "INPUTS" ? help.Inputs : help.Outputs;
            target.Add(new TypeHelp(typeName, typeDescription ?? new List<string>()));
            typeName = null;
            typeDescription = null;
        }

        foreach (var block in document)
        {
            switch (block)
            {
                case YamlFrontMatterBlock yaml:
                    foreach (var (key, value) in ReadYaml(yaml.Lines.ToString()))
                        frontMatter[key] = value;
                    continue;
                case HeadingBlock { Level: 1 } h1 when help is null:
                    help = new CommandHelp { Name = InlineText(h1.Inline).Trim() };
                    foreach (var pair in frontMatter) help.FrontMatter[pair.Key] = pair.Value;
                    continue;
                case HeadingBlock { Level: 2 } h2:
                    FlushType();
                    section = InlineText(h2.Inline).Trim().ToUpperInvariant();
                    example = null;
                    parameter = null;
                    continue;
            }
            if (help is null)
                throw new FormatException($"{source}: the page must start with '# <Cmdlet-Name>' after the front matter.");

            if (block is HeadingBlock { Level: 3 } h3)
            {
                FlushType();
                var title = InlineText(h3.Inline).Trim();
                switch (section)
                {
                    case "SYNTAX":
                        help.SyntaxSets.Add(title.Replace("(Default)", "", StringComparison.OrdinalIgnoreCase).Trim());
                        break;
                    case "EXAMPLES":
                        example = new ExampleHelp { Title = title };
                        help.Examples.Add(example);
                        break;
                    case "PARAMETERS":
                        if (title.Equals("CommonParameters", StringComparison.OrdinalIgnoreCase))
                        {
                            help.SupportsCommonParameters = true;
                            parameter = null;
                        }
                        else
                        {
                            parameter = new ParameterHelp { Name = title.TrimStart('-') };
                            help.Parameters.Add(parameter);
                        }
                        break;
                    case "INPUTS":
                    case "OUTPUTS":
                        typeName = title;
                        typeDescription = new List<string>();
                        break;
                }
                continue;
            }

            switch (section)
            {
                case "SYNOPSIS":
                    help.Synopsis = string.Join(" ", new[] { help.Synopsis }.Concat(Paragraphs(block)).Where(s => s.Length > 0));
                    break;
                case "DESCRIPTION":
                    help.Description.AddRange(Paragraphs(block));
                    break;
                case "NOTES":
                    help.Notes.AddRange(Paragraphs(block));
                    break;
                case "EXAMPLES" when example is not null:
                    if (block is FencedCodeBlock code) example.Code.Add(CodeText(code));
                    else example.Remarks.AddRange(Paragraphs(block));
                    break;
                case "PARAMETERS" when parameter is not null:
                    if (block is FencedCodeBlock yamlBlock) ApplyParameterYaml(parameter, CodeText(yamlBlock));
                    else parameter.Description.AddRange(Paragraphs(block));
                    break;
                case "INPUTS" or "OUTPUTS" when typeDescription is not null:
                    typeDescription.AddRange(Paragraphs(block));
                    break;
                case "RELATED LINKS":
                    help.Links.AddRange(Links(block));
                    break;
            }
        }
        FlushType();
        return help ?? throw new FormatException($"{source}: no '# <Cmdlet-Name>' heading.");
    }

    /// <summary>The flat "key: value" subset of YAML that PlatyPS writes.</summary>
    public static IEnumerable<(string Key, string Value)> ReadYaml(string text)
    {
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Trim() is "---" or "") continue;
            var colon = line.IndexOf(':');
            if (colon <= 0) continue;
            yield return (line[..colon].Trim(), line[(colon + 1)..].Trim());
        }
    }

    private static void ApplyParameterYaml(ParameterHelp parameter, string yaml)
    {
        foreach (var (key, value) in ReadYaml(yaml))
        {
            switch (key.ToLowerInvariant())
            {
                case "type": parameter.Type = value; break;
                case "parameter sets": parameter.ParameterSets.AddRange(SplitList(value)); break;
                case "aliases": parameter.Aliases.AddRange(SplitList(value)); break;
                case "required": parameter.Required = value.StartsWith("True", StringComparison.OrdinalIgnoreCase); break;
                case "position": parameter.Position = value; break;
                case "default value": parameter.DefaultValue = value; break;
                case "accept pipeline input": parameter.PipelineInput = value; break;
                case "accept wildcard characters": parameter.Globbing = value.StartsWith("True", StringComparison.OrdinalIgnoreCase); break;
            }
        }
    }

    private static IEnumerable<string> SplitList(string value) =>
        value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public static string CodeText(LeafBlock code) => code.Lines.ToString().TrimEnd();

    /// <summary>Text paragraphs of a block: a paragraph, each list item (as "- item"), a quote, a code block.</summary>
    public static IEnumerable<string> Paragraphs(Block block)
    {
        switch (block)
        {
            case ParagraphBlock p:
                yield return InlineText(p.Inline).Trim();
                break;
            case ListBlock list:
                var n = 1;
                foreach (var item in list.OfType<ListItemBlock>())
                {
                    var text = string.Join(" ", item.SelectMany(Paragraphs));
                    yield return (list.IsOrdered ? $"{n++}. " : "- ") + text;
                }
                break;
            case QuoteBlock quote:
                foreach (var inner in quote.SelectMany(Paragraphs)) yield return inner;
                break;
            case CodeBlock code:
                yield return CodeText(code);
                break;
            case Table table:
                foreach (var row in table.OfType<TableRow>())
                    yield return string.Join(" | ", row.OfType<TableCell>().Select(c => string.Join(" ", c.SelectMany(Paragraphs))));
                break;
        }
    }

    /// <summary>Plain text of inlines: code spans keep their backticks (as Microsoft's help does), links keep their text.</summary>
    public static string InlineText(ContainerInline? inline)
    {
        if (inline is null) return "";
        var sb = new StringBuilder();
        Append(sb, inline);
        return sb.ToString();
    }

    private static void Append(StringBuilder sb, Inline inline)
    {
        switch (inline)
        {
            case LiteralInline literal: sb.Append(literal.Content.ToString()); break;
            case CodeInline code: sb.Append('`').Append(code.Content).Append('`'); break;
            case LineBreakInline: sb.Append(' '); break;
            case HtmlEntityInline entity: sb.Append(entity.Transcoded.ToString()); break;
            case AutolinkInline auto: sb.Append(auto.Url); break;
            case HtmlInline html: sb.Append(html.Tag); break;
            case LinkInline link:
                var before = sb.Length;
                foreach (var child in link) Append(sb, child);
                if (before == sb.Length) sb.Append(link.Url);
                break;
            case ContainerInline container:
                foreach (var child in container) Append(sb, child);
                break;
        }
    }

    private static IEnumerable<LinkHelp> Links(Block block)
    {
        if (block is ParagraphBlock { Inline: not null } p)
        {
            var found = false;
            foreach (var link in p.Inline.Descendants<LinkInline>())
            {
                found = true;
                var text = InlineText(link).Trim();
                var url = link.Url ?? "";
                // Links between pages (Set-HubDirectory.md) name a help topic; Get-Help shows the text.
                yield return new LinkHelp(text, url.EndsWith(".md", StringComparison.OrdinalIgnoreCase) ? "" : url);
            }
            if (!found && InlineText(p.Inline).Trim() is { Length: > 0 } plain)
                yield return new LinkHelp(plain, "");
        }
        else if (block is ListBlock list)
        {
            foreach (var para in list.Descendants<ParagraphBlock>())
                foreach (var link in Links(para)) yield return link;
        }
    }
}
