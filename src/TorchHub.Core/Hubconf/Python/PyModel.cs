using System.Collections.Generic;

namespace TorchHub.Hubconf.Python;

/// <summary>What one .py file binds at module level, in statement order (parsed once, cached).</summary>
internal sealed class PyModule
{
    public required string FilePath { get; init; }

    public List<PyEvent> Events { get; } = [];

    /// <summary>Names in a static <c>__all__</c>, or null when the module does not set one.</summary>
    public List<string>? All { get; set; }

    /// <summary>Why <c>__all__</c> could not be read statically (then <see cref="All"/> is not trusted).</summary>
    public string? AllProblem { get; set; }

    /// <summary>The module-level <c>dependencies</c> list when it is a literal list of strings.</summary>
    public List<string>? Dependencies { get; set; }

    /// <summary>Things that make the module's names undecidable (globals(), exec, __dir__...).</summary>
    public List<string> Warnings { get; } = [];

    /// <summary>
    /// Why the module may have names no statement shows (globals()[n] = ..., setattr(sys.modules[...]),
    /// exec, __dir__): its listing cannot be complete. Each is also in <see cref="Warnings"/>.
    /// </summary>
    public List<string> RunTimeNames { get; } = [];
}

/// <summary>One module-level statement effect, replayed in order to build the namespace.</summary>
internal abstract record PyEvent(int Line);

internal sealed record PyBindEvent(string Name, PyBinding Binding) : PyEvent(Binding.Line);

internal sealed record PyDeleteEvent(string Name, int Line) : PyEvent(Line);

/// <summary>
/// <c>from module import *</c> (<paramref name="Level"/> leading dots); <paramref name="Condition"/>
/// and <paramref name="InExcept"/> as for a binding (a star import in an except block is a fallback).
/// </summary>
internal sealed record PyStarImportEvent(string Module, int Level, int Line, string? Condition = null, bool InExcept = false) : PyEvent(Line);

/// <summary><c>name.__doc__ = value</c>; <paramref name="Value"/> null when it is not a string literal.</summary>
internal sealed record PyDocAssignEvent(string Name, string? Value, int Line) : PyEvent(Line);

/// <summary>
/// <c>sys.path.insert(Index, folder)</c> (<paramref name="Index"/> -1 for <c>sys.path.append</c>), where
/// the folder is a path the reader could evaluate (from <c>__file__</c>, <c>os.path</c>, <c>pathlib</c>),
/// relative to the module's own folder with '/' separators ("src", "../lib", "" for the folder itself).
/// </summary>
internal sealed record PySysPathEvent(string Folder, int Index, int Line) : PyEvent(Line);

/// <summary>What a name is bound to, as far as the source shows.</summary>
internal abstract record PyBinding
{
    public int Line { get; init; }

    /// <summary>Why the binding may not happen at run time (an if branch, a loop, an except block), or null.</summary>
    public string? Condition { get; init; }

    /// <summary>Bound inside an except block: the fallback of a try, not the usual path.</summary>
    public bool InExcept { get; init; }
}

internal sealed record PyFunctionBinding : PyBinding
{
    public required string Name { get; init; }
    public required IReadOnlyList<HubParameter> Parameters { get; init; }
    public string? Returns { get; init; }
    public string? Docstring { get; init; }
    public bool IsAsync { get; init; }
    public IReadOnlyList<PyDecorator> Decorators { get; init; } = [];
    /// <summary>The body mentions functools.wraps/update_wrapper (a decorator that keeps __doc__).</summary>
    public bool UsesWraps { get; init; }
    /// <summary>The body returns one of the parameters it (or a nested def) takes: a registering decorator that keeps the function.</summary>
    public bool ReturnsArgument { get; init; }

    /// <summary>What the function does to the <c>__doc__</c> of its argument as a decorator; null when its body never mentions <c>__doc__</c>.</summary>
    public PyDocEdit? DocEdit { get; init; }

    /// <summary>The callee of the first <c>return f(...)</c> of the body (a factory: the call's result is what it returns).</summary>
    public IReadOnlyList<string>? ReturnsCall { get; init; }
}

internal sealed record PyClassBinding : PyBinding
{
    public required string Name { get; init; }
    public string? Docstring { get; init; }
    public IReadOnlyList<HubParameter>? InitParameters { get; init; }
    public IReadOnlyList<PyDecorator> Decorators { get; init; } = [];

    /// <summary>The parameters of the class's own <c>__call__</c> (without self): its instances are callable. Null without one.</summary>
    public IReadOnlyList<HubParameter>? CallParameters { get; init; }

    /// <summary>The base classes as dotted names (keyword arguments such as metaclass= left out).</summary>
    public IReadOnlyList<IReadOnlyList<string>> Bases { get; init; } = [];

    /// <summary>Annotated class-level names in order (<c>x: int = 1</c>): a dataclass's fields.</summary>
    public IReadOnlyList<HubParameter> Fields { get; init; } = [];
}

/// <summary><c>lambda params: body</c>; <paramref name="ReturnsCall"/> is the callee when the body is a call <c>f(...)</c>.</summary>
internal sealed record PyLambdaBinding(IReadOnlyList<HubParameter> Parameters, IReadOnlyList<string>? ReturnsCall = null) : PyBinding;

/// <summary><c>x = f(...)</c>: what it is depends on what <paramref name="Callee"/> is (a class: an instance of it).</summary>
internal sealed record PyCallBinding(IReadOnlyList<string> Callee) : PyBinding;

/// <summary><c>import a.b.c</c> (binds a) or <c>import a.b as c</c> (binds c to a.b).</summary>
internal sealed record PyModuleImportBinding(string Module) : PyBinding;

/// <summary><c>from module import name</c>.</summary>
internal sealed record PyFromImportBinding(string Module, int Level, string Name) : PyBinding;

/// <summary><c>b = a</c> or <c>b = pkg.mod.a</c>.</summary>
internal sealed record PyAliasBinding(IReadOnlyList<string> Target) : PyBinding;

/// <summary><c>f = functools.partial(a, ...)</c>.</summary>
internal sealed record PyPartialBinding(IReadOnlyList<string> Callee, IReadOnlyList<string> Target, string Arguments) : PyBinding;

/// <summary>A decorator: its dotted name (for resolution) and its text as written.</summary>
internal sealed record PyDecorator(IReadOnlyList<string> Name, string Text, int Line)
{
    /// <summary><c>@factory(...)</c>: the decorator is what the call returns, not the named function.</summary>
    public bool IsCall { get; init; }
}

/// <summary>A value that is certainly not callable (a literal, a display, a comprehension).</summary>
internal sealed record PyValueBinding(string Kind) : PyBinding
{
    /// <summary>The value of a plain string literal (for decorators that add a module constant to <c>__doc__</c>).</summary>
    public string? StringValue { get; init; }
}

/// <summary>
/// A value the reader cannot evaluate statically (an expression, an unpacked value).
/// <paramref name="Quiet"/>: almost never callable (a module-level loop variable), so it is left
/// out of the listing without a warning.
/// </summary>
internal sealed record PyUnknownBinding(string Reason, bool Quiet = false) : PyBinding;
