using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using TorchHub.Cache;
using TorchHub.Errors;
using TorchHub.Feedback;
using TorchHub.Repositories;

namespace TorchHub.Hubconf.CSharp;

/// <summary>How a load got its assembly.</summary>
internal enum HubconfOrigin
{
    /// <summary>Compiled now with Roslyn.</summary>
    Compiled,

    /// <summary>Read from the compile cache in the hub directory (compiled by an earlier session or process).</summary>
    Cache,
}

/// <summary>An assembly image for a repository's hubconf.cs, with its manifest.</summary>
internal sealed record HubconfImage(string Hash, byte[] Image, HubconfManifest Manifest, string CachePath, HubconfOrigin Origin);

/// <summary>
/// Compiles hubconf.cs (with the repository's other C# files) or takes the result from the
/// compile cache <c>&lt;hub&gt;/.torchhub/assemblies/&lt;hash&gt;.dll</c> (with its manifest <c>&lt;hash&gt;.txt</c>). The hash covers every source
/// (path and text), the compiler (TorchHub.CSharp, Roslyn and reference-assembly identities),
/// the options, and the identities (MVIDs) of TorchHub.Core and TorchSharp; so a second load
/// in any session or process compiles nothing, and any change compiles again.
/// </summary>
internal static class HubconfCompiler
{
    // Bump when the options below or the cache layout change.
    private const string CacheFormat = "torchhub-hubconf-cache-v1;C# latest;release;nullable;deterministic;implicit-usings";


    public static string ComputeHash(IReadOnlyList<CSharpSource> sources)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string text)
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            sha.AppendData(BitConverter.GetBytes(bytes.Length));
            sha.AppendData(bytes);
        }
        Add(CacheFormat);
        Add(RoslynToolchain.Identity);
        foreach (var r in HubconfReferences.Base) Add(r.Name + ":" + r.Mvid);
        foreach (var s in sources) { Add(s.Path); Add(s.Text); }
        return Convert.ToHexString(sha.GetHashAndReset()).ToLowerInvariant();
    }

    public static HubconfImage GetOrCompile(HubRepository repository, IReadOnlyList<CSharpSource> sources, string hash, string cacheFolder,
        IHubFeedback feedback, CancellationToken cancellationToken)
    {
        var dllPath = Path.Combine(cacheFolder, hash + ".dll");
        var manifestPath = Path.Combine(cacheFolder, hash + ".txt");

        if (File.Exists(dllPath) && HubconfManifest.TryRead(manifestPath) is { } cached && ReferencesUnchanged(cached))
        {
            CheckDependencies(repository, cached.Dependencies);
            var bytes = File.ReadAllBytes(dllPath);
            feedback.Verbose($"Took the compiled hubconf.cs of '{repository.DisplayName}' from the compile cache '{dllPath}' (nothing compiled).");
            return new HubconfImage(hash, bytes, cached, dllPath, HubconfOrigin.Cache);
        }

        var hubconf = sources.First(s => s.Path == HubconfSources.FileName);
        var syntax = RoslynToolchain.Parse(repository, hubconf.Text, hubconf.Path, cancellationToken);

        // torch checks dependencies before anything else of the entrypoint; here also before
        // compiling, since code that uses a missing assembly could not compile anyway.
        var extra = CheckDependencies(repository, syntax.Dependencies);

        var watch = Stopwatch.StartNew();
        var references = HubconfReferences.Base.Concat(extra).ToList();
        var request = new CSharpCompileRequest("hubconf_" + hash.Substring(0, 16), sources, references.Select(r => r.Path).ToList());
        var result = RoslynToolchain.Compile(repository, request, feedback, cancellationToken);
        watch.Stop();
        if (result.Image is null)
        {
            var errors = result.Diagnostics.Where(d => d.IsError).ToList();
            throw new HubException(HubErrorIds.HubconfCompileError, HubErrorCategory.InvalidData,
                $"hubconf.cs of '{repository.DisplayName}' does not compile ({errors.Count} error{(errors.Count == 1 ? "" : "s")}):\n" +
                string.Join("\n", errors.Take(20).Select(e => "  " + e)) + (errors.Count > 20 ? $"\n  ... and {errors.Count - 20} more" : ""),
                repository.DisplayName)
            {
                RecommendedAction = "Fix the errors in the repository's C# files (hubconf.cs and the *.cs files compiled with it), or ask its author to.",
            };
        }
        foreach (var warning in result.Diagnostics.Where(d => !d.IsError).Take(10))
            feedback.Verbose("hubconf.cs: " + warning);

        var manifest = new HubconfManifest
        {
            Dependencies = syntax.Dependencies.ToList(),
            EntrypointClasses = syntax.Entrypoints.Select(e => e.ClassName).Distinct().ToList(),
            References = extra.Select(r => new HubconfManifest.ManifestReference(r.Name, r.Path, r.Mvid)).ToList(),
            Sources = sources.Select(s => s.Path).ToList(),
        };
        Store(manifestPath, dllPath, manifest, result.Image);
        feedback.Verbose($"Compiled hubconf.cs of '{repository.DisplayName}' with {sources.Count - 1} other C# file{(sources.Count == 2 ? "" : "s")} ({string.Join(", ", sources.Select(s => s.Path))}) in {watch.ElapsedMilliseconds} ms; cached as '{dllPath}'.");
        return new HubconfImage(hash, result.Image, manifest, dllPath, HubconfOrigin.Compiled);
    }

    /// <summary>Checks a dependencies list; returns the extra references it adds. Throws "Missing dependencies: a, b" as torch.</summary>
    public static List<HubconfReference> CheckDependencies(HubRepository repository, IEnumerable<string> dependencies)
    {
        var missing = new List<string>();
        var extra = new List<HubconfReference>();
        foreach (var name in dependencies)
        {
            if (!HubconfReferences.TryResolve(name, out var reference)) missing.Add(name);
            else if (reference is not null) extra.Add(reference);
        }
        if (missing.Count > 0)
            throw new HubException(HubErrorIds.MissingDependencies, HubErrorCategory.NotInstalled,
                $"Missing dependencies: {string.Join(", ", missing)}", repository.DisplayName)
            {
                RecommendedAction = $"hubconf.cs of '{repository.DisplayName}' needs the assemblies {string.Join(", ", missing)}. Load them into the session first (Add-Type -Path or Import-Module), then try again.",
            };
        return extra;
    }

    private static bool ReferencesUnchanged(HubconfManifest manifest) =>
        manifest.References.All(r => File.Exists(r.Path) && HubconfReferences.TryResolve(r.Name, out var now) && now is not null && now.Mvid == r.Mvid);

    /// <summary>Writes the manifest, then the assembly, each through a temporary file and a rename, so a reader never sees half a file.</summary>
    private static void Store(string manifestPath, string dllPath, HubconfManifest manifest, byte[] image)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(dllPath)!);
        AtomicFile.WriteAllText(manifestPath, manifest.ToText());
        AtomicFile.WriteAllBytes(dllPath, image);
    }
}
