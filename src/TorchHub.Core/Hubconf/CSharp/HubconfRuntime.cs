using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Threading;
using TorchHub.Feedback;
using TorchHub.Repositories;

namespace TorchHub.Hubconf.CSharp;

/// <summary>A repository's hubconf.cs, compiled and loaded into its own load context.</summary>
internal sealed class LoadedHubconf
{
    public LoadedHubconf(HubconfImage image, HubconfLoadContext context, Assembly assembly)
    {
        Image = image;
        Context = context;
        Assembly = assembly;
    }

    public HubconfImage Image { get; }

    public HubconfLoadContext Context { get; }

    public Assembly Assembly { get; }

    /// <summary>Whether the compiled code references TorchSharp (the compiler keeps only references it uses).</summary>
    public bool UsesTorchSharp => Assembly.GetReferencedAssemblies().Any(a => a.Name == "TorchSharp");

    /// <summary>The public static methods called <paramref name="name"/> of the hubconf.cs classes (helpers excluded).</summary>
    public IReadOnlyList<MethodInfo> FindEntrypoint(string name) =>
        name.StartsWith('_') ? [] : EntrypointMethods().Where(m => m.Name == name).ToList();

    public IReadOnlyList<string> EntrypointNames() =>
        EntrypointMethods().Select(m => m.Name).Where(n => !n.StartsWith('_')).Distinct().ToList();

    private IEnumerable<MethodInfo> EntrypointMethods() =>
        Image.Manifest.EntrypointClasses
            .Select(c => Assembly.GetType(c))
            .Where(t => t is { IsPublic: true, IsAbstract: true, IsSealed: true })
            .SelectMany(t => t!.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(m => !m.IsSpecialName && !m.IsGenericMethodDefinition && !m.IsDefined(typeof(System.Runtime.CompilerServices.ExtensionAttribute)));
}

/// <summary>
/// The loaded hubconf.cs assemblies of this process, one per repository folder (so per repo and
/// ref). Shared by every Hub and runspace: a second Import-HubModel in any runspace reuses the
/// loaded assembly; a changed repository (new ref content, force reload) gets a fresh load
/// context and the old one is unloaded once nothing uses it.
/// </summary>
internal static class HubconfRuntime
{
    private static readonly Dictionary<string, LoadedHubconf> _loaded = new(StringComparer.Ordinal);
    private static readonly object _gate = new();

    /// <summary>Loads the repository's hubconf.cs, compiling it into <paramref name="compileCache"/> (a hub directory's) unless it is there.</summary>
    public static LoadedHubconf Load(HubRepository repository, string compileCache, IHubFeedback feedback, CancellationToken cancellationToken)
    {
        var sources = HubconfSources.Read(repository.Directory);
        var hash = HubconfCompiler.ComputeHash(sources);
        var key = Path.TrimEndingDirectorySeparator(repository.Directory);

        // One load at a time per process: compiling is CPU-bound and a second caller for the
        // same repository should reuse the first one's result rather than compile again.
        lock (_gate)
        {
            if (_loaded.TryGetValue(key, out var current) && current.Image.Hash == hash)
            {
                HubconfCompiler.CheckDependencies(repository, current.Image.Manifest.Dependencies);
                feedback.Verbose($"Using the hubconf.cs of '{repository.DisplayName}' already loaded in this session (nothing compiled).");
                return current;
            }

            var image = HubconfCompiler.GetOrCompile(repository, sources, hash, compileCache, feedback, cancellationToken);
            var references = HubconfReferences.Base.Concat(image.Manifest.References.Select(r => new HubconfReference(r.Name, r.Path, r.Mvid)));
            var context = new HubconfLoadContext($"hubconf.cs {repository.DisplayName} {hash.Substring(0, 12)}", references);
            var assembly = context.LoadFromStream(new MemoryStream(image.Image));
            var loaded = new LoadedHubconf(image, context, assembly);
            if (current is not null)
            {
                current.Context.Unload(); // collected once the objects it made are gone
                feedback.Verbose($"The C# files of '{repository.DisplayName}' changed; the previous load was released.");
            }
            _loaded[key] = loaded;
            return loaded;
        }
    }

    /// <summary>Unloads everything, as if the process had ended (tests use it to prove the disk cache works alone).</summary>
    internal static void ForgetAll()
    {
        lock (_gate)
        {
            foreach (var loaded in _loaded.Values) loaded.Context.Unload();
            _loaded.Clear();
        }
    }
}
