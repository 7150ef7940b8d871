
namespace TorchHub.Cache;

/// <summary>Where the hub directory's path came from, first match wins (torch.hub's get_dir order).</summary>
public enum HubDirectorySource
{
    /// <summary>Set in this process with <c>Set-HubDirectory</c> / <see cref="Hub.SetDir"/>.</summary>
    Set,

    /// <summary><c>$TORCH_HOME/hub</c>.</summary>
    TorchHome,

    /// <summary><c>$XDG_CACHE_HOME/torch/hub</c>.</summary>
    XdgCacheHome,

    /// <summary><c>~/.cache/torch/hub</c>.</summary>
    Default,

    /// <summary>Given to one <see cref="Hub"/> in <see cref="HubOptions.HubDirectory"/>; other Hubs and torch's order are unaffected.</summary>
    Options,
}
