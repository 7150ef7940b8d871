using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;

namespace TorchHub.Hubconf.Python;

/// <summary>
/// Reads the module-level statements of one Python file from <see cref="PyTokenizer"/>'s
/// tokens: def/class (with docstring, signature as written, decorators), imports, simple
/// assignments, <c>__all__</c>, <c>dependencies</c>, <c>del</c>, and module-level compound
/// statements (if/try/with/for/while/match), whose bindings are marked conditional.
/// Function and class bodies are skipped token by token (no recursion), except for a class's
/// <c>__init__</c> signature. This is not a full Python parser: it recognises the statement
/// shapes that decide a module's names and rejects what the tokenizer rejects plus
/// malformed headers; see docs/guides/listing.md.
/// </summary>
internal sealed partial class PyModuleParser
{
    private const int MaxStatementTokens = 100_000;

    private static readonly HashSet<string> Keywords =
    [
        "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del",
        "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal",
        "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
    ];

    private static readonly HashSet<string> CompoundKeywords = ["if", "elif", "else", "while", "for", "try", "except", "finally", "with"];

    private readonly PyTokenizer _t;
    private readonly PyModule _m;
    private readonly CancellationToken _cancel;
    private readonly List<Block> _blocks = [];
    private readonly Dictionary<string, PathValue> _paths = new(StringComparer.Ordinal);
    private PyToken? _peeked;
    private string? _lastClosed;            // keyword of the block that just ended at the current level
    private bool _lastClosedWasMainGuard;
    private int _counter;

    private sealed record Block(string Keyword, string? Condition);

    private PyModuleParser(string source, string filePath, CancellationToken cancel)
    {
        _t = new PyTokenizer(source);
        _m = new PyModule { FilePath = filePath };
        _cancel = cancel;
    }

    public static PyModule Parse(string source, string filePath, CancellationToken cancel = default)
    {
        var parser = new PyModuleParser(source, filePath, cancel);
        parser.ParseModule();
        return parser._m;
    }

    // ---- token stream -------------------------------------------------------------------

    private PyToken Next()
    {
        if (_peeked is { } p) { _peeked = null; return p; }
        if ((++_counter & 0xFFFF) == 0) _cancel.ThrowIfCancellationRequested();
        return _t.Next();
    }

    private PyToken Peek() => _peeked ??= _t.Next();

    private string Text(PyToken t) => _t.Text(t);

    private string Name(PyToken t)
    {
        var text = Text(t);
        foreach (var c in text) if (c > 127) return text.Normalize(NormalizationForm.FormKC); // PEP 3131
        return text;
    }

    private bool Is(PyToken t, string text) => t.Kind is PyTokenKind.Op or PyTokenKind.Name && t.Length == text.Length && string.CompareOrdinal(_t.Source, t.Start, text, 0, text.Length) == 0;

    private bool IsName(PyToken t) => t.Kind == PyTokenKind.Name && !Keywords.Contains(Text(t));

    /// <summary>The rest of a logical line (tokens up to NEWLINE, which is consumed).</summary>
    private List<PyToken> ReadLine(PyToken first, out bool truncated)
    {
        var tokens = new List<PyToken> { first };
        truncated = false;
        if (first.Kind == PyTokenKind.Newline) { tokens.Clear(); return tokens; }
        while (true)
        {
            var t = Next();
            if (t.Kind is PyTokenKind.Newline or PyTokenKind.EndMarker) return tokens;
            if (t.Kind == PyTokenKind.String) PyStringLiteral.Decode(Text(t), t.Line); // Python rejects bad escapes anywhere
            if (tokens.Count < MaxStatementTokens) tokens.Add(t);
            else truncated = true;
        }
    }

    // ---- module level -------------------------------------------------------------------

    private void ParseModule()
    {
        while (true)
        {
            var t = Next();
            switch (t.Kind)
            {
                case PyTokenKind.EndMarker:
                    return;
                case PyTokenKind.Newline:
                    continue;
                case PyTokenKind.Indent:
                    throw new PySyntaxException("unexpected indent", t.Line);
                case PyTokenKind.Dedent:
                    if (_blocks.Count > 0)
                    {
                        var closed = _blocks[^1];
                        _blocks.RemoveAt(_blocks.Count - 1);
                        _lastClosed = closed.Keyword;
                        _lastClosedWasMainGuard = false;
                    }
                    continue;
                default:
                    Statement(t);
                    break;
            }
        }
    }

    private string? CurrentCondition
    {
        get
        {
            for (var i = _blocks.Count - 1; i >= 0; i--)
                if (_blocks[i].Condition is { } c) return c;
            return null;
        }
    }

    private void Statement(PyToken first)
    {
        if (first.Kind == PyTokenKind.String) PyStringLiteral.Decode(Text(first), first.Line);
        var decorators = new List<PyDecorator>();
        while (Is(first, "@"))
        {
            var line = ReadLine(first, out _);
            decorators.Add(Decorator(line));
            first = Next();
            while (first.Kind == PyTokenKind.Newline) first = Next();
        }

        var keyword = first.Kind == PyTokenKind.Name ? Text(first) : "";
        var isAsync = keyword == "async";
        if (isAsync) keyword = Text(Peek());
        if (decorators.Count > 0 && keyword is not ("def" or "class"))
            throw new PySyntaxException("invalid syntax: a decorator must be followed by def or class", first.Line);

        var tokens = ReadLine(first, out var truncated);
        var previousClosed = _lastClosed;
        var previousMain = _lastClosedWasMainGuard;
        _lastClosed = null;
        _lastClosedWasMainGuard = false;

        switch (keyword)
        {
            case "def":
                Def(tokens, isAsync ? 1 : 0, decorators);
                return;
            case "class":
                Class(tokens, decorators);
                return;
        }
        if (isAsync) tokens.RemoveAt(0);
        var isSoftCompound = keyword is "match" or "case" && tokens.Count > 1 && Is(tokens[^1], ":") && Peek().Kind == PyTokenKind.Indent;
        if (CompoundKeywords.Contains(keyword) || isSoftCompound)
        {
            Compound(keyword, tokens, previousClosed, previousMain);
            return;
        }
        foreach (var simple in SplitTop(tokens, ";"))
            Simple(simple, truncated);
    }

    private PyDecorator Decorator(List<PyToken> line)
    {
        var name = new List<string>();
        var i = 1;
        while (i < line.Count && IsName(line[i]))
        {
            name.Add(Name(line[i]));
            if (i + 1 < line.Count && Is(line[i + 1], ".")) i += 2; else { i++; break; }
        }
        return new PyDecorator(name, "@" + SourceText(line, 1, line.Count), line[0].Line) { IsCall = name.Count > 0 && i < line.Count && Is(line[i], "(") };
    }

    private void Compound(string keyword, List<PyToken> tokens, string? previousClosed, bool previousMain)
    {
        var colon = HeaderColon(tokens, 0);
        if (colon < 0) throw new PySyntaxException($"expected ':' after '{keyword}'", tokens[0].Line);
        var line = tokens[0].Line;
        var isMainGuard = keyword == "if" && IsMainGuard(tokens, colon);
        string? condition = keyword switch
        {
            "if" => $"defined only when the condition of the if statement on line {line} holds",
            "elif" => $"defined only in the elif branch on line {line}",
            "else" when previousClosed is "if" or "elif" => previousMain && previousClosed == "if"
                ? null // else of `if __name__ == '__main__'`: always runs under torch.hub
                : $"defined only in the else branch on line {line}",
            "while" or "for" => $"defined inside the loop on line {line}",
            "except" => $"defined only when the try block before line {line} raises",
            "match" => null,
            "case" => $"defined only when the case on line {line} matches",
            _ => null,
        };

        // Names the header itself binds (loop targets, with ... as x).
        if (keyword == "for") BindTargets(tokens.GetRange(1, Math.Max(0, IndexOfTop(tokens, "in", 1) - 1)), new PyUnknownBinding("a loop variable", Quiet: true) { Line = line }, condition);
        if (keyword == "with")
            for (var i = 1; i < colon - 1; i++)
                if (Is(tokens[i], "as") && IsName(tokens[i + 1]) && (i + 2 >= colon || Is(tokens[i + 2], ",") || Is(tokens[i + 2], ":") || Is(tokens[i + 2], ")")))
                    Bind(Name(tokens[i + 1]), Unknown("the value of a with statement", line) with { Condition = condition ?? CurrentCondition });

        if (colon == tokens.Count - 1)
        {
            var indent = Next();
            if (indent.Kind != PyTokenKind.Indent)
                throw new PySyntaxException($"expected an indented block after '{keyword}' statement on line {line}", indent.Line);
            if (isMainGuard)
            {
                SkipBlock();
                _lastClosed = "if";
                _lastClosedWasMainGuard = true;
                return;
            }
            _blocks.Add(new Block(keyword, condition));
            return;
        }

        // One-line body: `if x: a = 1; b = 2`.
        if (!isMainGuard)
        {
            _blocks.Add(new Block(keyword, condition));
            foreach (var simple in SplitTop(tokens.GetRange(colon + 1, tokens.Count - colon - 1), ";"))
                Simple(simple, false);
            _blocks.RemoveAt(_blocks.Count - 1);
        }
        _lastClosed = keyword;
        _lastClosedWasMainGuard = isMainGuard;
    }

    private bool IsMainGuard(List<PyToken> t, int colon)
    {
        if (colon != 4) return false;
        bool IsMain(PyToken x) => x.Kind == PyTokenKind.String && PyStringLiteral.Decode(Text(x), x.Line) is { IsBytes: false, IsFString: false, Value: "__main__" };
        return Is(t[2], "==") && ((Is(t[1], "__name__") && IsMain(t[3])) || (IsMain(t[1]) && Is(t[3], "__name__")));
    }

    /// <summary>Skips an indented block whose INDENT was just read.</summary>
    private void SkipBlock()
    {
        var depth = 1;
        while (depth > 0)
        {
            var t = Next();
            if (t.Kind == PyTokenKind.Indent) depth++;
            else if (t.Kind == PyTokenKind.Dedent) depth--;
            else if (t.Kind == PyTokenKind.EndMarker) return;
            else if (t.Kind == PyTokenKind.String) PyStringLiteral.Decode(Text(t), t.Line);
        }
    }

    // ---- def and class --------------------------------------------------------------------

    private void Def(List<PyToken> t, int start, List<PyDecorator> decorators)
    {
        var line = t[start].Line;
        if (t.Count < start + 5 || !IsName(t[start + 1]) || !Is(t[start + 2], "("))
            throw new PySyntaxException("invalid syntax in def statement", line);
        var name = Name(t[start + 1]);
        var close = Matching(t, start + 2);
        if (close < 0) throw new PySyntaxException("invalid syntax in def statement", line);
        var parameters = Parameters(t, start + 3, close);
        string? returns = null;
        var colon = close + 1;
        if (colon < t.Count && Is(t[colon], "->"))
        {
            colon = HeaderColon(t, close + 1);
            if (colon < 0) throw new PySyntaxException("expected ':'", line);
            returns = SourceText(t, close + 2, colon);
        }
        if (colon >= t.Count || !Is(t[colon], ":")) throw new PySyntaxException("expected ':'", line);

        var body = Body(t, colon, isClass: false, name, parameters);
        Bind(name, new PyFunctionBinding
        {
            Name = name,
            Parameters = parameters,
            Returns = returns,
            Docstring = body.Docstring,
            IsAsync = start == 1,
            Decorators = decorators,
            UsesWraps = body.UsesWraps,
            ReturnsArgument = body.ReturnsArgument,
            ReturnsCall = body.ReturnsCall,
            DocEdit = body.DocEdit,
            Line = decorators.Count > 0 ? decorators[0].Line : line,
            Condition = CurrentCondition,
        });
        if (name == "__dir__")
        {
            var why = $"line {line}: the module defines __dir__, which changes what dir() (and so torch.hub.list) returns; the reader lists the module's names instead.";
            _m.Warnings.Add(why);
            _m.RunTimeNames.Add(why);
        }
    }

    private void Class(List<PyToken> t, List<PyDecorator> decorators)
    {
        var line = t[0].Line;
        if (t.Count < 3 || !IsName(t[1])) throw new PySyntaxException("invalid syntax in class statement", line);
        var name = Name(t[1]);
        var colon = 2;
        var bases = new List<IReadOnlyList<string>>();
        if (Is(t[2], "("))
        {
            var close = Matching(t, 2);
            if (close < 0) throw new PySyntaxException("invalid syntax in class statement", line);
            colon = close + 1;
            foreach (var (a, b) in SplitTopRanges(t, 3, close, ","))
                if (Dotted(t, a, b) is ({ Count: > 0 } dotted, var end) && end == b) bases.Add(dotted);
        }
        if (colon >= t.Count || !Is(t[colon], ":")) throw new PySyntaxException("expected ':'", line);
        var body = Body(t, colon, isClass: true, name);
        Bind(name, new PyClassBinding
        {
            Name = name,
            Docstring = body.Docstring,
            InitParameters = body.Init,
            CallParameters = body.Call,
            Bases = bases,
            Fields = body.Fields ?? [],
            Decorators = decorators,
            Line = decorators.Count > 0 ? decorators[0].Line : line,
            Condition = CurrentCondition,
        });
    }

    private readonly record struct BodyInfo(string? Docstring, bool UsesWraps, IReadOnlyList<HubParameter>? Init, bool ReturnsArgument = false,
        IReadOnlyList<HubParameter>? Call = null, IReadOnlyList<HubParameter>? Fields = null, IReadOnlyList<string>? ReturnsCall = null,
        PyDocEdit? DocEdit = null);

    /// <summary>Reads a def/class body: its docstring, whether it uses functools.wraps, a class's __init__.</summary>
    private BodyInfo Body(List<PyToken> header, int colon, bool isClass, string name, IReadOnlyList<HubParameter>? parameters = null)
    {
        var parameterSet = new HashSet<string>(parameters?.Select(p => p.Name) ?? [], StringComparer.Ordinal);
        var returned = new HashSet<string>(StringComparer.Ordinal);
        if (colon < header.Count - 1)
        {
            // `def f(): "doc"` — the body is on the header line.
            var inline = SplitTop(header.GetRange(colon + 1, header.Count - colon - 1), ";");
            var wraps = header.Skip(colon + 1).Any(x => Is(x, "wraps") || Is(x, "update_wrapper"));
            return new BodyInfo(Docstring(inline.FirstOrDefault() ?? []), wraps, null);
        }
        var indent = Next();
        if (indent.Kind != PyTokenKind.Indent)
            throw new PySyntaxException($"expected an indented block after {(isClass ? "class" : "function")} definition on line {header[0].Line}", indent.Line);

        var first = Next();
        var firstLine = ReadLine(first, out _);
        var doc = Docstring(SplitTop(firstLine, ";").FirstOrDefault() ?? []);
        var usesWraps = firstLine.Any(x => Is(x, "wraps") || Is(x, "update_wrapper"));
        // A function's lines, kept to read what it does to __doc__ as a decorator (only when it mentions __doc__).
        var lines = isClass ? null : new List<(int Depth, List<PyToken> Tokens)> { (1, firstLine) };
        var mentionsDoc = firstLine.Any(x => Is(x, "__doc__"));
        IReadOnlyList<HubParameter>? init = null;
        IReadOnlyList<HubParameter>? call = null;
        IReadOnlyList<string>? returnsCall = null;
        var fields = new List<HubParameter>();
        void Inspect(List<PyToken> line, int level)
        {
            if (line.Count == 0) return;
            if (isClass && line.Count >= 3 && IsName(line[0]) && Is(line[1], ":"))
            {
                // An annotated class-level name: a dataclass field (x: int = 1, or x: int).
                var eq = IndexOfTopRange(line, "=", 2, line.Count);
                fields.Add(new HubParameter(Name(line[0]), SourceText(line, 2, eq < 0 ? line.Count : eq), eq < 0 ? null : SourceText(line, eq + 1, line.Count)));
                return;
            }
            if (Is(line[0], "def"))
            {
                if (isClass && init is null && IsInit(line, 0)) init = InitParameters(line);
                else if (isClass && call is null && line.Count > 2 && Is(line[1], "__call__") && Is(line[2], "(") && Matching(line, 2) is var end && end > 0)
                    call = Parameters(line, 3, end) is { Count: > 0 } all && all[0].Kind is HubParameterKind.Normal or HubParameterKind.PositionalOnly ? all.Skip(1).ToList() : [];
                else if (!isClass && line.Count > 3 && Is(line[2], "(") && Matching(line, 2) is var close && close > 0)
                    foreach (var p in Parameters(line, 3, close)) parameterSet.Add(p.Name);
            }
            else if (Is(line[0], "return") && line.Count == 2 && IsName(line[1]))
            {
                returned.Add(Name(line[1]));
            }
            else if (!isClass && level == 1 && Is(line[0], "return") && returnsCall is null)
            {
                returnsCall = CallOf(line.GetRange(1, line.Count - 1));
            }
            usesWraps |= line.Any(x => Is(x, "wraps") || Is(x, "update_wrapper"));
        }
        Inspect(firstLine, 1);

        var depth = 1;
        var atStart = true;
        while (depth > 0)
        {
            var t = Next();
            switch (t.Kind)
            {
                case PyTokenKind.Indent: depth++; atStart = true; continue;
                case PyTokenKind.Dedent: depth--; atStart = true; continue;
                case PyTokenKind.Newline: atStart = true; continue;
                case PyTokenKind.EndMarker: depth = 0; continue;
                case PyTokenKind.String: PyStringLiteral.Decode(Text(t), t.Line); break;
            }
            if (atStart && lines is not null)
            {
                var line = ReadLine(t, out _);
                lines.Add((depth, line));
                mentionsDoc |= line.Any(x => Is(x, "__doc__"));
                if (Is(t, "def") || Is(t, "return")) Inspect(line, depth);
                else usesWraps |= line.Any(x => Is(x, "wraps") || Is(x, "update_wrapper"));
                continue;
            }
            if (Is(t, "wraps") || Is(t, "update_wrapper")) usesWraps = true;
            var isField = isClass && depth == 1 && IsName(t) && Is(Peek(), ":");
            if (atStart && (isField || ((Is(t, "def") || Is(t, "return")) && (depth == 1 || !isClass))))
            {
                Inspect(ReadLine(t, out _), depth);
                atStart = true;
                continue;
            }
            atStart = false;
        }
        var docEdit = mentionsDoc && lines is not null ? DocEdit(parameters ?? [], lines) : null;
        return new BodyInfo(doc, usesWraps, init, returned.Overlaps(parameterSet), call, fields, returnsCall, docEdit);
    }

    private bool IsInit(List<PyToken> line, int i) => line.Count > i + 2 && Is(line[i], "def") && Is(line[i + 1], "__init__") && Is(line[i + 2], "(");

    private IReadOnlyList<HubParameter>? InitParameters(List<PyToken> line)
    {
        if (!IsInit(line, 0)) return null;
        var close = Matching(line, 2);
        if (close < 0) return null;
        var all = Parameters(line, 3, close);
        return all.Count > 0 && all[0].Kind is HubParameterKind.Normal or HubParameterKind.PositionalOnly ? all.Skip(1).ToList() : all;
    }

    /// <summary>The docstring of a statement made only of (parenthesised) string literals, else null.</summary>
    private string? Docstring(List<PyToken> s)
    {
        var from = 0;
        var to = s.Count;
        while (to - from >= 2 && Is(s[from], "(") && Is(s[to - 1], ")") && Matching(s, from) == to - 1) { from++; to--; }
        if (to <= from) return null;
        var sb = new StringBuilder();
        bool anyBytes = false, anyStr = false, anyF = false;
        for (var i = from; i < to; i++)
        {
            if (s[i].Kind != PyTokenKind.String) return null;
            var v = PyStringLiteral.Decode(Text(s[i]), s[i].Line);
            if (v.IsBytes) anyBytes = true; else anyStr = true;
            if (v.IsFString) anyF = true;
            sb.Append(v.Value);
        }
        if (anyBytes && anyStr) throw new PySyntaxException("cannot mix bytes and nonbytes literals", s[from].Line);
        return anyBytes || anyF ? null : sb.ToString();
    }

    // ---- parameters ---------------------------------------------------------------------------

    private List<HubParameter> Parameters(List<PyToken> t, int from, int to)
    {
        var result = new List<HubParameter>();
        var keywordOnly = false;
        foreach (var (a, b) in SplitTopRanges(t, from, to, ","))
        {
            if (a == b) continue; // trailing comma
            if (Is(t[a], "/") && b == a + 1)
            {
                for (var i = 0; i < result.Count; i++)
                    if (result[i].Kind == HubParameterKind.Normal) result[i] = result[i] with { Kind = HubParameterKind.PositionalOnly };
                continue;
            }
            if (Is(t[a], "*") && b == a + 1) { keywordOnly = true; continue; }
            var kind = keywordOnly ? HubParameterKind.KeywordOnly : HubParameterKind.Normal;
            var i0 = a;
            if (Is(t[a], "*")) { kind = HubParameterKind.VarPositional; i0++; keywordOnly = true; }
            else if (Is(t[a], "**")) { kind = HubParameterKind.VarKeyword; i0++; }
            if (i0 >= b || t[i0].Kind != PyTokenKind.Name)
                throw new PySyntaxException("invalid syntax in parameter list", t[a].Line);
            var name = Name(t[i0]);
            string? annotation = null, @default = null;
            var eq = IndexOfTopRange(t, "=", i0 + 1, b);
            if (i0 + 1 < b && Is(t[i0 + 1], ":")) annotation = SourceText(t, i0 + 2, eq < 0 ? b : eq);
            if (eq >= 0) @default = SourceText(t, eq + 1, b);
            result.Add(new HubParameter(name, annotation, @default, kind));
        }
        return result;
    }

    // ---- simple statements ----------------------------------------------------------------------

    private void Simple(List<PyToken> s, bool truncated)
    {
        if (s.Count == 0) return;
        var line = s[0].Line;
        CheckDynamic(s);
        CheckAdjacency(s);
        switch (Text(s[0]))
        {
            case "import" when s[0].Kind == PyTokenKind.Name:
                Import(s);
                return;
            case "from" when s[0].Kind == PyTokenKind.Name:
                FromImport(s);
                return;
            case "del" when s[0].Kind == PyTokenKind.Name:
                foreach (var (a, b) in SplitTopRanges(s, 1, s.Count, ","))
                    if (b == a + 1 && IsName(s[a])) _m.Events.Add(new PyDeleteEvent(Name(s[a]), line));
                return;
            case "global" or "nonlocal" or "pass" or "break" or "continue" or "return" or "raise" or "assert" or "yield" when s[0].Kind == PyTokenKind.Name:
                return;
        }

        // __all__ and friends mutated in place.
        if (s.Count >= 4 && Is(s[0], "__all__") && Is(s[1], ".") && Is(s[3], "("))
        {
            var method = Text(s[2]);
            var args = s.GetRange(4, Math.Max(0, s.Count - 5));
            if (method == "extend" && StringList(args) is { } more) { _m.All?.AddRange(more); return; }
            if (method == "append" && StringList(args, single: true) is { } one) { _m.All?.AddRange(one); return; }
            _m.AllProblem = $"__all__ is changed by an expression on line {line}";
            return;
        }

        // Augmented assignment.
        var aug = IndexOfAugmented(s);
        if (aug > 0)
        {
            if (aug == 1 && Is(s[0], "__all__") && Is(s[1], "+=") && StringList(s.GetRange(2, s.Count - 2)) is { } added && _m.All is not null)
            {
                _m.All.AddRange(added);
                return;
            }
            if (aug == 1 && Is(s[0], "__all__")) _m.AllProblem = $"__all__ is changed by an expression on line {line}";
            if (aug == 1 && IsName(s[0])) Bind(Name(s[0]), Unknown("an augmented assignment", line) with { Condition = CurrentCondition });
            return;
        }

        // '=' after a lambda belongs to its defaults, not to the assignment.
        var lambdaAt = IndexOfTop(s, "lambda", 0);
        var parts = SplitTopRanges(s, 0, lambdaAt < 0 ? s.Count : lambdaAt, "=");
        parts[^1] = (parts[^1].Item1, s.Count);
        int valueFrom, valueTo;
        var targets = new List<(int, int)>();
        var annotated = IndexOfTopRange(s, ":", 0, parts[0].Item2);
        if (annotated > 0 && parts.Count <= 2)
        {
            // x: T = value  (x: T alone binds nothing)
            if (parts.Count == 1) return;
            targets.Add((0, annotated));
            (valueFrom, valueTo) = parts[1];
        }
        else
        {
            if (parts.Count == 1)
            {
                SysPath(s);
                BindWalrus(s);
                return; // an expression statement
            }
            targets.AddRange(parts.Take(parts.Count - 1));
            (valueFrom, valueTo) = parts[^1];
        }
        var valueTokens = s.GetRange(valueFrom, valueTo - valueFrom);
        var value = Classify(valueTokens, truncated, line);
        var pathValue = truncated ? null : PathOf(valueTokens, 0, valueTokens.Count);
        foreach (var (a, b) in targets)
        {
            var target = s.GetRange(a, b - a);
            if (target.Count == 1 && Is(target[0], "__all__"))
            {
                var names = StringList(valueTokens);
                if (names is null) _m.AllProblem = $"__all__ is set by an expression on line {line}";
                else { _m.All = names; _m.AllProblem = null; }
            }
            if (target.Count == 1 && Is(target[0], "dependencies"))
                _m.Dependencies = StringList(valueTokens);
            if (target.Count == 3 && IsName(target[0]) && Is(target[1], ".") && Is(target[2], "__doc__"))
            {
                var doc = Docstring(valueTokens);
                _m.Events.Add(new PyDocAssignEvent(Name(target[0]), doc, line));
                continue;
            }
            BindTargets(target, value, CurrentCondition, valueTokens, truncated);
            if (target.Count == 1 && IsName(target[0]))
            {
                // A folder or string kept in a name (HERE = os.path.dirname(__file__)) for a later sys.path edit.
                if (pathValue is null) _paths.Remove(Name(target[0]));
                else _paths[Name(target[0])] = pathValue;
            }
        }
        BindWalrus(s);
    }

    private void BindTargets(List<PyToken> target, PyBinding value, string? condition, List<PyToken>? valueTokens = null, bool truncated = false)
    {
        while (target.Count >= 2 && (Is(target[0], "(") || Is(target[0], "[")) && Matching(target, 0) == target.Count - 1)
            target = target.GetRange(1, target.Count - 2);
        if (target.Count == 1 && IsName(target[0]))
        {
            Bind(Name(target[0]), value with { Condition = condition ?? value.Condition });
            return;
        }
        var items = SplitTopRanges(target, 0, target.Count, ",");
        if (items.Count < 2) return; // attribute or subscript target: binds no module name
        List<(int, int)>? values = null;
        if (valueTokens is not null && !truncated)
        {
            var v = valueTokens;
            if (v.Count >= 2 && (Is(v[0], "(") || Is(v[0], "[")) && Matching(v, 0) == v.Count - 1) v = v.GetRange(1, v.Count - 2);
            var split = SplitTopRanges(v, 0, v.Count, ",");
            if (split.Count > 0 && split[^1].Item1 == split[^1].Item2) split.RemoveAt(split.Count - 1);
            if (split.Count == items.Count(i => i.Item1 != i.Item2) && !v.Any(x => Is(x, "*")))
            {
                values = split;
                valueTokens = v;
            }
        }
        var k = 0;
        foreach (var (a, b) in items)
        {
            if (a == b) continue;
            var item = target.GetRange(a, b - a);
            var itemValue = values is not null
                ? Classify(valueTokens!.GetRange(values[k].Item1, values[k].Item2 - values[k].Item1), false, target[a].Line)
                : Unknown("an unpacked value", target[a].Line);
            k++;
            if (Is(item[0], "*")) item = item.GetRange(1, item.Count - 1);
            BindTargets(item, itemValue, condition);
        }
    }

    private void BindWalrus(List<PyToken> s)
    {
        for (var i = 0; i + 1 < s.Count; i++)
            if (IsName(s[i]) && Is(s[i + 1], ":="))
                Bind(Name(s[i]), Unknown("an assignment expression (:=)", s[i].Line) with { Condition = CurrentCondition });
    }

    private void CheckDynamic(List<PyToken> s)
    {
        for (var i = 0; i + 1 < s.Count; i++)
        {
            if (s[i].Kind != PyTokenKind.Name || !Is(s[i + 1], "(")) continue;
            if (i > 0 && Is(s[i - 1], ".")) continue;
            var name = Text(s[i]);
            string? why = null;
            if (name is "globals" or "vars" or "locals" or "exec")
                why = $"line {s[i].Line}: {name}() may create or change module-level names, which cannot be listed without running the code.";
            else if (name == "setattr" && i + 4 < s.Count && Is(s[i + 2], "sys") && Is(s[i + 4], "modules"))
                why = $"line {s[i].Line}: setattr(sys.modules[...]) may create module-level names, which cannot be listed without running the code.";
            if (why is null) continue;
            _m.Warnings.Add(why);
            _m.RunTimeNames.Add(why);
        }
    }

    /// <summary>
    /// A cheap part of Python's grammar that catches most garbage: two operands (names,
    /// numbers, or a string after a non-string) can never stand side by side.
    /// </summary>
    private void CheckAdjacency(List<PyToken> s)
    {
        if (Is(s[0], "import") || Is(s[0], "from") || Is(s[0], "type")) return; // type X = ... (3.12) starts with two names
        for (var i = 0; i + 1 < s.Count; i++)
        {
            var a = s[i];
            var b = s[i + 1];
            var aOperand = a.Kind is PyTokenKind.Number or PyTokenKind.String || IsName(a) || Is(a, ")") || Is(a, "]") || Is(a, "}");
            var bOperand = b.Kind is PyTokenKind.Number or PyTokenKind.String || IsName(b);
            if (!aOperand || !bOperand) continue;
            if (a.Kind == PyTokenKind.String && b.Kind == PyTokenKind.String)
            {
                // Implicit concatenation, which may not mix bytes and str.
                if (IsBytesLiteral(a) != IsBytesLiteral(b)) throw new PySyntaxException("cannot mix bytes and nonbytes literals", a.Line);
                continue;
            }
            throw new PySyntaxException("invalid syntax", b.Line);
        }
    }

    private bool IsBytesLiteral(PyToken t)
    {
        for (var i = t.Start; i < t.End && _t.Source[i] is not ('\'' or '"'); i++)
            if (_t.Source[i] is 'b' or 'B') return true;
        return false;
    }

    private void Import(List<PyToken> s)
    {
        foreach (var (a, b) in SplitTopRanges(s, 1, s.Count, ","))
        {
            var (dotted, end) = Dotted(s, a, b);
            if (dotted.Count == 0) throw new PySyntaxException("invalid syntax in import statement", s[0].Line);
            var module = string.Join('.', dotted);
            if (end + 1 < b && Is(s[end], "as") && IsName(s[end + 1]))
                Bind(Name(s[end + 1]), new PyModuleImportBinding(module) { Line = s[0].Line, Condition = CurrentCondition });
            else
                Bind(dotted[0], new PyModuleImportBinding(dotted[0]) { Line = s[0].Line, Condition = CurrentCondition });
        }
    }

    private void FromImport(List<PyToken> s)
    {
        var line = s[0].Line;
        var i = 1;
        var level = 0;
        while (i < s.Count && (Is(s[i], ".") || Is(s[i], "...")))
        {
            level += s[i].Length;
            i++;
        }
        var importAt = IndexOfTopRange(s, "import", i, s.Count);
        if (importAt < 0) throw new PySyntaxException("invalid syntax in from-import statement", line);
        var (dotted, _) = Dotted(s, i, importAt);
        if (dotted.Count == 0 && level == 0) throw new PySyntaxException("invalid syntax in from-import statement", line);
        var module = string.Join('.', dotted);
        var from = importAt + 1;
        var to = s.Count;
        if (from < to && Is(s[from], "(") && Is(s[to - 1], ")")) { from++; to--; }
        if (from < to && Is(s[from], "*"))
        {
            _m.Events.Add(new PyStarImportEvent(module, level, line, CurrentCondition, _blocks.Any(b => b.Keyword == "except")));
            return;
        }
        foreach (var (a, b) in SplitTopRanges(s, from, to, ","))
        {
            if (a == b) continue;
            if (!IsName(s[a])) throw new PySyntaxException("invalid syntax in from-import statement", line);
            var name = Name(s[a]);
            var bound = b == a + 3 && Is(s[a + 1], "as") && IsName(s[a + 2]) ? Name(s[a + 2]) : name;
            Bind(bound, new PyFromImportBinding(module, level, name) { Line = line, Condition = CurrentCondition });
        }
    }

    private (List<string> Parts, int End) Dotted(List<PyToken> s, int from, int to)
    {
        var parts = new List<string>();
        var i = from;
        while (i < to && IsName(s[i]))
        {
            parts.Add(Name(s[i]));
            i++;
            if (i < to && Is(s[i], ".")) i++; else break;
        }
        return (parts, i);
    }

    private void Bind(string name, PyBinding binding) =>
        _m.Events.Add(new PyBindEvent(name, _blocks.Any(b => b.Keyword == "except") ? binding with { InExcept = true } : binding));

    private static PyUnknownBinding Unknown(string reason, int line) => new(reason) { Line = line };

    // ---- sys.path -----------------------------------------------------------------------------

    /// <summary>
    /// A path the reader can evaluate: <paramref name="Folder"/> relative to the module's folder
    /// ('/'-separated, "" the folder itself, may start with ".."), <paramref name="IsFile"/> for
    /// <c>__file__</c> itself; or a plain string (<paramref name="Text"/>), such as 'src'.
    /// </summary>
    private sealed record PathValue(string? Folder, bool IsFile = false, string? Text = null)
    {
        public PathValue? Parent() => IsFile ? new PathValue("")
            : Folder is null ? null
            : Folder.Length == 0 ? new PathValue("..")
            : Folder.Split('/')[^1] == ".." ? new PathValue(Folder + "/..")
            : new PathValue(Folder.Contains('/') ? Folder[..Folder.LastIndexOf('/')] : "");

        /// <summary>The folder joined with relative string parts ('src', 'a/b'); null for an absolute part or a non-folder.</summary>
        public PathValue? Join(IEnumerable<PathValue?> parts)
        {
            var folder = IsFile ? null : Folder;
            foreach (var part in parts)
            {
                if (folder is null || part?.Text is not { } text || text.StartsWith('/')) return null;
                foreach (var segment in text.Split('/', StringSplitOptions.RemoveEmptyEntries))
                {
                    if (segment == "..") folder = new PathValue(folder).Parent()!.Folder!;
                    else if (segment != ".") folder = folder.Length == 0 ? segment : folder + "/" + segment;
                }
            }
            return folder is null ? null : new PathValue(folder);
        }
    }

    // Calls that return their (first) argument's location unchanged, as far as import lookup cares.
    private static readonly HashSet<string> SamePathCalls = ["abspath", "realpath", "normpath", "expanduser", "Path", "PurePath", "PosixPath", "str", "fspath"];

    /// <summary><c>sys.path.insert(i, folder)</c> / <c>sys.path.append(folder)</c> with a folder the reader can evaluate.</summary>
    private void SysPath(List<PyToken> s)
    {
        if (s.Count < 7 || !Is(s[0], "sys") || !Is(s[1], ".") || !Is(s[2], "path") || !Is(s[3], ".") || !Is(s[5], "(") || Matching(s, 5) != s.Count - 1) return;
        var args = SplitTopRanges(s, 6, s.Count - 1, ",");
        if (args.Count > 0 && args[^1].Item1 == args[^1].Item2) args.RemoveAt(args.Count - 1);
        int index;
        (int, int) folder;
        if (Is(s[4], "append") && args.Count == 1) (index, folder) = (-1, args[0]);
        else if (Is(s[4], "insert") && args.Count == 2 && args[0].Item2 == args[0].Item1 + 1 && int.TryParse(Text(s[args[0].Item1]), out var at) && at >= 0) (index, folder) = (at, args[1]);
        else return;
        if (PathOf(s, folder.Item1, folder.Item2) is { Folder: { } relative, IsFile: false })
            _m.Events.Add(new PySysPathEvent(relative, index, s[0].Line));
    }

    /// <summary>
    /// Evaluates the path expressions hubconf files use to find their own folders: <c>__file__</c>,
    /// <c>os.path.dirname/join/abspath/realpath</c>, <c>pathlib.Path(...).parent / 'src'</c>,
    /// <c>.resolve()</c>, <c>.joinpath(...)</c>, <c>str(...)</c>, string literals and names bound to
    /// such values earlier in the module. Anything else is null.
    /// </summary>
    private PathValue? PathOf(List<PyToken> t, int a, int b)
    {
        while (b - a >= 2 && Is(t[a], "(") && Matching(t, a) == b - 1) { a++; b--; }
        if (b <= a) return null;
        if (t[a].Kind == PyTokenKind.String) // a folder name, never a long text (decoding a 50 MB literal twice costs seconds)
            return t[b - 1].End - t[a].Start <= 4096 && Docstring(t.GetRange(a, b - a)) is { } text ? new PathValue(null, Text: text) : null;

        // pathlib's '/' (left-associative: split at the last top-level one).
        var slash = -1;
        for (var i = IndexOfTopRange(t, "/", a, b); i >= 0; i = IndexOfTopRange(t, "/", i + 1, b)) slash = i;
        if (slash > a)
            return PathOf(t, a, slash) is { } left && (left.Folder is not null || left.IsFile) ? left.Join([PathOf(t, slash + 1, b)]) : null;

        if (b == a + 1 && IsName(t[a]))
            return Name(t[a]) == "__file__" ? new PathValue(null, IsFile: true) : _paths.GetValueOrDefault(Name(t[a]));

        // x.parent, x.parents[k]
        if (b - a >= 3 && Is(t[b - 1], "parent") && Is(t[b - 2], "."))
            return PathOf(t, a, b - 2)?.Parent();
        if (b - a >= 6 && Is(t[b - 1], "]") && Is(t[b - 3], "[") && Is(t[b - 4], "parents") && Is(t[b - 5], ".") && int.TryParse(Text(t[b - 2]), out var up))
        {
            var p = PathOf(t, a, b - 5);
            for (var i = 0; i <= up && p is not null; i++) p = p.Parent();
            return p;
        }

        // A call: f(args) or x.method(args).
        if (!Is(t[b - 1], ")")) return null;
        var open = -1;
        for (var i = b - 1; i >= a; i--)
            if (Is(t[i], "(") && Matching(t, i) == b - 1) { open = i; break; }
        if (open <= a || !IsName(t[open - 1])) return null;
        var callee = Name(t[open - 1]);
        var args = SplitTopRanges(t, open + 1, b - 1, ",").Where(r => r.Item2 > r.Item1).Select(r => PathOf(t, r.Item1, r.Item2)).ToList();
        var receiver = open - 1 > a && Is(t[open - 2], ".") ? (From: a, To: open - 2) : (From: -1, To: -1);
        if (receiver.From >= 0 && !IsModuleLike(t, receiver.From, receiver.To))
        {
            // A method of a pathlib object.
            var self = PathOf(t, receiver.From, receiver.To);
            return callee switch
            {
                "resolve" or "absolute" or "expanduser" when args.Count == 0 => self,
                "joinpath" => self?.Join(args),
                _ => null,
            };
        }
        return callee switch
        {
            "dirname" when args.Count == 1 => args[0]?.Parent(),
            "join" when args.Count >= 1 => args[0]?.Join(args.Skip(1)),
            _ when SamePathCalls.Contains(callee) && args.Count == 1 => args[0],
            _ => null,
        };
    }

    /// <summary>Whether tokens [a, b) are a dotted module name (os.path, osp, pathlib), not a value to call a method on.</summary>
    private bool IsModuleLike(List<PyToken> t, int a, int b)
    {
        var (dotted, end) = Dotted(t, a, b);
        return end == b && dotted.Count > 0 && dotted[0] is "os" or "osp" or "path" or "pathlib" && !_paths.ContainsKey(dotted[0]);
    }

    // ---- values -------------------------------------------------------------------------------

    /// <summary>What an assigned expression is, as far as it can be told without evaluating it.</summary>
    private PyBinding Classify(List<PyToken> v, bool truncated, int line)
    {
        if (truncated) return Unknown("an expression too long to analyse", line);
        while (v.Count >= 2 && Is(v[0], "(") && Matching(v, 0) == v.Count - 1
               && IndexOfTopRange(v, ",", 1, v.Count - 1) < 0 && IndexOfTopRange(v, "for", 1, v.Count - 1) < 0)
            v = v.GetRange(1, v.Count - 2);
        if (v.Count == 0) return new PyValueBinding("tuple") { Line = line };

        if (Is(v[0], "lambda"))
        {
            var colon = IndexOfTopRange(v, ":", 1, v.Count);
            var body = colon > 0 ? v.GetRange(colon + 1, v.Count - colon - 1) : [];
            return new PyLambdaBinding(colon > 1 ? Parameters(v, 1, colon) : [], CallOf(body)) { Line = line };
        }
        var (dotted, end) = Dotted(v, 0, v.Count);
        if (dotted.Count > 0 && end == v.Count && Text(v[end - 1]) != ".")
            return new PyAliasBinding(dotted) { Line = line };
        if (dotted.Count > 0 && end < v.Count && Is(v[end], "(") && Matching(v, end) == v.Count - 1)
        {
            if (dotted[^1] == "partial")
            {
                var args = SplitTopRanges(v, end + 1, v.Count - 1, ",");
                if (args.Count > 0)
                {
                    var (a, b) = args[0];
                    var (target, targetEnd) = Dotted(v, a, b);
                    if (target.Count > 0 && targetEnd == b)
                        return new PyPartialBinding(dotted, target, SourceText(v, end + 1, v.Count - 1)) { Line = line };
                }
            }
            return new PyCallBinding(dotted) { Line = line };
        }
        if (Is(v[0], "None") || Is(v[0], "True") || Is(v[0], "False") || v[0].Kind is PyTokenKind.Number or PyTokenKind.String
            || Is(v[0], "[") || Is(v[0], "{") || Is(v[0], "(") || Is(v[0], "-") || Is(v[0], "+") || Is(v[0], "~") || Is(v[0], "not"))
        {
            // A literal or display, possibly combined with operators; no attribute access, call,
            // subscript, or boolean/conditional operator that could yield something else.
            var i = 0;
            while (i < v.Count)
            {
                var t = v[i];
                if (Is(t, "[") || Is(t, "{") || Is(t, "("))
                {
                    var previousIsOperand = i > 0 && (v[i - 1].Kind is PyTokenKind.Name or PyTokenKind.String or PyTokenKind.Number || Is(v[i - 1], ")") || Is(v[i - 1], "]") || Is(v[i - 1], "}"));
                    if (previousIsOperand && !Keywords.Contains(Text(v[i - 1]))) return Unknown("an expression the reader does not evaluate", line);
                    i = Matching(v, i) + 1;
                    if (i == 0) return Unknown("an expression the reader does not evaluate", line);
                    continue;
                }
                if (Is(t, ".") || Is(t, "if") || Is(t, "or") || Is(t, "and") || Is(t, "lambda") || Is(t, "await"))
                    return Unknown("an expression the reader does not evaluate", line);
                if (t.Kind == PyTokenKind.Name && !Keywords.Contains(Text(t)))
                    return Unknown("an expression the reader does not evaluate", line);
                i++;
            }
            var kind = v[0].Kind switch
            {
                PyTokenKind.String => "a string",
                PyTokenKind.Number => "a number",
                _ => Text(v[0]) switch { "[" => "a list", "{" => "a dict or set", "(" => "a tuple", _ => "a constant" },
            };
            // A plain string constant keeps its value (decorators may add it to __doc__); not a huge one.
            var text = v[0].Kind == PyTokenKind.String && v.All(x => x.Kind == PyTokenKind.String) && v[^1].End - v[0].Start <= 1 << 20 ? Docstring(v) : null;
            return new PyValueBinding(kind) { Line = line, StringValue = text };
        }
        return Unknown("an expression the reader does not evaluate", line);
    }

    /// <summary>The callee when the tokens are exactly one call <c>a.b(...)</c>, else null.</summary>
    private IReadOnlyList<string>? CallOf(List<PyToken> v)
    {
        var (dotted, end) = Dotted(v, 0, v.Count);
        return dotted.Count > 0 && end < v.Count && Is(v[end], "(") && Matching(v, end) == v.Count - 1 ? dotted : null;
    }

    /// <summary>A literal list/tuple of strings (or one string when <paramref name="single"/>), else null.</summary>
    private List<string>? StringList(List<PyToken> v, bool single = false)
    {
        if (!single)
        {
            if (v.Count < 2 || !(Is(v[0], "[") || Is(v[0], "(")) || Matching(v, 0) != v.Count - 1) return null;
            v = v.GetRange(1, v.Count - 2);
        }
        var result = new List<string>();
        foreach (var (a, b) in SplitTopRanges(v, 0, v.Count, ","))
        {
            if (a == b) continue;
            var doc = Docstring(v.GetRange(a, b - a));
            if (doc is null) return null;
            result.Add(doc);
        }
        return single && result.Count != 1 ? null : result;
    }

    // ---- token-list helpers ------------------------------------------------------------------------

    private int Matching(List<PyToken> t, int open)
    {
        var depth = 0;
        for (var i = open; i < t.Count; i++)
        {
            if (t[i].Kind != PyTokenKind.Op) continue;
            var c = _t.Source[t[i].Start];
            if (t[i].Length != 1) continue;
            if (c is '(' or '[' or '{') depth++;
            else if (c is ')' or ']' or '}' && --depth == 0) return i;
        }
        return -1;
    }

    /// <summary>The colon ending a compound-statement header (lambda colons skipped).</summary>
    private int HeaderColon(List<PyToken> t, int from)
    {
        var depth = 0;
        var lambdas = 0;
        for (var i = from; i < t.Count; i++)
        {
            var x = t[i];
            if (x.Kind == PyTokenKind.Op && x.Length == 1)
            {
                var c = _t.Source[x.Start];
                if (c is '(' or '[' or '{') depth++;
                else if (c is ')' or ']' or '}') depth--;
                else if (c == ':' && depth == 0)
                {
                    if (lambdas > 0) lambdas--;
                    else return i;
                }
            }
            else if (depth == 0 && Is(x, "lambda")) lambdas++;
        }
        return -1;
    }

    private int IndexOfTop(List<PyToken> t, string text, int from) => IndexOfTopRange(t, text, from, t.Count);

    private int IndexOfTopRange(List<PyToken> t, string text, int from, int to)
    {
        var depth = 0;
        for (var i = from; i < to; i++)
        {
            var x = t[i];
            if (x.Kind == PyTokenKind.Op && x.Length == 1)
            {
                var c = _t.Source[x.Start];
                if (c is '(' or '[' or '{') { depth++; continue; }
                if (c is ')' or ']' or '}') { depth--; continue; }
            }
            if (depth == 0 && Is(x, text)) return i;
        }
        return -1;
    }

    private int IndexOfAugmented(List<PyToken> t)
    {
        var depth = 0;
        for (var i = 0; i < t.Count; i++)
        {
            var x = t[i];
            if (x.Kind != PyTokenKind.Op) continue;
            var text = Text(x);
            if (text is "(" or "[" or "{") depth++;
            else if (text is ")" or "]" or "}") depth--;
            else if (depth == 0 && text.Length >= 2 && text[^1] == '=' && text is not ("==" or "<=" or ">=" or "!=")) return i;
        }
        return -1;
    }

    private List<(int, int)> SplitTopRanges(List<PyToken> t, int from, int to, string separator)
    {
        var result = new List<(int, int)>();
        var depth = 0;
        var start = from;
        for (var i = from; i < to; i++)
        {
            var x = t[i];
            if (x.Kind == PyTokenKind.Op && x.Length == 1)
            {
                var c = _t.Source[x.Start];
                if (c is '(' or '[' or '{') { depth++; continue; }
                if (c is ')' or ']' or '}') { depth--; continue; }
            }
            if (depth == 0 && Is(x, separator)) { result.Add((start, i)); start = i + 1; }
        }
        result.Add((start, to));
        return result;
    }

    private List<List<PyToken>> SplitTop(List<PyToken> t, string separator) =>
        SplitTopRanges(t, 0, t.Count, separator).Select(r => t.GetRange(r.Item1, r.Item2 - r.Item1)).ToList();

    [GeneratedRegex(@"[ \t\f]*\n\s*")]
    private static partial Regex NewlineRun();

    /// <summary>The source text of tokens [from, to), with line breaks folded to one space.</summary>
    private string SourceText(List<PyToken> t, int from, int to)
    {
        if (to <= from) return "";
        var text = _t.Source.Substring(t[from].Start, t[to - 1].End - t[from].Start);
        return text.Contains('\n') ? NewlineRun().Replace(text, " ") : text;
    }
}
