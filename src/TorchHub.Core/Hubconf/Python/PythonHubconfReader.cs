using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using TorchHub.Errors;
using TorchHub.Repositories;

namespace TorchHub.Hubconf.Python;

/// <summary>
/// Reads hubconf.py statically, never running Python, and answers what torch.hub.list and
/// torch.hub.help would: every public (no leading '_') callable in hubconf's namespace, in
/// dir() order, including callables imported from outside the repository; hubconf's own
/// __all__ does not filter. What cannot be decided statically becomes a note on the
/// entrypoint or a listing warning.
/// </summary>
internal sealed class PythonHubconfReader : IHubconfReader
{
    // Decorators known to keep the wrapped function's __doc__ (functools.wraps or returning it unchanged).
    private static readonly HashSet<string> KeepingDecorators =
    [
        "functools.wraps", "functools.lru_cache", "functools.cache", "functools.total_ordering", "functools.singledispatch",
        "dataclasses.dataclass", "typing.overload", "typing.final", "torch.no_grad", "torch.inference_mode", "torch.enable_grad",
        "torch.jit.ignore", "torch.jit.unused", "torch.jit.export", "torch.jit.script", "contextlib.contextmanager",
    ];

    // Whole listings, reused while every file they were read from and every module lookup they
    // made is unchanged (a new file could change how an import resolves).
    private sealed record CachedListing(HubconfListing Listing, List<(string Path, long Length, DateTime LastWrite)> Files, List<(string Path, bool IsDirectory, bool Exists)> Probes);

    private static readonly ConcurrentDictionary<string, CachedListing> Listings = new(StringComparer.Ordinal);

    public HubconfLanguage Language => HubconfLanguage.Python;

    public string FileName => "hubconf.py";

    public HubconfListing Read(HubRepository repository, CancellationToken cancellationToken = default)
    {
        var hubconf = Path.Combine(repository.Directory, FileName);
        if (!File.Exists(hubconf))
            throw new HubException(HubErrorIds.HubconfNotFound, HubErrorCategory.ObjectNotFound,
                $"'{repository.DisplayName}' has no {FileName} ('{hubconf}' does not exist).", hubconf);

        var key = $"{repository.Source}\0{repository.Directory}\0{repository.Spec}";
        if (Listings.TryGetValue(key, out var cached) && IsCurrent(cached)) return cached.Listing;
        var listing = ReadCore(repository, cancellationToken, out var files, out var probes);
        if (Listings.Count > 256) Listings.Clear();
        Listings[key] = new CachedListing(listing, files, probes);
        return listing;
    }

    private static bool IsCurrent(CachedListing cached)
    {
        foreach (var (path, length, lastWrite) in cached.Files)
        {
            var info = new FileInfo(path);
            if (!info.Exists || info.Length != length || info.LastWriteTimeUtc != lastWrite) return false;
        }
        foreach (var (path, isDirectory, exists) in cached.Probes)
        {
            if ((isDirectory ? Directory.Exists(path) : File.Exists(path)) != exists) return false;
        }
        return true;
    }

    private HubconfListing ReadCore(HubRepository repository, CancellationToken cancellationToken,
        out List<(string, long, DateTime)> files, out List<(string, bool, bool)> probes)
    {
        var hubconf = Path.Combine(repository.Directory, FileName);
        var resolver = new PyResolver(repository.Directory, cancellationToken);
        files = resolver.Files;
        probes = resolver.Probes;
        var module = resolver.HubconfModule;
        var hub = resolver.HubconfRef;
        var warnings = new List<string>();
        var facts = new List<EntrypointFacts>();
        var undecided = new List<string>();

        var incomplete = new List<string>(module.RunTimeNames.Select(w => "hubconf.py, " + w));
        foreach (var (starModule, line) in resolver.ExternalStars(hub))
        {
            var why = $"hubconf.py, line {line}: the names 'from {starModule} import *' brings in come from outside the repository and cannot be listed statically.";
            warnings.Add(why);
            incomplete.Add(why);
        }

        // dir() sorts names; torch.hub.list keeps that order.
        foreach (var name in resolver.Names(hub).Where(n => !n.StartsWith('_')).OrderBy(n => n, StringComparer.Ordinal).ToList())
        {
            var r = resolver.Resolve(hub, name);
            if (r.Kind == PyKind.Unknown && r.Binding is PyUnknownBinding { Quiet: true }) continue;
            var made = Describe(resolver, name, r, warnings);
            if (made is null)
            {
                if (r.Kind == PyKind.Unknown || (r.Kind == PyKind.Instance && !IsCallableInstance(resolver, r).HasValue)) undecided.Add(name);
                continue;
            }
            facts.Add(made);
        }
        if (undecided.Count > 0)
            incomplete.Add($"hubconf.py binds {string.Join(", ", undecided.Select(n => $"'{n}'"))} to objects whose callability cannot be decided without running the code; torch.hub.list lists those that are callable.");

        if (module.Dependencies is null && resolver.Names(hub).Contains("dependencies"))
            warnings.Add("hubconf.py: 'dependencies' is not a literal list of strings; it cannot be read statically.");
        warnings.InsertRange(0, resolver.Warnings);

        var byName = facts.ToDictionary(f => f.Name, StringComparer.Ordinal);
        return new HubconfListing
        {
            Language = HubconfLanguage.Python,
            File = hubconf,
            Entrypoints = facts.Select(f => f.ToEntrypoint(repository)).ToList(),
            Dependencies = module.Dependencies ?? [],
            Warnings = warnings.Distinct().ToList(),
            IncompleteReasons = incomplete,
            PossibleEntrypoints = undecided,
            GetHelp = n => byName.TryGetValue(n, out var f) ? f.ToHelp(repository) : null,
        };
    }

    /// <summary>For an instance of a repository class: true when callable, false when not, null when a base outside the repository decides.</summary>
    private static bool? IsCallableInstance(PyResolver resolver, PyResolved r) =>
        r.Binding is PyClassBinding c ? resolver.InstancesAreCallable(c, r.File!, out _, out _) : null;

    private EntrypointFacts? Describe(PyResolver resolver, string name, PyResolved r, List<string> warnings)
    {
        var notes = new List<string>(r.Notes);
        string? docstring = null;
        string signature;
        IReadOnlyList<HubParameter> parameters = [];
        string? file = r.File is null ? null : resolver.Relative(r.File);
        var line = r.Binding?.Line ?? 0;

        switch (r.Kind)
        {
            case PyKind.Module:
            case PyKind.Value:
                return null; // not callable: torch.hub.list leaves it out
            case PyKind.Unknown:
                warnings.Add($"'{name}'{Where(resolver, r)} is bound to {r.Reason}; whether it is callable cannot be decided without running the code, so it is not listed (torch.hub.list lists it if it is callable).");
                return null;
            case PyKind.Missing:
                warnings.Add($"'{name}' cannot be found: {r.Reason}. Importing hubconf.py would fail with ImportError.");
                return null;
            case PyKind.Instance:
            {
                // An object of a repository class: callable when the class (or a base) defines
                // __call__; its __doc__ is the class's, its signature that of __call__.
                var c = (PyClassBinding)r.Binding!;
                switch (resolver.InstancesAreCallable(c, r.File!, out var owner, out var undecidedBase))
                {
                    case false:
                        return null; // not callable: torch.hub.list leaves it out
                    case null:
                        warnings.Add($"'{name}' is an instance of '{c.Name}'{Where(resolver, r)}, whose base '{undecidedBase}' is outside the repository; whether it is callable cannot be decided without running the code, so it is not listed (torch.hub.list lists it if it is callable).");
                        return null;
                }
                parameters = owner?.CallParameters ?? [];
                signature = owner is null ? $"{name}(...)" : Signature(name, parameters, null);
                docstring = c.Docstring;
                notes.Add($"an instance of '{c.Name}' ({resolver.Relative(r.File!)}, line {c.Line}), callable through __call__: torch.hub.help shows the class's docstring.");
                break;
            }
            case PyKind.Function:
            {
                var f = (PyFunctionBinding)r.Binding!;
                parameters = f.Parameters;
                signature = Signature(name, f.Parameters, f.Returns);
                docstring = f.Docstring;
                DecoratorNotes(resolver, r.File!, f.Decorators, notes);
                break;
            }
            case PyKind.Class:
            {
                var c = (PyClassBinding)r.Binding!;
                parameters = c.InitParameters ?? [];
                signature = c.InitParameters is null ? $"{name}(...)" : Signature(name, c.InitParameters, null);
                docstring = c.Docstring;
                DecoratorNotes(resolver, r.File!, c.Decorators, notes);
                if (c.InitParameters is null && IsDataclass(resolver, r.File!, c))
                {
                    // @dataclass writes __init__ from the fields, and __doc__ when the class has none.
                    var fields = c.Fields.Where(f => f.Type is not null && !f.Type.StartsWith("ClassVar", StringComparison.Ordinal) && !f.Type.StartsWith("typing.ClassVar", StringComparison.Ordinal)).ToList();
                    parameters = fields;
                    signature = Signature(name, fields, null);
                    if (docstring is null)
                    {
                        docstring = PyDataclassDoc.Of(c.Name, fields, out var exact);
                        if (!exact) notes.Add("__doc__ is generated by @dataclass from the fields; an annotation or default the reader does not evaluate is shown as written, so it may differ from Python's.");
                    }
                }
                break;
            }
            case PyKind.Lambda:
            {
                var l = (PyLambdaBinding)r.Binding!;
                parameters = l.Parameters;
                signature = Signature(name, l.Parameters, null);
                break;
            }
            case PyKind.Partial:
            {
                var p = (PyPartialBinding)r.Binding!;
                signature = $"{name} = functools.partial({p.Arguments})";
                docstring = PyDocstrings.PartialDoc;
                var target = r.Target!;
                var about = target.Binding is PyFunctionBinding or PyClassBinding
                    ? $"'{string.Join('.', p.Target)}' ({resolver.Relative(target.File!)}, line {target.Binding.Line})"
                    : $"'{string.Join('.', p.Target)}'";
                if (target.Binding is PyFunctionBinding tf) parameters = tf.Parameters;
                var targetDoc = target.Binding switch { PyFunctionBinding tf2 => tf2.Docstring, PyClassBinding tc => tc.Docstring, _ => null };
                notes.Add($"a functools.partial of {about}: like torch.hub.help, the help is functools.partial's own docstring"
                          + (targetDoc is null ? "." : $"; the wrapped callable's docstring begins: {PyDocstrings.Synopsis(targetDoc)}"));
                break;
            }
            case PyKind.External:
            {
                var where = r.Binding is not null && r.File is not null ? $" ({resolver.Relative(r.File)}, line {r.Binding.Line})" : "";
                notes.Add($"imported from '{r.ExternalModule}'{where}, outside the repository: listed as torch.hub.list would list it (assumed callable), but its signature and docstring cannot be read without running Python.");
                signature = $"{name}(...)";
                file = null;
                line = 0;
                break;
            }
            default:
                return null;
        }

        if (r.Binding is not null && resolver.DocOverrides.TryGetValue(r.Binding, out var over))
        {
            docstring = over.Value;
            if (over.Value is null)
                notes.Add($"__doc__ is assigned an expression on line {over.Line} of {over.File}; its value cannot be read statically.");
        }
        if (docstring is null && r.Kind != PyKind.External && !notes.Any(n => n.Contains("__doc__", StringComparison.Ordinal)))
            notes.Add("no docstring: torch.hub.help returns None.");

        return new EntrypointFacts
        {
            Name = name,
            Language = HubconfLanguage.Python,
            Signature = signature,
            Parameters = parameters,
            File = file,
            Line = line,
            Docstring = docstring,
            Text = docstring is null ? "" : PyDocstrings.CleanDoc(docstring),
            Synopsis = PyDocstrings.Synopsis(docstring),
            Notes = notes,
            // "no docstring" and what an instance is are certain facts, not doubts.
            IsFact = n => n.StartsWith("no docstring", StringComparison.Ordinal) || n.StartsWith("an instance of", StringComparison.Ordinal),
        };
    }

    private static bool IsDataclass(PyResolver resolver, string file, PyClassBinding c) =>
        c.Decorators.Any(d => d.Name.Count > 0 && resolver.ResolveDotted(file, d.Name) is { Kind: PyKind.External, ExternalModule: "dataclasses", ExternalName: "dataclass" });

    private static string Where(PyResolver resolver, PyResolved r) =>
        r.Binding is not null && r.File is not null ? $" ({resolver.Relative(r.File)}, line {r.Binding.Line})" : "";

    private static void DecoratorNotes(PyResolver resolver, string file, IReadOnlyList<PyDecorator> decorators, List<string> notes)
    {
        foreach (var d in decorators)
        {
            if (d.Name.Count == 0)
            {
                notes.Add($"decorated by {d.Text}, which the reader cannot follow: __doc__ and the signature may be the decorator's.");
                continue;
            }
            var r = resolver.ResolveDotted(file, d.Name);
            switch (r.Kind)
            {
                case PyKind.Function when r.Binding is PyFunctionBinding { UsesWraps: true } or PyFunctionBinding { ReturnsArgument: true }:
                    break;
                case PyKind.Function:
                    notes.Add($"decorated by {d.Text} ({resolver.Relative(r.File!)}, line {r.Binding!.Line}), which does not use functools.wraps: Python's __doc__ and signature may be the wrapper's rather than these.");
                    break;
                case PyKind.External when KeepingDecorators.Contains($"{r.ExternalModule}.{r.ExternalName}"):
                    break;
                case PyKind.External:
                    notes.Add($"decorated by {d.Text} from '{r.ExternalModule}', outside the repository: assumed to keep the docstring and signature (functools.wraps).");
                    break;
                default:
                    notes.Add($"decorated by {d.Text}, which the reader cannot follow: __doc__ and the signature may be the decorator's.");
                    break;
            }
        }
    }

    /// <summary>A signature as written: <c>name(a, b=1, /, c, *args, d, **kw) -> T</c>.</summary>
    internal static string Signature(string name, IReadOnlyList<HubParameter> parameters, string? returns)
    {
        var parts = new List<string>();
        var hasStar = parameters.Any(p => p.Kind == HubParameterKind.VarPositional);
        for (var i = 0; i < parameters.Count; i++)
        {
            var p = parameters[i];
            if (p.Kind == HubParameterKind.KeywordOnly && !hasStar && (i == 0 || parameters[i - 1].Kind != HubParameterKind.KeywordOnly))
                parts.Add("*");
            parts.Add(p.ToString());
            if (p.Kind == HubParameterKind.PositionalOnly && (i + 1 == parameters.Count || parameters[i + 1].Kind != HubParameterKind.PositionalOnly))
                parts.Add("/");
        }
        return $"{name}({string.Join(", ", parts)})" + (returns is null ? "" : " -> " + returns);
    }
}
