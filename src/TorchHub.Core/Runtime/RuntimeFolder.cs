using System;
using System.IO;

namespace TorchHub.Runtime;

/// <summary>
/// The folder the native runtime is installed into, laid out like NuGet's global packages folder
/// (<c>&lt;id&gt;/&lt;version&gt;/runtimes/&lt;rid&gt;/native</c>), so one install serves every
/// TorchHub version and every session of the user. <c>TORCHHUB_RUNTIME</c> names another folder
/// (an admin's shared one); otherwise it is per user: <c>~/.local/share/TorchHub/runtime</c>
/// (<c>$XDG_DATA_HOME</c>), <c>%LOCALAPPDATA%\TorchHub\runtime</c>, or
/// <c>~/Library/Application Support/TorchHub/runtime</c>.
/// </summary>
public sealed class RuntimeFolder
{
    public const string Variable = "TORCHHUB_RUNTIME";

    /// <summary>Written last into a package's folder: the package is complete and verified.</summary>
    internal const string MarkerSuffix = ".nupkg.sha512";

    public RuntimeFolder(string path) => Path = System.IO.Path.GetFullPath(path);

    public string Path { get; }

    /// <summary>TORCHHUB_RUNTIME, else the per-user folder.</summary>
    public static RuntimeFolder Default =>
        new(Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } configured
            ? configured
            : System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify), "TorchHub", "runtime"));

    /// <summary>Where a package's files go.</summary>
    internal string PackageFolder(RuntimePackage package) => System.IO.Path.Combine(Path, package.LowerId, package.Version);

    /// <summary>The folder holding the package's native libraries for this platform.</summary>
    internal string NativeFolder(RuntimePackage package) =>
        System.IO.Path.Combine(PackageFolder(package), package.NativeFolder.Replace('/', System.IO.Path.DirectorySeparatorChar));

    internal string Marker(RuntimePackage package) =>
        System.IO.Path.Combine(PackageFolder(package), $"{package.LowerId}.{package.Version}{MarkerSuffix}");

    /// <summary>True when the package was installed completely (its marker holds the pinned hash).</summary>
    internal bool IsInstalled(RuntimePackage package)
    {
        var marker = Marker(package);
        return File.Exists(marker) && File.ReadAllText(marker).Trim() == package.Sha512;
    }

    public override string ToString() => Path;
}
