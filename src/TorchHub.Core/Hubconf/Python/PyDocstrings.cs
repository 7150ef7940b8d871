using System;
using System.Linq;
using System.Collections.Generic;
using System.Text;

namespace TorchHub.Hubconf.Python;

/// <summary>Python's <c>inspect.cleandoc</c> (what <c>__doc__</c> holds from Python 3.13 on, modulo the first line).</summary>
internal static class PyDocstrings
{
    /// <summary>functools.partial.__doc__ (CPython 3.11), what torch.hub.help returns for a partial.</summary>
    public const string PartialDoc = "partial(func, *args, **keywords) - new function with partial application\n    of the given arguments and keywords.\n";

    public static string CleanDoc(string doc)
    {
        var lines = new List<string>(ExpandTabs(doc).Split('\n'));
        var margin = int.MaxValue;
        for (var i = 1; i < lines.Count; i++)
        {
            var content = LStrip(lines[i]).Length;
            if (content > 0) margin = Math.Min(margin, lines[i].Length - content);
        }
        if (lines.Count > 0) lines[0] = LStrip(lines[0]);
        if (margin < int.MaxValue)
            for (var i = 1; i < lines.Count; i++)
                lines[i] = lines[i].Length > margin ? lines[i].Substring(margin) : "";
        while (lines.Count > 0 && lines[^1].Length == 0) lines.RemoveAt(lines.Count - 1);
        while (lines.Count > 0 && lines[0].Length == 0) lines.RemoveAt(0);
        return string.Join('\n', lines);
    }

    /// <summary>
    /// The first sentence of the cleaned docstring's first paragraph, its lines joined: docstrings
    /// wrap their first sentence ("RAFT model from\n`RAFT: ...`_."), so the first line alone is cut short.
    /// A sentence ends at '.', '!' or '?' followed by white space or the paragraph's end.
    /// </summary>
    public static string Synopsis(string? doc)
    {
        if (doc is null) return "";
        var lines = CleanDoc(doc).Split('\n');
        var paragraph = string.Join(' ', lines.TakeWhile(line => line.Trim().Length > 0).Select(line => line.Trim()));
        for (var i = 0; i < paragraph.Length; i++)
        {
            if (paragraph[i] is '.' or '!' or '?' && (i + 1 == paragraph.Length || paragraph[i + 1] == ' '))
                return paragraph.Substring(0, i + 1);
        }
        return paragraph;
    }

    // str.isspace: Unicode whitespace plus the ASCII separators \x1c-\x1f.
    private static bool IsSpace(char c) => char.IsWhiteSpace(c) || c is >= '\x1c' and <= '\x1f';

    private static string LStrip(string s)
    {
        var i = 0;
        while (i < s.Length && IsSpace(s[i])) i++;
        return i == 0 ? s : s.Substring(i);
    }

    // str.expandtabs(8): columns restart after \n and \r.
    private static string ExpandTabs(string s)
    {
        if (!s.Contains('\t')) return s;
        var sb = new StringBuilder(s.Length + 16);
        var column = 0;
        foreach (var c in s)
        {
            if (c == '\t')
            {
                var spaces = 8 - column % 8;
                sb.Append(' ', spaces);
                column += spaces;
            }
            else
            {
                sb.Append(c);
                column = c is '\n' or '\r' ? 0 : column + 1;
            }
        }
        return sb.ToString();
    }
}
