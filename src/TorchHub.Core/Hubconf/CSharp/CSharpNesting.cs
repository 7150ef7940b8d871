namespace TorchHub.Hubconf.CSharp;

/// <summary>
/// How deeply a C# text nests its brackets, found by a single pass that skips comments, string
/// and character literals (regular, verbatim, raw; an interpolated string's holes count as
/// string). Run before Roslyn sees an untrusted file: its parser and the tree walks after it
/// recurse once per level.
/// </summary>
internal static class CSharpNesting
{
    /// <summary>Far beyond real code (a few dozen levels), far below what costs a thread's stack.</summary>
    public const int MaxDepth = 1000;

    /// <summary>The deepest bracket nesting and the 1-based line where it is first reached.</summary>
    public static (int Depth, int Line) Deepest(string text)
    {
        int depth = 0, deepest = 0, deepestLine = 1, line = 1;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            var next = i + 1 < text.Length ? text[i + 1] : '\0';
            switch (c)
            {
                case '\n':
                    line++;
                    i++;
                    break;
                case '/' when next == '/':
                    while (i < text.Length && text[i] != '\n') i++;
                    break;
                case '/' when next == '*':
                    i += 2;
                    while (i < text.Length && !(text[i] == '*' && i + 1 < text.Length && text[i + 1] == '/')) { if (text[i] == '\n') line++; i++; }
                    i += 2;
                    break;
                case '"' or '\'' or '@' or '$':
                    i = SkipLiteral(text, i, ref line);
                    break;
                case '(' or '[' or '{':
                    if (++depth > deepest) { deepest = depth; deepestLine = line; }
                    i++;
                    break;
                case ')' or ']' or '}':
                    if (depth > 0) depth--;
                    i++;
                    break;
                default:
                    i++;
                    break;
            }
        }
        return (deepest, deepestLine);
    }

    /// <summary>Skips a literal starting at <paramref name="start"/> (after any $/@ prefix); returns the index after it.</summary>
    private static int SkipLiteral(string text, int start, ref int line)
    {
        var i = start;
        var verbatim = false;
        while (i < text.Length && text[i] is '$' or '@')
        {
            verbatim |= text[i] == '@';
            i++;
        }
        if (i >= text.Length || text[i] is not ('"' or '\'')) return i; // '@' of an identifier, '$' alone
        var quote = text[i];
        var quotes = 0;
        while (i + quotes < text.Length && text[i + quotes] == '"' && quote == '"') quotes++;
        if (quotes >= 3)
        {
            // Raw string: ends at a run of as many quotes.
            i += quotes;
            while (i < text.Length)
            {
                if (text[i] == '\n') line++;
                var run = 0;
                while (i + run < text.Length && text[i + run] == '"') run++;
                if (run >= quotes) return i + run;
                i += run == 0 ? 1 : run;
            }
            return i;
        }
        i++;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '\n')
            {
                line++;
                if (!verbatim) return i + 1; // an unterminated regular literal ends at the line
            }
            if (!verbatim && c == '\\') { i += 2; continue; }
            if (c == quote)
            {
                if (verbatim && i + 1 < text.Length && text[i + 1] == quote) { i += 2; continue; }
                return i + 1;
            }
            i++;
        }
        return i;
    }
}
