using System.Collections.Generic;
using System.Linq;

namespace TorchHub.Runtime;

/// <summary>One package of the runtime as installed (or not) in a runtime folder.</summary>
public sealed record HubRuntimePackage(string Id, string Version, bool Installed, string Path);

/// <summary>
/// What Get-HubRuntime and Install-HubRuntime report: the runtime folder, the platform, each
/// package and whether it is installed, and whether TorchSharp is running in this process
/// (and from where) or failed to start.
/// </summary>
public sealed record HubRuntime(
    string Path,
    string Platform,
    IReadOnlyList<HubRuntimePackage> Packages,
    TorchSharpLoadInfo? Loaded,
    string? StartFailure)
{
    /// <summary>Every package is installed.</summary>
    public bool Installed => Packages.All(p => p.Installed);

    /// <summary>Installed, Missing, Loaded (TorchSharp runs in this session) or Failed (its start failed in this session).</summary>
    public string Status => StartFailure is not null ? "Failed" : Loaded is not null ? "Loaded" : Installed ? "Installed" : "Missing";

    /// <summary>Reads the state of <paramref name="folder"/> for <paramref name="platform"/> (its pinned packages, unless others are given).</summary>
    public static HubRuntime Read(RuntimeFolder folder, RuntimePlatform platform, IEnumerable<RuntimePackage>? packages = null) => new(
        folder.Path,
        platform.Rid,
        (packages ?? RuntimePackages.For(platform)).Select(p => new HubRuntimePackage(p.Id, p.Version, folder.IsInstalled(p), folder.PackageFolder(p))).ToArray(),
        TorchSharpRuntime.Loaded,
        TorchSharpRuntime.StartFailure);
}
