using System;
using System.Collections.Generic;

namespace TorchHub.Hubconf.Python;

/// <summary>
/// What a decorator defined in the repository does to the <c>__doc__</c> of the function it
/// decorates, read from its body by <see cref="PyModuleParser"/>: the <c>__doc__</c> of what it
/// returns as a string expression over the original <c>__doc__</c> (<see cref="Result"/>), or
/// why the reader cannot follow it (<see cref="Problem"/>). Only plain string operations are
/// followed: literals, module string constants, <c>+</c>, <c>+=</c>, <c>or</c>, conditionals on
/// <c>__doc__</c>, <c>strip</c>/<c>replace</c>, through a <c>functools.wraps</c> wrapper.
/// </summary>
internal sealed record PyDocEdit(PyStr? Result, string? Problem)
{
    public static PyDocEdit Unfollowed(string problem) => new(null, problem);
}

/// <summary>A string expression of a decorator body (an immutable tree).</summary>
internal abstract record PyStr
{
    /// <summary>The decorated function's <c>__doc__</c> as it comes in (a string, or None).</summary>
    public sealed record Input : PyStr;

    public sealed record Literal(string? Value) : PyStr;

    /// <summary>A module-level name of the decorator's module, bound to a string literal.</summary>
    public sealed record Constant(string Name) : PyStr;

    public sealed record Concat(PyStr Left, PyStr Right) : PyStr;

    /// <summary><c>Left or Right</c>.</summary>
    public sealed record Or(PyStr Left, PyStr Right) : PyStr;

    /// <summary><c>Then if Test else Otherwise</c>, where the test is <c>Test</c>'s truth, or <c>Test is None</c> when <paramref name="IsNoneTest"/>.</summary>
    public sealed record Conditional(PyStr Test, bool IsNoneTest, PyStr Then, PyStr Otherwise) : PyStr;

    /// <summary><c>Target.strip()</c>, <c>.lstrip()</c>, <c>.rstrip()</c>, <c>.replace(a, b)</c>.</summary>
    public sealed record Method(PyStr Target, string Name, IReadOnlyList<PyStr> Arguments) : PyStr;

    /// <summary>
    /// The value as Python computes it, given the incoming <c>__doc__</c> and the module's string
    /// constants; false when Python would raise (None + str, None.strip()) or a constant is unknown.
    /// </summary>
    public bool TryEvaluate(string? input, Func<string, string?> constant, out string? value)
    {
        value = null;
        switch (this)
        {
            case Input:
                value = input;
                return true;
            case Literal l:
                value = l.Value;
                return true;
            case Constant c:
                value = constant(c.Name);
                return value is not null;
            case Concat x:
                if (!x.Left.TryEvaluate(input, constant, out var left) || !x.Right.TryEvaluate(input, constant, out var right) || left is null || right is null) return false;
                value = left + right;
                return true;
            case Or o:
                if (!o.Left.TryEvaluate(input, constant, out var first)) return false;
                if (!string.IsNullOrEmpty(first)) { value = first; return true; }
                return o.Right.TryEvaluate(input, constant, out value);
            case Conditional q:
                if (!q.Test.TryEvaluate(input, constant, out var test)) return false;
                var holds = q.IsNoneTest ? test is null : !string.IsNullOrEmpty(test);
                return (holds ? q.Then : q.Otherwise).TryEvaluate(input, constant, out value);
            case Method m:
                if (!m.Target.TryEvaluate(input, constant, out var target) || target is null) return false;
                var args = new List<string>();
                foreach (var a in m.Arguments)
                {
                    if (!a.TryEvaluate(input, constant, out var arg) || arg is null) return false;
                    args.Add(arg);
                }
                value = (m.Name, args.Count) switch
                {
                    ("strip", 0) => target.Trim(PythonWhitespace),
                    ("lstrip", 0) => target.TrimStart(PythonWhitespace),
                    ("rstrip", 0) => target.TrimEnd(PythonWhitespace),
                    ("replace", 2) when args[0].Length > 0 => target.Replace(args[0], args[1], StringComparison.Ordinal),
                    _ => null,
                };
                return value is not null;
        }
        return false;
    }

    // str.strip() without arguments strips what str.isspace() calls whitespace; these are the ASCII
    // ones plus the Unicode separators a docstring might hold.
    private static readonly char[] PythonWhitespace =
        [' ', '\t', '\n', '\r', '\v', '\f', '\x1c', '\x1d', '\x1e', '\x1f', '\x85', '\xa0', '\u1680', '\u2000', '\u2001', '\u2002',
         '\u2003', '\u2004', '\u2005', '\u2006', '\u2007', '\u2008', '\u2009', '\u200a', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000'];
}
