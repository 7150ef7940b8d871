using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace TorchHub.Hubconf.CSharp;

/// <summary>One assembly hubconf.cs is compiled against and shares with the session at run time.</summary>
internal sealed record HubconfReference(string Name, string Path, Guid Mvid);

/// <summary>
/// What hubconf.cs may reference: the .NET 10 reference assemblies (inside the toolchain), and
/// from the session TorchSharp, TorchHub.Core and any assembly its <c>dependencies</c> array
/// names that the session can load. All of them are shared with the default load context at
/// run time, so tensors and modules cross between hubconf code and the caller.
/// </summary>
internal static class HubconfReferences
{
    // Both are loaded already, so their MVIDs are free (touching typeof() does not start libtorch).
    private static readonly Lazy<IReadOnlyList<HubconfReference>> _base = new(() =>
    [
        OfLoaded(typeof(Hub).Assembly),
        OfLoaded(typeof(TorchSharp.torch).Assembly),
    ]);

    private static HubconfReference OfLoaded(Assembly assembly) =>
        new(assembly.GetName().Name!, assembly.Location, assembly.ManifestModule.ModuleVersionId);

    public static IReadOnlyList<HubconfReference> Base => _base.Value;

    public static HubconfReference Of(string name, string path) => new(name, path, ModuleVersionId.Of(path));

    /// <summary>
    /// Resolves an assembly name from a <c>dependencies</c> array. Returns false when the session
    /// cannot load it; <paramref name="reference"/> is null for framework assemblies (already
    /// covered by the reference assemblies) and for the base references.
    /// </summary>
    public static bool TryResolve(string name, out HubconfReference? reference)
    {
        reference = null;
        if (Base.Any(b => string.Equals(b.Name, name, StringComparison.OrdinalIgnoreCase))) return true;

        string? path = AssemblyLoadContext.Default.Assemblies
            .Where(a => !a.IsDynamic && !string.IsNullOrEmpty(a.Location) && string.Equals(a.GetName().Name, name, StringComparison.OrdinalIgnoreCase))
            .Select(a => a.Location)
            .FirstOrDefault();
        path ??= TrustedPlatformAssemblies().FirstOrDefault(p => string.Equals(System.IO.Path.GetFileNameWithoutExtension(p), name, StringComparison.OrdinalIgnoreCase));
        if (path is null)
        {
            var besideUs = System.IO.Path.Combine(RoslynToolchain.Folder, name + ".dll");
            if (File.Exists(besideUs)) path = besideUs;
        }
        if (path is null) return false;

        var runtimeDir = RuntimeEnvironment.GetRuntimeDirectory();
        if (path.StartsWith(runtimeDir, StringComparison.Ordinal)) return true; // part of .NET itself
        try
        {
            reference = Of(AssemblyName.GetAssemblyName(path).Name ?? name, path);
            return true;
        }
        catch (BadImageFormatException)
        {
            return false; // a native library of that name is not an assembly
        }
    }

    private static IEnumerable<string> TrustedPlatformAssemblies() =>
        (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? "").Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
}
