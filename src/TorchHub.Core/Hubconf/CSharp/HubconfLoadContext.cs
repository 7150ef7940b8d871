using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;

namespace TorchHub.Hubconf.CSharp;

/// <summary>
/// One collectible load context per repository folder (so per repo and ref): two refs of a
/// repository, or two folders defining the same type names, live side by side in a session.
/// The assemblies hubconf.cs was compiled against come from the default context, so a
/// TorchSharp module it returns is the caller's TorchSharp type.
/// </summary>
internal sealed class HubconfLoadContext : AssemblyLoadContext
{
    private readonly Dictionary<string, string> _shared;

    public HubconfLoadContext(string name, IEnumerable<HubconfReference> references)
        : base(name, isCollectible: true)
    {
        _shared = references.GroupBy(r => r.Name, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First().Path, StringComparer.OrdinalIgnoreCase);
    }

    protected override Assembly? Load(AssemblyName name)
    {
        if (name.Name is null || !_shared.TryGetValue(name.Name, out var path)) return null; // framework: default context
        // Share the copy the session already has; otherwise load it into the default context
        // (never into this one) so it is shared with every other repository too.
        return Default.Assemblies.FirstOrDefault(a => string.Equals(a.GetName().Name, name.Name, StringComparison.OrdinalIgnoreCase))
            ?? Default.LoadFromAssemblyPath(path);
    }
}
