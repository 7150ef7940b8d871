using System;
using TorchHub.Cache;
using TorchHub.Feedback;

namespace TorchHub;

/// <summary>
/// The engine's facade, mirroring torch.hub: <c>List</c>, <c>Help</c>, <c>Load</c>,
/// <c>DownloadUrlToFile</c>, <c>LoadStateDictFromUrl</c>, <c>GetDir</c>, <c>SetDir</c>.
/// Each room adds its part in a partial file (<c>Hub.Entrypoints.cs</c>, ...). A Hub is
/// cheap; expensive state (HTTP clients, parsed hubconf files, compiled assemblies) is
/// shared across instances by the rooms themselves.
/// </summary>
public sealed partial class Hub
{
    private readonly string? _ownDirectory;

    public Hub(HubOptions? options = null)
    {
        Options = options ?? new HubOptions();
        _ownDirectory = Options.HubDirectory is { } own ? HubDirectory.Normalize(own) : null;
    }

    public HubOptions Options { get; }

    internal IHubFeedback Feedback => Options.Feedback;

    /// <summary>torch.hub.get_dir: the process-wide hub directory (nothing is created); a Hub's own is <see cref="CacheDirectory"/>.</summary>
    public static HubDirectoryInfo GetDir() => HubDirectory.Get();

    /// <summary>torch.hub.set_dir for this process; <c>null</c> returns to the default resolution.</summary>
    public static HubDirectoryInfo SetDir(string? path) => HubDirectory.Set(path);
}
