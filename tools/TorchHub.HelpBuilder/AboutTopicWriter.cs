using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Markdig;
using Markdig.Extensions.Tables;
using Markdig.Syntax;

namespace TorchHub.HelpBuilder;

/// <summary>
/// Turns an about_*.md page (PlatyPS's about schema: '# about_X', '## SHORT DESCRIPTION',
/// '## LONG DESCRIPTION', ...) into the plain-text about_X.help.txt Get-Help shows: headings in
/// capitals at the margin, text wrapped at 80 columns and indented, code and tables kept as written.
/// </summary>
public static class AboutTopicWriter
{
    private const int Width = 80;
    private const string Indent = "    ";

    public static string Convert(string markdown)
    {
        var document = Markdown.Parse(markdown, MarkdownHelpReader.Pipeline);
        var sb = new StringBuilder();
        foreach (var block in document)
        {
            switch (block)
            {
                case HeadingBlock { Level: 1 } h1:
                    sb.AppendLine("TOPIC").Append(Indent).AppendLine(MarkdownHelpReader.InlineText(h1.Inline).Trim()).AppendLine();
                    break;
                case HeadingBlock { Level: 2 } h2:
                    sb.AppendLine(MarkdownHelpReader.InlineText(h2.Inline).Trim().ToUpperInvariant()).AppendLine();
                    break;
                case HeadingBlock h:
                    sb.Append(Indent).AppendLine(MarkdownHelpReader.InlineText(h.Inline).Trim().ToUpperInvariant()).AppendLine();
                    break;
                case FencedCodeBlock or CodeBlock:
                    foreach (var line in MarkdownHelpReader.CodeText((LeafBlock)block).Split('\n'))
                        sb.Append(Indent).Append(Indent).AppendLine(line.TrimEnd('\r'));
                    sb.AppendLine();
                    break;
                case Table table:
                    WriteTable(sb, table);
                    break;
                case ListBlock list:
                    foreach (var item in MarkdownHelpReader.Paragraphs(list))
                        Wrap(sb, item[2..], Indent + item[..2], Indent + "  ");
                    sb.AppendLine();
                    break;
                default:
                    foreach (var para in MarkdownHelpReader.Paragraphs(block))
                    {
                        Wrap(sb, para, Indent, Indent);
                        sb.AppendLine();
                    }
                    break;
            }
        }
        return sb.ToString().TrimEnd() + Environment.NewLine;
    }

    private static void WriteTable(StringBuilder sb, Table table)
    {
        var rows = table.OfType<TableRow>()
            .Select(r => r.OfType<TableCell>().Select(c => string.Join(" ", c.SelectMany(MarkdownHelpReader.Paragraphs))).ToList())
            .ToList();
        var columns = rows.Max(r => r.Count);
        var widths = Enumerable.Range(0, columns).Select(i => rows.Max(r => i < r.Count ? r[i].Length : 0)).ToArray();
        if (Indent.Length + widths.Sum() + 2 * (columns - 1) > Width)
        {
            // Too wide for a console: one entry per row, the first cell as its title.
            foreach (var row in rows.Skip(1))
            {
                Wrap(sb, row[0], Indent, Indent);
                for (var i = 1; i < row.Count; i++)
                    Wrap(sb, row[i], Indent + Indent, Indent + Indent);
                sb.AppendLine();
            }
            return;
        }
        for (var r = 0; r < rows.Count; r++)
        {
            sb.Append(Indent).AppendLine(string.Join("  ", rows[r].Select((cell, i) => cell.PadRight(widths[i]))).TrimEnd());
            if (r == 0)
                sb.Append(Indent).AppendLine(string.Join("  ", widths.Select(w => new string('-', w))));
        }
        sb.AppendLine();
    }

    private static void Wrap(StringBuilder sb, string text, string firstIndent, string indent)
    {
        var line = new StringBuilder(firstIndent);
        var empty = true;
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!empty && line.Length + 1 + word.Length > Width)
            {
                sb.AppendLine(line.ToString());
                line.Clear().Append(indent);
                empty = true;
            }
            if (!empty) line.Append(' ');
            line.Append(word);
            empty = false;
        }
        sb.AppendLine(line.ToString());
    }

    public static void ConvertFile(string markdownPath, string outputFolder)
    {
        var name = Path.GetFileNameWithoutExtension(markdownPath);
        Directory.CreateDirectory(outputFolder);
        File.WriteAllText(Path.Combine(outputFolder, name + ".help.txt"), Convert(File.ReadAllText(markdownPath)), new UTF8Encoding(false));
    }
}
