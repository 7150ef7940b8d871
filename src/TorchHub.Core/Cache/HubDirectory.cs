using System;
using System.IO;
using TorchHub.Errors;

namespace TorchHub.Cache;

/// <summary>
/// torch.hub's <c>get_dir</c>/<c>set_dir</c> (the names inside are <see cref="CacheLayout"/>'s). The set value is
/// process-wide, like torch's module global; the environment is read again on every call.
/// </summary>
internal static class HubDirectory
{
    public const string TorchHomeVariable = "TORCH_HOME";
    public const string XdgCacheHomeVariable = "XDG_CACHE_HOME";

    private static volatile string? _setPath;

    /// <summary>Resolves the hub directory. Creates nothing.</summary>
    public static HubDirectoryInfo Get()
    {
        var set = _setPath;
        if (set is not null)
            return new HubDirectoryInfo(set, HubDirectorySource.Set);

        // torch uses os.getenv with a default, so an empty variable would yield a relative
        // "hub" folder under the working directory; we treat empty as unset (README: differences).
        var torchHome = Environment.GetEnvironmentVariable(TorchHomeVariable);
        if (!string.IsNullOrEmpty(torchHome))
            return new HubDirectoryInfo(Path.Combine(ExpandUser(torchHome), "hub"), HubDirectorySource.TorchHome);

        var xdg = Environment.GetEnvironmentVariable(XdgCacheHomeVariable);
        if (!string.IsNullOrEmpty(xdg))
            return new HubDirectoryInfo(Path.Combine(ExpandUser(xdg), "torch", "hub"), HubDirectorySource.XdgCacheHome);

        return new HubDirectoryInfo(Path.Combine(ExpandUser("~/.cache"), "torch", "hub"), HubDirectorySource.Default);
    }

    /// <summary>
    /// Sets the hub directory for this process (<c>~</c> expanded, made absolute against
    /// the process working directory; cmdlets resolve against the PowerShell location first).
    /// <c>null</c> returns to the default resolution.
    /// </summary>
    public static HubDirectoryInfo Set(string? path)
    {
        if (path is null)
        {
            _setPath = null;
            return Get();
        }

        _setPath = Normalize(path);
        return Get();
    }

    /// <summary>
    /// A hub directory path as <see cref="Set"/> and <see cref="HubOptions.HubDirectory"/> take it:
    /// <c>~</c> expanded, absolute, no trailing separator; empty, invalid or a file is refused.
    /// </summary>
    public static string Normalize(string path)
    {
        if (string.IsNullOrWhiteSpace(path) || path.IndexOf('\0') >= 0)
            throw new HubException(HubErrorIds.InvalidHubDirectory, HubErrorCategory.InvalidArgument,
                "The hub directory path is empty or contains invalid characters.", path);

        var full = Path.GetFullPath(ExpandUser(path));
        if (File.Exists(full))
            throw new HubException(HubErrorIds.InvalidHubDirectory, HubErrorCategory.InvalidArgument,
                $"The hub directory '{full}' is a file, not a folder.", path);
        return Path.TrimEndingDirectorySeparator(full);
    }

    /// <summary>Python's <c>os.path.expanduser</c> for the forms that matter: <c>~</c> and <c>~/…</c>.</summary>
    public static string ExpandUser(string path)
    {
        if (path == "~" || path.StartsWith("~/", StringComparison.Ordinal) || path.StartsWith("~\\", StringComparison.Ordinal))
        {
            var home = Environment.GetEnvironmentVariable("HOME");
            if (string.IsNullOrEmpty(home))
                home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            return path.Length == 1 ? home : Path.Combine(home, path.Substring(2));
        }
        return path;
    }
}
