using System.Collections.Generic;
using System.Linq;

namespace TorchHub.Hubconf.Python;

/// <summary>
/// Reads what a module-level function does to the <c>__doc__</c> of its first parameter when it
/// is used as a decorator (<see cref="PyDocEdit"/>). Only called for bodies that mention
/// <c>__doc__</c>. It follows the statements of the body in order: <c>fn.__doc__ = ...</c> and
/// <c>+=</c>, local string variables, a nested <c>@functools.wraps(fn)</c> wrapper (which starts
/// with fn's <c>__doc__</c>), <c>if</c>/<c>else</c> on string tests, and the final <c>return</c>.
/// Anything else that touches <c>__doc__</c> (a loop, a call, an f-string, rebinding fn) makes the
/// edit unfollowed, and the reader says the help may differ.
/// </summary>
internal sealed partial class PyModuleParser
{
    private sealed class DocState
    {
        /// <summary>The <c>__doc__</c> of each tracked object (the parameter, wrappers) and the local string variables.</summary>
        public Dictionary<string, PyStr> Docs { get; init; } = new(System.StringComparer.Ordinal);
        public Dictionary<string, PyStr> Locals { get; init; } = new(System.StringComparer.Ordinal);
        public DocState Copy() => new() { Docs = new(Docs, System.StringComparer.Ordinal), Locals = new(Locals, System.StringComparer.Ordinal) };
    }

    private sealed class DocEditFailed(string why) : System.Exception(why);

    private PyDocEdit DocEdit(IReadOnlyList<HubParameter> parameters, List<(int Depth, List<PyToken> Tokens)> lines)
    {
        if (parameters.Count == 0 || parameters[0].Kind is not (HubParameterKind.Normal or HubParameterKind.PositionalOnly))
            return PyDocEdit.Unfollowed("it takes no function to decorate");
        var state = new DocState();
        state.Docs[parameters[0].Name] = new PyStr.Input();
        try
        {
            var start = lines.Count > 0 && Docstring(lines[0].Tokens) is not null ? 1 : 0;
            var result = DocBlock(lines, start, lines.Count, 1, state, parameters[0].Name);
            return result is null ? PyDocEdit.Unfollowed("it does not end by returning the function or a functools.wraps wrapper of it") : new PyDocEdit(result, null);
        }
        catch (DocEditFailed failed)
        {
            return PyDocEdit.Unfollowed(failed.Message);
        }
    }

    /// <summary>Runs the statements of lines [from, to) at <paramref name="depth"/>; the __doc__ returned, if the block returns.</summary>
    private PyStr? DocBlock(List<(int Depth, List<PyToken> Tokens)> lines, int from, int to, int depth, DocState state, string parameter)
    {
        var i = from;
        while (i < to)
        {
            var (d, t) = lines[i];
            var blockEnd = i + 1;
            while (blockEnd < to && lines[blockEnd].Depth > depth) blockEnd++;
            if (d != depth || t.Count == 0) throw new DocEditFailed($"line {t.FirstOrDefault().Line}: unexpected indentation");
            var line = t[0].Line;
            bool MentionsDoc(int a, int b) => Enumerable.Range(a, b - a).Any(k => lines[k].Tokens.Any(x => Is(x, "__doc__")));

            if (Is(t[0], "@") || Is(t[0], "def") || Is(t[0], "async"))
            {
                // A nested function: a functools.wraps(parameter) wrapper starts with the parameter's __doc__.
                var decorators = i;
                while (i + 1 < to && Is(lines[i].Tokens[0], "@")) i++;
                var def = lines[i].Tokens;
                blockEnd = i + 1;
                while (blockEnd < to && lines[blockEnd].Depth > depth) blockEnd++;
                var at = Is(def[0], "async") ? 1 : 0;
                if (def.Count < at + 2 || !Is(def[at], "def") || !IsName(def[at + 1])) throw new DocEditFailed($"line {line}: a decorator the reader does not follow");
                var name = Name(def[at + 1]);
                var wraps = Enumerable.Range(decorators, i - decorators).Any(k => IsWrapsOf(lines[k].Tokens, parameter));
                if (wraps && state.Docs.TryGetValue(parameter, out var current)) state.Docs[name] = current;
                else state.Docs.Remove(name);
                state.Locals.Remove(name);
                i = blockEnd;
                continue;
            }
            if (Is(t[0], "return"))
            {
                if (t.Count == 2 && IsName(t[1]) && state.Docs.TryGetValue(Name(t[1]), out var returned)) return returned;
                throw new DocEditFailed($"line {line}: it returns something other than the function or a functools.wraps wrapper of it");
            }
            if (Is(t[0], "if") && Is(t[^1], ":"))
            {
                var test = DocTest(t, 1, t.Count - 1, state);
                var otherwise = blockEnd < to && lines[blockEnd].Depth == depth && lines[blockEnd].Tokens is [var e, var c] && Is(e, "else") && Is(c, ":");
                var elseEnd = blockEnd + 1;
                while (otherwise && elseEnd < to && lines[elseEnd].Depth > depth) elseEnd++;
                var thenState = state.Copy();
                var elseState = state.Copy();
                if (DocBlock(lines, i + 1, blockEnd, depth + 1, thenState, parameter) is not null
                    || (otherwise && DocBlock(lines, blockEnd + 1, elseEnd, depth + 1, elseState, parameter) is not null))
                    throw new DocEditFailed($"line {line}: it returns inside an if statement");
                foreach (var table in new[] { (state.Docs, thenState.Docs, elseState.Docs), (state.Locals, thenState.Locals, elseState.Locals) })
                {
                    var (into, then, @else) = table;
                    foreach (var key in then.Keys.Union(@else.Keys).ToList())
                    {
                        if (!then.TryGetValue(key, out var a) || !@else.TryGetValue(key, out var b)) { into.Remove(key); continue; }
                        into[key] = a == b ? a : new PyStr.Conditional(test.Value, test.IsNone, test.Negated ? b : a, test.Negated ? a : b);
                    }
                }
                i = otherwise ? elseEnd : blockEnd;
                continue;
            }
            if (blockEnd > i + 1 || (t.Count > 0 && CompoundKeywords.Contains(Text(t[0]))))
            {
                // Another compound statement (for, while, try, with): followed only when it leaves __doc__ alone.
                if (MentionsDoc(i, blockEnd)) throw new DocEditFailed($"line {line}: __doc__ is changed inside a {Text(t[0])} statement");
                i = blockEnd;
                continue;
            }

            foreach (var simple in SplitTop(t, ";"))
                DocStatement(simple, state, parameter);
            i = blockEnd;
        }
        return null;
    }

    private bool IsWrapsOf(List<PyToken> t, string parameter)
    {
        // @wraps(fn) or @functools.wraps(fn)
        var i = 1;
        if (i + 1 < t.Count && Is(t[i], "functools") && Is(t[i + 1], ".")) i += 2;
        return t.Count == i + 4 && Is(t[i], "wraps") && Is(t[i + 1], "(") && Is(t[i + 2], parameter) && Is(t[i + 3], ")");
    }

    private void DocStatement(List<PyToken> s, DocState state, string parameter)
    {
        if (s.Count == 0) return;
        var line = s[0].Line;
        var mentionsDoc = s.Any(x => Is(x, "__doc__"));
        // fn.__doc__ = value / fn.__doc__ += value
        if (s.Count >= 5 && IsName(s[0]) && Is(s[1], ".") && Is(s[2], "__doc__") && (Is(s[3], "=") || Is(s[3], "+=")))
        {
            var target = Name(s[0]);
            if (!state.Docs.TryGetValue(target, out var current)) throw new DocEditFailed($"line {line}: __doc__ of '{target}' is changed");
            if (IndexOfTopRange(s, "=", 4, s.Count) >= 0) throw new DocEditFailed($"line {line}: a chained assignment to __doc__");
            var value = DocExpression(s, 4, s.Count, state);
            state.Docs[target] = Is(s[3], "+=") ? new PyStr.Concat(current, value) : value;
            return;
        }
        // name = value / name += value: a local string variable (or something the reader does not follow).
        if (s.Count >= 3 && IsName(s[0]) && (Is(s[1], "=") || Is(s[1], "+=")))
        {
            var name = Name(s[0]);
            if (state.Docs.ContainsKey(name)) throw new DocEditFailed($"line {line}: '{name}' is bound to something else");
            try
            {
                var value = DocExpression(s, 2, s.Count, state);
                if (Is(s[1], "+="))
                {
                    if (!state.Locals.TryGetValue(name, out var before)) throw new DocEditFailed($"line {line}: '{name}' += before it is set");
                    value = new PyStr.Concat(before, value);
                }
                state.Locals[name] = value;
            }
            catch (DocEditFailed) when (!mentionsDoc)
            {
                state.Locals.Remove(name); // not a string: harmless unless used for __doc__ later
            }
            return;
        }
        if (mentionsDoc) throw new DocEditFailed($"line {line}: a statement on __doc__ the reader does not evaluate");
    }

    private readonly record struct DocCondition(PyStr Value, bool IsNone, bool Negated);

    /// <summary>An if-test on a string: <c>x</c>, <c>not x</c>, <c>x is None</c>, <c>x is not None</c>.</summary>
    private DocCondition DocTest(List<PyToken> t, int a, int b, DocState state)
    {
        var negated = false;
        for (; b - a >= 2 && Is(t[a], "not"); a++) negated = !negated;
        if (b - a >= 3 && Is(t[b - 1], "None") && Is(t[b - 2], "is"))
            return new DocCondition(DocExpression(t, a, b - 2, state), true, negated);
        if (b - a >= 4 && Is(t[b - 1], "None") && Is(t[b - 2], "not") && Is(t[b - 3], "is"))
            return new DocCondition(DocExpression(t, a, b - 3, state), true, !negated);
        return new DocCondition(DocExpression(t, a, b, state), false, negated);
    }

    /// <summary>A string expression of the decorator body, or <see cref="DocEditFailed"/>.</summary>
    private PyStr DocExpression(List<PyToken> t, int a, int b, DocState state)
    {
        // `a or b or ...` and nested conditionals recurse: bounded, so hostile input cannot overflow the stack.
        if (++_docDepth > MaxDocDepth) throw new DocEditFailed($"line {t[a].Line}: an expression nested too deeply");
        try
        {
            return DocExpressionCore(t, a, b, state);
        }
        finally
        {
            _docDepth--;
        }
    }

    private const int MaxDocDepth = 100;
    private int _docDepth;

    private PyStr DocExpressionCore(List<PyToken> t, int a, int b, DocState state)
    {
        while (b - a >= 2 && Is(t[a], "(") && Matching(t, a) == b - 1) { a++; b--; }
        if (b <= a) throw new DocEditFailed($"line {t[0].Line}: an empty expression");
        var line = t[a].Line;

        // x if test else y
        var @if = IndexOfTopRange(t, "if", a, b);
        if (@if > a)
        {
            var @else = IndexOfTopRange(t, "else", @if, b);
            if (@else < 0) throw new DocEditFailed($"line {line}: a conditional expression without else");
            var test = DocTest(t, @if + 1, @else, state);
            var then = DocExpression(t, a, @if, state);
            var otherwise = DocExpression(t, @else + 1, b, state);
            return new PyStr.Conditional(test.Value, test.IsNone, test.Negated ? otherwise : then, test.Negated ? then : otherwise);
        }
        var or = IndexOfTopRange(t, "or", a, b);
        if (or > a) return new PyStr.Or(DocExpression(t, a, or, state), DocExpression(t, or + 1, b, state));
        var plus = SplitTopRanges(t, a, b, "+");
        if (plus.Count > 1)
        {
            if (plus.Any(p => p.Item1 == p.Item2)) throw new DocEditFailed($"line {line}: a unary '+'");
            return plus.Skip(1).Aggregate(DocExpression(t, plus[0].Item1, plus[0].Item2, state), (left, p) => new PyStr.Concat(left, DocExpression(t, p.Item1, p.Item2, state)));
        }
        if (t[a].Kind == PyTokenKind.String)
            return Docstring(t.GetRange(a, b - a)) is { } text ? new PyStr.Literal(text) : throw new DocEditFailed($"line {line}: an f-string or bytes literal");
        if (b == a + 1 && Is(t[a], "None")) return new PyStr.Literal(null);
        if (b == a + 1 && IsName(t[a]))
        {
            var name = Name(t[a]);
            if (state.Locals.TryGetValue(name, out var local)) return local;
            if (state.Docs.ContainsKey(name)) throw new DocEditFailed($"line {line}: '{name}' is used as a string");
            return new PyStr.Constant(name);
        }
        // fn.__doc__
        if (b == a + 3 && IsName(t[a]) && Is(t[a + 1], ".") && Is(t[a + 2], "__doc__"))
            return state.Docs.TryGetValue(Name(t[a]), out var doc) ? doc : throw new DocEditFailed($"line {line}: the __doc__ of '{Name(t[a])}'");
        // x.strip(), x.replace(a, b)
        if (Is(t[b - 1], ")"))
        {
            for (var open = b - 2; open > a + 1; open--)
            {
                if (!Is(t[open], "(") || Matching(t, open) != b - 1) continue;
                if (Is(t[open - 2], ".") && Text(t[open - 1]) is "strip" or "lstrip" or "rstrip" or "replace")
                {
                    var args = SplitTopRanges(t, open + 1, b - 1, ",").Where(r => r.Item2 > r.Item1).Select(r => DocExpression(t, r.Item1, r.Item2, state)).ToList();
                    return new PyStr.Method(DocExpression(t, a, open - 2, state), Text(t[open - 1]), args);
                }
                break;
            }
        }
        throw new DocEditFailed($"line {line}: '{SourceText(t, a, b)}' is not a plain string operation");
    }
}
