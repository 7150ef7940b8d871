using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;

namespace TorchHub.Hubconf.Python;

/// <summary>A module found inside the repository: a .py file, a package, or a namespace package (no __init__.py).</summary>
internal sealed record PyModuleRef(string? File, string Directory, bool IsPackage, string Dotted)
{
    public string Key => File ?? Directory;
}

/// <summary>What a name is. <see cref="Instance"/>: an object made by calling a class of the repository (<see cref="PyResolved.Binding"/> is that class).</summary>
internal enum PyKind { Function, Class, Lambda, Partial, Instance, Module, Value, External, Unknown, Missing }

/// <summary>What a name turned out to be after following assignments and imports.</summary>
internal sealed record PyResolved(PyKind Kind)
{
    public PyBinding? Binding { get; init; }
    /// <summary>The file holding <see cref="Binding"/>.</summary>
    public string? File { get; init; }
    /// <summary>For modules in the repository.</summary>
    public PyModuleRef? ModuleRef { get; init; }
    /// <summary>For things outside the repository: the module and attribute path.</summary>
    public string? ExternalModule { get; init; }
    public string? ExternalName { get; init; }
    /// <summary>For partials: what they wrap.</summary>
    public PyResolved? Target { get; init; }
    public string Reason { get; init; } = "";
    public List<string> Notes { get; init; } = [];
}

/// <summary>
/// Builds module namespaces by replaying each module's statements (star imports included) and
/// follows names through aliases and imports into the repository, as Python's import system
/// would with the repository folder first on sys.path (torch.hub puts it there). Chains are
/// depth-limited and cycles are detected; one resolver serves one listing.
/// </summary>
internal sealed class PyResolver
{
    private const int MaxDepth = 64;

    // Calls whose result is certainly not callable (paths, strings, iterators, containers):
    // `X = os.path.join(...)` or `names = filter(...)` is a value, not a possible entrypoint.
    private static readonly HashSet<string> ValueReturningExternals =
    [
        "os.path.join", "os.path.dirname", "os.path.basename", "os.path.abspath", "os.path.realpath", "os.path.normpath",
        "os.path.expanduser", "os.path.expandvars", "os.path.relpath", "os.path.splitext", "os.path.split", "os.path.exists",
        "os.path.isfile", "os.path.isdir", "os.getcwd", "os.getenv", "os.environ.get", "os.listdir", "pathlib.Path",
        "re.compile", "logging.getLogger", "collections.OrderedDict", "collections.defaultdict", "json.load", "json.loads",
    ];

    private static readonly HashSet<string> ValueReturningBuiltins =
    [
        "filter", "map", "zip", "enumerate", "reversed", "sorted", "range", "list", "dict", "set", "frozenset", "tuple",
        "str", "bytes", "int", "float", "bool", "complex", "len", "repr", "format", "open", "sum", "min", "max", "abs", "round",
    ];

    // Classes outside the repository whose instances are callable (torch.nn.Module defines __call__).
    private static readonly HashSet<string> CallableExternalBases = ["torch.nn.Module", "torch.nn.modules.module.Module"];

    private sealed class Namespace
    {
        public required PyModuleRef Ref { get; init; }
        public PyModule? Module { get; init; }
        public Dictionary<string, (PyBinding Binding, string File)> Names { get; } = new(StringComparer.Ordinal);
        public List<(string Module, int Line)> ExternalStars { get; } = [];
    }

    /// <summary>A name brought in by a star import, already located.</summary>
    private sealed record PyStarBinding(PyModuleRef Target, string Name) : PyBinding;

    private readonly string _root;
    private readonly CancellationToken _cancel;
    private readonly Dictionary<string, Namespace> _namespaces = new(StringComparer.Ordinal);
    private readonly HashSet<string> _building = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PyModuleRef?> _found = new(StringComparer.Ordinal);

    // The repository's folders on sys.path, in search order: the repository itself (torch.hub
    // puts it first), and the folders its modules add with sys.path.insert/append ('src').
    private readonly List<string> _searchRoots;

    public PyResolver(string root, CancellationToken cancel)
    {
        _root = Path.GetFullPath(root).TrimEnd(Path.DirectorySeparatorChar);
        _cancel = cancel;
        _searchRoots = [_root];
    }

    public List<string> Warnings { get; } = [];

    /// <summary>Every file this resolver parsed, with the stamp it had: a listing stays valid while these are unchanged.</summary>
    public List<(string Path, long Length, DateTime LastWrite)> Files { get; } = [];

    /// <summary>Every existence check made while finding modules: a new file or folder could change the answer.</summary>
    public List<(string Path, bool IsDirectory, bool Exists)> Probes { get; } = [];

    private bool FileExists(string path)
    {
        var exists = File.Exists(path);
        Probes.Add((path, false, exists));
        return exists;
    }

    private bool DirectoryExists(string path)
    {
        var exists = Directory.Exists(path);
        Probes.Add((path, true, exists));
        return exists;
    }

    /// <summary>Names whose try-block import certainly fails, so their except-block binding was taken (name, file, why).</summary>
    public List<(string Name, string File, string Why)> Certain { get; } = [];

    /// <summary><c>name.__doc__ = ...</c> assignments seen, by the def/class binding they change.</summary>
    public Dictionary<PyBinding, (string? Value, string File, int Line)> DocOverrides { get; } = new(ReferenceEqualityComparer.Instance);

    public string Relative(string path) => Path.GetRelativePath(_root, path).Replace('\\', '/');

    public PyModuleRef HubconfRef => new(Path.Combine(_root, "hubconf.py"), _root, false, "hubconf");

    public PyModule HubconfModule => GetNamespace(HubconfRef).Module!;

    public IEnumerable<string> Names(PyModuleRef module) => GetNamespace(module).Names.Keys;

    public IReadOnlyList<(string Module, int Line)> ExternalStars(PyModuleRef module) => GetNamespace(module).ExternalStars;

    public PyResolved Resolve(PyModuleRef module, string name) => Resolve(GetNamespace(module), name, 0, new HashSet<string>(StringComparer.Ordinal));

    /// <summary>Resolves a dotted expression (<c>a.b.c</c>) in a module, as a decorator or alias would.</summary>
    public PyResolved ResolveDotted(string file, IReadOnlyList<string> dotted)
    {
        var ns = GetNamespace(RefForFile(file));
        return Dotted(ns, dotted, 0, new HashSet<string>(StringComparer.Ordinal));
    }

    private PyModuleRef RefForFile(string file)
    {
        var dir = Path.GetDirectoryName(file)!;
        var isPackage = Path.GetFileName(file) == "__init__.py";
        return new PyModuleRef(file, dir, isPackage, Relative(file));
    }

    // ---- namespaces -------------------------------------------------------------------------

    private Namespace GetNamespace(PyModuleRef module)
    {
        if (_namespaces.TryGetValue(module.Key, out var ns)) return ns;
        if (module.File is null)
        {
            ns = new Namespace { Ref = module };
            _namespaces[module.Key] = ns;
            return ns;
        }
        var parsed = PyModuleCache.Get(module.File, Relative(module.File), _cancel, out var stamp);
        Files.Add((module.File, stamp.Length, stamp.LastWrite));
        ns = new Namespace { Ref = module, Module = parsed };
        _building.Add(module.Key);
        try
        {
            foreach (var w in parsed.Warnings) Warnings.Add($"{Relative(module.File)}, {w}");
            foreach (var e in parsed.Events) Replay(ns, e);
        }
        finally
        {
            _building.Remove(module.Key);
        }
        _namespaces[module.Key] = ns;
        return ns;
    }

    private void Replay(Namespace ns, PyEvent e)
    {
        var file = ns.Ref.File!;
        switch (e)
        {
            case PyBindEvent bind:
                var binding = bind.Binding;
                if (binding.InExcept && ns.Names.TryGetValue(bind.Name, out var failed) && !failed.Binding.InExcept
                    && ImportCertainlyFails(failed.File, failed.Binding) is { } why)
                {
                    // try: from pkg.missing import x / except ImportError: x = None -> Python's finder
                    // settles it: the try raises for sure, so the except binding is the one that holds.
                    ns.Names[bind.Name] = (binding with
                    {
                        InExcept = false,
                        Condition = null,
                    }, file);
                    Certain.Add((bind.Name, file, why));
                    break;
                }
                if (binding.InExcept && ns.Names.TryGetValue(bind.Name, out var tried) && !tried.Binding.InExcept)
                {
                    // try: import a / except ImportError: a = fallback -> the try path is the usual one.
                    ns.Names[bind.Name] = (tried.Binding with
                    {
                        Condition = $"'{bind.Name}' is bound again on line {binding.Line} in an except block; the reader assumes the try block succeeds and reports the binding on line {tried.Binding.Line}",
                    }, tried.File);
                    break;
                }
                if (ns.Names.TryGetValue(bind.Name, out var previous) && (previous.Binding.Condition is not null || binding.Condition is not null))
                {
                    binding = binding with
                    {
                        Condition = $"'{bind.Name}' is bound more than once (lines {previous.Binding.Line} and {binding.Line}) in branches the reader cannot choose between statically; it reports the binding on line {binding.Line}",
                    };
                }
                ns.Names[bind.Name] = (binding, file);
                break;
            case PyDeleteEvent del:
                ns.Names.Remove(del.Name);
                break;
            case PyStarImportEvent star:
                var target = FindModule(file, star.Module, star.Level, out var problem);
                if (target is null)
                {
                    if (problem is not null) Warnings.Add($"{Relative(file)}, line {star.Line}: {problem}");
                    else ns.ExternalStars.Add((star.Module, star.Line));
                    break;
                }
                if (_building.Contains(target.Key))
                {
                    Warnings.Add($"{Relative(file)}, line {star.Line}: 'from {Dots(star.Level)}{star.Module} import *' is part of an import cycle; names it would bring in may be missing.");
                    break;
                }
                foreach (var name in Exports(target))
                    ns.Names[name] = (new PyStarBinding(target, name) { Line = star.Line, Condition = star.Condition, InExcept = star.InExcept }, file);
                break;
            case PySysPathEvent added:
                AddSearchRoot(file, added);
                break;
            case PyDocAssignEvent doc:
                if (ns.Names.ContainsKey(doc.Name))
                {
                    var r = Resolve(ns, doc.Name, 0, new HashSet<string>(StringComparer.Ordinal));
                    if (r.Binding is PyFunctionBinding or PyClassBinding)
                        DocOverrides[r.Binding] = (doc.Value, Relative(file), doc.Line);
                }
                break;
        }
    }

    private static string Dots(int level) => new('.', level);

    /// <summary>
    /// Follows <c>sys.path.insert/append</c> of a folder inside the repository: modules found there
    /// are the repository's too. sys.path is one list for the process, so it applies to every
    /// module (the reader resolves imports after the whole file is read, so the edit counts for
    /// imports above it as well). A folder outside the repository is left out, with a warning.
    /// </summary>
    private void AddSearchRoot(string file, PySysPathEvent added)
    {
        var folder = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, added.Folder)).TrimEnd(Path.DirectorySeparatorChar);
        if (folder != _root && !folder.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            Warnings.Add($"{Relative(file)}, line {added.Line}: sys.path gets '{folder}', outside the repository; modules found only there are treated as outside the repository.");
            return;
        }
        if (added.Index < 0)
        {
            if (!_searchRoots.Contains(folder)) _searchRoots.Add(folder);
            return;
        }
        _searchRoots.Remove(folder);
        _searchRoots.Insert(Math.Min(added.Index, _searchRoots.Count), folder);
    }

    /// <summary>
    /// The search root a top-level module <paramref name="first"/> is found under, as Python's path
    /// finder picks it: the first folder with a package or module of that name, else the first with
    /// a plain folder of that name (a namespace package), else null.
    /// </summary>
    private string? SearchRootFor(string first)
    {
        string? namespaceRoot = null;
        foreach (var root in _searchRoots)
        {
            var candidate = Path.Combine(root, first);
            if (DirectoryExists(candidate))
            {
                if (FileExists(Path.Combine(candidate, "__init__.py"))) return root;
                namespaceRoot ??= root;
            }
            else if (FileExists(candidate + ".py"))
            {
                return root;
            }
        }
        return namespaceRoot;
    }

    /// <summary>The deepest search root holding <paramref name="folder"/>: the one its package names start from.</summary>
    private string RootOf(string folder) =>
        _searchRoots.Where(r => folder == r || folder.StartsWith(r + Path.DirectorySeparatorChar, StringComparison.Ordinal)).MaxBy(r => r.Length) ?? _root;

    /// <summary>A module's dotted name: its path below the search root it was found under.</summary>
    private string DottedName(string path) => Path.GetRelativePath(RootOf(path), path).Replace('\\', '/').Replace('/', '.');

    /// <summary>The names <c>from module import *</c> brings in: <c>__all__</c>, else the public names.</summary>
    private IEnumerable<string> Exports(PyModuleRef module)
    {
        var ns = GetNamespace(module);
        if (ns.Module is { All: { } all, AllProblem: null }) return all.ToList();
        if (ns.Module?.AllProblem is { } problem)
            Warnings.Add($"{module.Dotted}: {problem}; 'import *' from it is assumed to bring in its public names.");
        return ns.Names.Keys.Where(n => !n.StartsWith('_')).ToList();
    }

    // ---- names --------------------------------------------------------------------------------

    private PyResolved Resolve(Namespace ns, string name, int depth, HashSet<string> visited)
    {
        _cancel.ThrowIfCancellationRequested();
        if (depth > MaxDepth) return new PyResolved(PyKind.Unknown) { Reason = "an import chain too long to follow" };
        var key = ns.Ref.Key + "\0" + name;
        if (!visited.Add(key)) return new PyResolved(PyKind.Unknown) { Reason = $"an import cycle through {ns.Ref.Dotted}" };

        if (ns.Names.TryGetValue(name, out var entry))
            return Binding(ns, entry.Binding, entry.File, depth, visited);
        if (ns.Ref.IsPackage && FindSubmodule(ns.Ref, name) is { } sub)
            return new PyResolved(PyKind.Module) { ModuleRef = sub };
        if (ns.ExternalStars.Count > 0)
        {
            var (module, line) = ns.ExternalStars[^1];
            return new PyResolved(PyKind.External)
            {
                ExternalModule = module,
                ExternalName = name,
                Notes = { $"may come from 'from {module} import *' ({ns.Ref.Dotted}, line {line}), outside the repository" },
            };
        }
        return new PyResolved(PyKind.Missing) { Reason = $"'{ns.Ref.Dotted}' does not define '{name}'" };
    }

    private PyResolved Binding(Namespace ns, PyBinding binding, string file, int depth, HashSet<string> visited)
    {
        var result = BindingCore(ns, binding, file, depth, visited);
        if (binding.Condition is { } condition)
            result.Notes.Insert(0, $"{condition} ({Relative(file)})");
        return result;
    }

    private PyResolved BindingCore(Namespace ns, PyBinding binding, string file, int depth, HashSet<string> visited)
    {
        switch (binding)
        {
            case PyFunctionBinding:
                return new PyResolved(PyKind.Function) { Binding = binding, File = file };
            case PyClassBinding:
                return new PyResolved(PyKind.Class) { Binding = binding, File = file };
            case PyLambdaBinding:
                return new PyResolved(PyKind.Lambda) { Binding = binding, File = file };
            case PyValueBinding value:
                return new PyResolved(PyKind.Value) { Binding = binding, File = file, Reason = value.Kind };
            case PyUnknownBinding unknown:
                return new PyResolved(PyKind.Unknown) { Binding = binding, File = file, Reason = unknown.Reason };
            case PyCallBinding call:
                return ResolveCall(ns, call, file, depth, visited);
            case PyModuleImportBinding or PyFromImportBinding when ImportCertainlyFails(file, binding) is { } fails:
                return new PyResolved(PyKind.Missing) { Binding = binding, File = file, Reason = fails };
            case PyModuleImportBinding import:
            {
                var found = FindModule(file, import.Module, 0, out _);
                return found is null
                    ? new PyResolved(PyKind.Module) { ExternalModule = import.Module, Binding = binding, File = file }
                    : new PyResolved(PyKind.Module) { ModuleRef = found, Binding = binding, File = file };
            }
            case PyStarBinding star:
                return Resolve(GetNamespace(star.Target), star.Name, depth + 1, visited);
            case PyFromImportBinding from:
            {
                var target = FindModule(file, from.Module, from.Level, out var problem);
                if (problem is not null)
                    return new PyResolved(PyKind.Unknown) { Binding = binding, File = file, Reason = problem };
                if (target is null)
                    return new PyResolved(PyKind.External) { ExternalModule = from.Module, ExternalName = from.Name, Binding = binding, File = file };
                var r = Resolve(GetNamespace(target), from.Name, depth + 1, visited);
                return r.Kind == PyKind.Missing
                    ? r with { Reason = $"'from {Dots(from.Level)}{from.Module} import {from.Name}' on line {from.Line} of {Relative(file)} would fail: {r.Reason}" }
                    : r;
            }
            case PyAliasBinding alias:
                return Dotted(ns, alias.Target, depth, visited);
            case PyPartialBinding partial:
            {
                var callee = Dotted(ns, partial.Callee, depth, visited);
                if (callee is not { Kind: PyKind.External, ExternalModule: "functools", ExternalName: "partial" })
                    return new PyResolved(PyKind.Unknown) { Binding = binding, File = file, Reason = $"the result of calling {string.Join('.', partial.Callee)}(...)" };
                var target = Dotted(ns, partial.Target, depth, visited);
                return new PyResolved(PyKind.Partial) { Binding = binding, File = file, Target = target };
            }
        }
        return new PyResolved(PyKind.Unknown) { Reason = "a statement the reader does not understand" };
    }

    /// <summary>
    /// What <c>callee(...)</c> gives: an instance of a repository class (also through in-repo
    /// factories and lambdas that return such a call), a value for calls known to return one,
    /// else unknown (an object of a class outside the repository may or may not be callable).
    /// </summary>
    private PyResolved ResolveCall(Namespace ns, PyCallBinding call, string file, int depth, HashSet<string> visited)
    {
        var text = string.Join('.', call.Callee);
        if (depth > MaxDepth) return new PyResolved(PyKind.Unknown) { Binding = call, File = file, Reason = $"the result of calling {text}(...)" };
        var callee = Dotted(ns, call.Callee, depth, visited);
        switch (callee)
        {
            case { Kind: PyKind.Class }:
                return new PyResolved(PyKind.Instance) { Binding = callee.Binding, File = callee.File, Notes = callee.Notes };
            case { Kind: PyKind.Function or PyKind.Lambda } when FactoryCall(callee.Binding) is { } made:
            {
                var home = GetNamespace(RefForFile(callee.File!));
                var result = ResolveCall(home, new PyCallBinding(made) { Line = callee.Binding!.Line }, callee.File!, depth + 1, visited);
                result.Notes.InsertRange(0, callee.Notes);
                return result;
            }
            case { Kind: PyKind.External } when ValueReturningExternals.Contains($"{callee.ExternalModule}.{callee.ExternalName}"):
            case { Kind: PyKind.Missing } when call.Callee.Count == 1 && ValueReturningBuiltins.Contains(call.Callee[0]):
                return new PyResolved(PyKind.Value) { Binding = call, File = file, Reason = $"the result of {text}(...)" };
            case { Kind: PyKind.External }:
                return new PyResolved(PyKind.Unknown)
                {
                    Binding = call, File = file,
                    Reason = $"the result of calling '{callee.ExternalModule}.{callee.ExternalName}' from outside the repository (an object that may or may not be callable)",
                };
            default:
                return new PyResolved(PyKind.Unknown) { Binding = call, File = file, Reason = $"the result of calling {text}(...)" };
        }
    }

    private static IReadOnlyList<string>? FactoryCall(PyBinding? binding) => binding switch
    {
        PyFunctionBinding f => f.ReturnsCall,
        PyLambdaBinding l => l.ReturnsCall,
        _ => null,
    };

    /// <summary>
    /// Whether instances of <paramref name="cls"/> are callable: it or a base defines <c>__call__</c>
    /// (true), none can (false), or a base outside the repository decides (null).
    /// </summary>
    public bool? InstancesAreCallable(PyClassBinding cls, string file, out PyClassBinding? owner, out string? undecided)
    {
        owner = null;
        undecided = null;
        var seen = new HashSet<PyClassBinding>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<(PyClassBinding Class, string File)>();
        pending.Push((cls, file));
        while (pending.Count > 0 && seen.Count < MaxDepth)
        {
            var (current, currentFile) = pending.Pop();
            if (!seen.Add(current)) continue;
            if (current.CallParameters is not null) { owner = current; return true; }
            foreach (var @base in current.Bases)
            {
                if (@base is ["object"]) continue;
                var r = ResolveDotted(currentFile, @base);
                if (r is { Kind: PyKind.Class, Binding: PyClassBinding b }) pending.Push((b, r.File!));
                else if (r.Kind == PyKind.External && CallableExternalBases.Contains($"{r.ExternalModule}.{r.ExternalName}")) return true;
                else undecided ??= string.Join('.', @base);
            }
        }
        return undecided is null ? false : null;
    }

    /// <summary>
    /// Why importing <paramref name="binding"/> raises ImportError for sure, or null: Python's
    /// finder searches a regular package's submodules only in its own folder, so a module under
    /// an in-repository package (one with __init__.py) that is not there cannot be found.
    /// </summary>
    public string? ImportCertainlyFails(string fromFile, PyBinding binding)
    {
        var (module, level) = binding switch
        {
            PyFromImportBinding f => (f.Module, f.Level),
            PyModuleImportBinding m => (m.Module, 0),
            _ => ("", -1),
        };
        if (level < 0 || module.Length == 0) return null;
        var dir = level == 0 ? SearchRootFor(module.Split('.')[0]) ?? _root : Path.GetDirectoryName(fromFile)!;
        for (var i = 1; i < level; i++) dir = Path.GetDirectoryName(dir)!;
        if (level > 0 && !FileExists(Path.Combine(dir, "__init__.py"))) return null;
        var parts = module.Split('.');
        var regularPackage = level > 0;
        for (var i = 0; i < parts.Length; i++)
        {
            var candidate = Path.Combine(dir, parts[i]);
            if (DirectoryExists(candidate))
            {
                regularPackage = FileExists(Path.Combine(candidate, "__init__.py"));
                dir = candidate;
                continue;
            }
            if (FileExists(candidate + ".py")) return null; // a module: what it defines is decided elsewhere
            if (i == 0 && level == 0) return null;          // a top-level name: may be installed
            return regularPackage
                ? $"'{string.Join('.', parts.Take(i))}' is a regular package of the repository without '{parts[i]}', so importing '{module}' raises ImportError"
                : null;
        }
        return null;
    }

    private PyResolved Dotted(Namespace ns, IReadOnlyList<string> dotted, int depth, HashSet<string> visited)
    {
        var r = Resolve(ns, dotted[0], depth + 1, visited);
        for (var i = 1; i < dotted.Count; i++)
        {
            var part = dotted[i];
            r = r switch
            {
                { Kind: PyKind.Module, ModuleRef: { } m } => Resolve(GetNamespace(m), part, depth + 1, visited),
                { Kind: PyKind.Module, ExternalModule: { } ext } => new PyResolved(PyKind.External) { ExternalModule = ext, ExternalName = part },
                { Kind: PyKind.External } => r with { ExternalName = r.ExternalName + "." + part },
                _ => new PyResolved(PyKind.Unknown) { Reason = $"an attribute of {string.Join('.', dotted.Take(i))}" },
            };
        }
        if (r.Kind == PyKind.External && dotted.Count > 1 && r.ExternalName is { } name && name.Contains('.'))
        {
            // `import torch.hub as h; f = h.load` style chains: normalise to module + last attribute.
            var lastDot = name.LastIndexOf('.');
            r = r with { ExternalModule = r.ExternalModule + "." + name[..lastDot], ExternalName = name[(lastDot + 1)..] };
        }
        return r;
    }

    // ---- modules --------------------------------------------------------------------------------

    /// <summary>
    /// Finds <paramref name="module"/> (with <paramref name="level"/> leading dots) as imported
    /// from <paramref name="fromFile"/>: null when it is not in the repository. A relative import
    /// that cannot work sets <paramref name="problem"/>.
    /// </summary>
    public PyModuleRef? FindModule(string fromFile, string module, int level, out string? problem)
    {
        problem = null;
        string baseDir;
        if (level == 0)
        {
            if (module.Length == 0 || SearchRootFor(module.Split('.')[0]) is not { } root) return null;
            baseDir = root;
        }
        else
        {
            var dir = Path.GetDirectoryName(fromFile)!;
            var below = Path.GetRelativePath(RootOf(dir), dir).Replace('\\', '/');
            var depthBelowRoot = below == "." ? 0 : below.Split('/').Length;
            if (depthBelowRoot == 0)
            {
                problem = $"'from {Dots(level)}{module} import ...' in {Relative(fromFile)} fails in Python: attempted relative import with no known parent package (torch.hub imports hubconf.py as a top-level module)";
                return null;
            }
            if (level > depthBelowRoot)
            {
                problem = $"'from {Dots(level)}{module} import ...' in {Relative(fromFile)} fails in Python: attempted relative import beyond top-level package";
                return null;
            }
            baseDir = dir;
            for (var i = 1; i < level; i++) baseDir = Path.GetDirectoryName(baseDir)!;
        }

        var key = baseDir + "\0" + module;
        if (_found.TryGetValue(key, out var cached)) return cached;

        PyModuleRef? result;
        if (module.Length == 0)
        {
            var init = Path.Combine(baseDir, "__init__.py");
            result = new PyModuleRef(FileExists(init) ? init : null, baseDir, true, DottedName(baseDir));
        }
        else
        {
            result = null;
            var dir = baseDir;
            var parts = module.Split('.');
            for (var i = 0; i < parts.Length; i++)
            {
                var candidate = Path.Combine(dir, parts[i]);
                var isLast = i == parts.Length - 1;
                var isDir = DirectoryExists(candidate);
                if (isLast)
                {
                    var init = Path.Combine(candidate, "__init__.py");
                    var dotted = DottedName(candidate);
                    if (isDir && FileExists(init)) result = new PyModuleRef(init, candidate, true, dotted);
                    else if (FileExists(candidate + ".py")) result = new PyModuleRef(candidate + ".py", dir, false, dotted);
                    else if (isDir) result = new PyModuleRef(null, candidate, true, dotted);
                }
                else if (!isDir)
                {
                    break;
                }
                dir = candidate;
            }
        }
        _found[key] = result;
        return result;
    }

    private PyModuleRef? FindSubmodule(PyModuleRef package, string name)
    {
        var candidate = Path.Combine(package.Directory, name);
        var init = Path.Combine(candidate, "__init__.py");
        var dotted = package.Dotted + "." + name;
        if (DirectoryExists(candidate) && FileExists(init)) return new PyModuleRef(init, candidate, true, dotted);
        if (FileExists(candidate + ".py")) return new PyModuleRef(candidate + ".py", package.Directory, false, dotted);
        return null;
    }
}
