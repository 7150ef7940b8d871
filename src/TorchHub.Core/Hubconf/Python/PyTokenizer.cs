using System;
using System.Collections.Generic;
using System.Globalization;

namespace TorchHub.Hubconf.Python;

/// <summary>
/// Python 3's tokenizer (Lexical analysis chapter of the language reference), hand-written
/// because no Python parser is available on NuGet for .NET. Pull-based and iterative:
/// brackets are counted on a heap stack (CPython's limit of 200 levels applies), indentation
/// follows CPython's tab rules (tab size 8, checked against tab size 1 for TabError), and
/// every error CPython's tokenizer would raise becomes a <see cref="PySyntaxException"/>.
/// Input is the decoded source with newlines already normalised to '\n'.
/// </summary>
internal sealed class PyTokenizer
{
    private const int MaxBracketDepth = 200; // CPython's MAXLEVEL
    private const int MaxFStringNesting = 150;

    private static readonly string[] Operators3 = ["**=", "//=", ">>=", "<<=", "..."];
    private static readonly string[] Operators2 =
        ["**", "//", ">>", "<<", "<=", ">=", "==", "!=", "->", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "@=", ":="];
    private const string Operators1 = "+-*/%@&|^~<>()[]{},:;.=";

    private readonly string _s;
    private int _pos;
    private int _line = 1;
    private bool _atLineStart = true;
    private bool _lineHasTokens;
    private int _pendingDedents;
    private bool _finished;
    private readonly List<int> _indents = [0];
    private readonly List<int> _altIndents = [0];
    private readonly List<(char Open, int Line)> _brackets = [];

    public PyTokenizer(string source) => _s = source;

    public string Source => _s;

    public string Text(PyToken token) => _s.Substring(token.Start, token.Length);

    public PyToken Next()
    {
        if (_pendingDedents > 0)
        {
            _pendingDedents--;
            return new PyToken(PyTokenKind.Dedent, _pos, _pos, _line);
        }
        while (true)
        {
            if (_atLineStart && _brackets.Count == 0)
            {
                var indentToken = ReadIndentation();
                if (indentToken is { } t) return t;
                if (_pendingDedents > 0) { _pendingDedents--; return new PyToken(PyTokenKind.Dedent, _pos, _pos, _line); }
            }
            while (_pos < _s.Length && _s[_pos] is ' ' or '\t' or '\f') _pos++;
            if (_pos >= _s.Length) return EndOfFile();

            var c = _s[_pos];
            var start = _pos;
            switch (c)
            {
                case '#':
                    while (_pos < _s.Length && _s[_pos] != '\n') _pos++;
                    continue;
                case '\n':
                    _pos++;
                    _line++;
                    if (_brackets.Count > 0 || !_lineHasTokens) continue;
                    _atLineStart = true;
                    _lineHasTokens = false;
                    return new PyToken(PyTokenKind.Newline, start, start + 1, _line - 1);
                case '\\':
                    if (_pos + 1 < _s.Length && _s[_pos + 1] == '\n') { _pos += 2; _line++; continue; }
                    if (_pos + 1 >= _s.Length) throw new PySyntaxException("unexpected EOF while parsing", _line);
                    throw new PySyntaxException("unexpected character after line continuation character", _line);
                case '\0':
                    throw new PySyntaxException("source code cannot contain null bytes", _line);
                case '\'':
                case '"':
                    return Emit(PyTokenKind.String, start, ScanString(_pos, false, 0));
            }
            if (c is >= '0' and <= '9' || (c == '.' && _pos + 1 < _s.Length && _s[_pos + 1] is >= '0' and <= '9'))
                return Emit(PyTokenKind.Number, start, ScanNumber());
            if (IsIdentifierStart(_s, _pos))
            {
                var end = ScanIdentifier(_pos);
                if (end < _s.Length && _s[end] is '\'' or '"' && IsStringPrefix(start, end))
                {
                    var isF = _s.AsSpan(start, end - start).ContainsAny("fF");
                    return Emit(PyTokenKind.String, start, ScanString(end, isF, 0));
                }
                _pos = end;
                return Emit(PyTokenKind.Name, start, end);
            }
            return Emit(PyTokenKind.Op, start, ScanOperator());
        }
    }

    private PyToken Emit(PyTokenKind kind, int start, int end)
    {
        var line = _line;
        // Strings may span lines: report the line they start on.
        if (kind == PyTokenKind.String)
            for (var i = start; i < end; i++) if (_s[i] == '\n') line--;
        _pos = end;
        _lineHasTokens = true;
        return new PyToken(kind, start, end, line);
    }

    private PyToken EndOfFile()
    {
        if (_brackets.Count > 0)
        {
            var (open, line) = _brackets[^1];
            throw new PySyntaxException($"'{open}' was never closed", line);
        }
        if (_lineHasTokens)
        {
            _lineHasTokens = false;
            _atLineStart = true;
            return new PyToken(PyTokenKind.Newline, _pos, _pos, _line);
        }
        if (_indents.Count > 1)
        {
            _indents.RemoveAt(_indents.Count - 1);
            _altIndents.RemoveAt(_altIndents.Count - 1);
            return new PyToken(PyTokenKind.Dedent, _pos, _pos, _line);
        }
        _finished = true;
        return new PyToken(PyTokenKind.EndMarker, _pos, _pos, _line);
    }

    public bool Finished => _finished;

    /// <summary>Measures a new line's indentation; returns INDENT/DEDENT or null. Skips blank and comment-only lines.</summary>
    private PyToken? ReadIndentation()
    {
        while (true)
        {
            int col = 0, alt = 0, p = _pos;
            for (; p < _s.Length; p++)
            {
                var ch = _s[p];
                if (ch == ' ') { col++; alt++; }
                else if (ch == '\t') { col = (col / 8 + 1) * 8; alt++; }
                else if (ch == '\f') { col = 0; alt = 0; }
                else break;
            }
            if (p >= _s.Length) { _pos = p; _atLineStart = false; return null; }
            if (_s[p] == '#' || _s[p] == '\n')
            {
                while (p < _s.Length && _s[p] != '\n') p++;
                if (p < _s.Length) { p++; _line++; }
                _pos = p;
                continue; // blank lines don't count for indentation
            }
            if (_s[p] == '\\' && p + 1 < _s.Length && _s[p + 1] == '\n')
            {
                // A line continuation straight after the indentation: indentation is still measured here.
            }
            _pos = p;
            _atLineStart = false;
            var top = _indents[^1];
            var altTop = _altIndents[^1];
            if (col == top)
            {
                if (alt != altTop) throw Tab();
                return null;
            }
            if (col > top)
            {
                if (alt <= altTop) throw Tab();
                if (_indents.Count >= 100) throw new PySyntaxException("too many levels of indentation", _line);
                _indents.Add(col);
                _altIndents.Add(alt);
                return new PyToken(PyTokenKind.Indent, _pos, _pos, _line);
            }
            var dedents = 0;
            while (_indents.Count > 1 && col < _indents[^1])
            {
                _indents.RemoveAt(_indents.Count - 1);
                _altIndents.RemoveAt(_altIndents.Count - 1);
                dedents++;
            }
            if (col != _indents[^1]) throw new PySyntaxException("unindent does not match any outer indentation level", _line);
            if (alt != _altIndents[^1]) throw Tab();
            _pendingDedents = dedents - 1;
            return new PyToken(PyTokenKind.Dedent, _pos, _pos, _line);
        }
    }

    private PySyntaxException Tab() => new("inconsistent use of tabs and spaces in indentation", _line);

    private int ScanOperator()
    {
        var c = _s[_pos];
        foreach (var op in Operators3)
            if (string.CompareOrdinal(_s, _pos, op, 0, 3) == 0) return _pos + 3;
        foreach (var op in Operators2)
            if (string.CompareOrdinal(_s, _pos, op, 0, 2) == 0) return _pos + 2;
        if (Operators1.IndexOf(c) < 0)
        {
            if (char.IsControl(c) || char.IsWhiteSpace(c))
                throw new PySyntaxException($"invalid non-printable character U+{(int)c:X4}", _line);
            throw new PySyntaxException($"invalid character '{c}' (U+{(int)c:X4})", _line);
        }
        switch (c)
        {
            case '(' or '[' or '{':
                if (_brackets.Count >= MaxBracketDepth) throw new PySyntaxException("too many nested parentheses", _line);
                _brackets.Add((c, _line));
                break;
            case ')' or ']' or '}':
                if (_brackets.Count == 0) throw new PySyntaxException($"unmatched '{c}'", _line);
                var (open, openLine) = _brackets[^1];
                var expected = open switch { '(' => ')', '[' => ']', _ => '}' };
                if (c != expected)
                {
                    var where = openLine != _line ? $" on line {openLine}" : "";
                    throw new PySyntaxException($"closing parenthesis '{c}' does not match opening parenthesis '{open}'{where}", _line);
                }
                _brackets.RemoveAt(_brackets.Count - 1);
                break;
        }
        return _pos + 1;
    }

    private int ScanNumber()
    {
        var p = _pos;
        if (_s[p] == '0' && p + 1 < _s.Length && _s[p + 1] is 'x' or 'X' or 'o' or 'O' or 'b' or 'B')
        {
            p += 2;
            while (p < _s.Length && (char.IsAsciiHexDigit(_s[p]) || _s[p] == '_')) p++;
            return p;
        }
        while (p < _s.Length && (char.IsAsciiDigit(_s[p]) || _s[p] == '_')) p++;
        if (p < _s.Length && _s[p] == '.')
        {
            p++;
            while (p < _s.Length && (char.IsAsciiDigit(_s[p]) || _s[p] == '_')) p++;
        }
        if (p < _s.Length && _s[p] is 'e' or 'E')
        {
            var q = p + 1;
            if (q < _s.Length && _s[q] is '+' or '-') q++;
            if (q < _s.Length && char.IsAsciiDigit(_s[q]))
            {
                p = q;
                while (p < _s.Length && (char.IsAsciiDigit(_s[p]) || _s[p] == '_')) p++;
            }
        }
        if (p < _s.Length && _s[p] is 'j' or 'J') p++;
        return p;
    }

    private bool IsStringPrefix(int start, int end)
    {
        var len = end - start;
        if (len is < 1 or > 2) return false;
        var a = char.ToLowerInvariant(_s[start]);
        if (len == 1) return a is 'r' or 'u' or 'f' or 'b';
        var b = char.ToLowerInvariant(_s[start + 1]);
        return (a, b) is ('r', 'b') or ('b', 'r') or ('r', 'f') or ('f', 'r');
    }

    /// <summary>
    /// Scans a string literal whose opening quote is at <paramref name="quote"/>; returns the end.
    /// Inside an f-string's replacement fields nested strings are scanned too (Python 3.12
    /// allows the same quote there; for 3.11-valid code this gives the same tokens).
    /// </summary>
    private int ScanString(int quote, bool isF, int nesting)
    {
        if (nesting > MaxFStringNesting) throw new PySyntaxException("f-string: expressions nested too deeply", _line);
        var q = _s[quote];
        var startLine = _line;
        var triple = quote + 2 < _s.Length && _s[quote + 1] == q && _s[quote + 2] == q;
        var p = quote + (triple ? 3 : 1);
        var depth = 0; // f-string replacement-field depth
        while (true)
        {
            if (p >= _s.Length)
            {
                throw triple
                    ? new PySyntaxException($"unterminated triple-quoted string literal (detected at line {_line})", startLine)
                    : new PySyntaxException($"unterminated string literal (detected at line {startLine})", startLine);
            }
            var c = _s[p];
            if (c == '\\' && depth == 0)
            {
                if (p + 1 < _s.Length && _s[p + 1] == '\n') _line++;
                p += 2;
                continue;
            }
            if (c == '\n')
            {
                if (!triple && depth == 0)
                    throw new PySyntaxException($"unterminated string literal (detected at line {startLine})", startLine);
                _line++;
                p++;
                continue;
            }
            if (c == '\0') throw new PySyntaxException("source code cannot contain null bytes", _line);
            if (isF)
            {
                if (c == '{')
                {
                    if (depth == 0 && p + 1 < _s.Length && _s[p + 1] == '{') { p += 2; continue; }
                    depth++;
                    p++;
                    continue;
                }
                if (c == '}')
                {
                    if (depth == 0) { p += (p + 1 < _s.Length && _s[p + 1] == '}') ? 2 : 1; continue; }
                    depth--;
                    p++;
                    continue;
                }
                if (depth > 0 && c is '\'' or '"')
                {
                    // A nested string inside a replacement field (any prefix letters were scanned as text).
                    var nestedF = p > 0 && _s[p - 1] is 'f' or 'F';
                    p = ScanString(p, nestedF, nesting + 1);
                    continue;
                }
            }
            if (c == q && depth == 0)
            {
                if (!triple) return p + 1;
                if (p + 2 < _s.Length && _s[p + 1] == q && _s[p + 2] == q) return p + 3;
            }
            p++;
        }
    }

    private int ScanIdentifier(int p)
    {
        while (p < _s.Length && IsIdentifierPart(_s, p)) p += char.IsHighSurrogate(_s[p]) && p + 1 < _s.Length ? 2 : 1;
        return p;
    }

    private static bool IsIdentifierStart(string s, int i)
    {
        var c = s[i];
        if (c < 128) return char.IsAsciiLetter(c) || c == '_';
        return CharUnicodeInfo.GetUnicodeCategory(s, i) is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter
            or UnicodeCategory.TitlecaseLetter or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter or UnicodeCategory.LetterNumber;
    }

    private static bool IsIdentifierPart(string s, int i)
    {
        var c = s[i];
        if (c < 128) return char.IsAsciiLetterOrDigit(c) || c == '_';
        return IsIdentifierStart(s, i) || CharUnicodeInfo.GetUnicodeCategory(s, i) is UnicodeCategory.NonSpacingMark
            or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.ConnectorPunctuation;
    }
}
