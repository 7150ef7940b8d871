using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Xunit;

namespace TorchHub.Tests.Hosting;

/// <summary>
/// A fact that needs Debian's python3-torch (/usr/bin/python3 with torch importable). When it
/// is absent the test is reported as Skipped with the reason (never as passed).
/// </summary>
public sealed class TorchFactAttribute : FactAttribute
{
    public const string Python = "/usr/bin/python3";

    internal static readonly Lazy<string?> Missing = new(() =>
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo(Python, "-c \"import torch\"") { RedirectStandardError = true, RedirectStandardOutput = true })!;
            // Drain both pipes: a child blocked on a full pipe would never exit.
            _ = p.StandardOutput.ReadToEndAsync();
            _ = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(60_000))
            {
                p.Kill(entireProcessTree: true);
                return $"{Python} -c 'import torch' did not finish within a minute";
            }
            return p.ExitCode == 0 ? null : "python3-torch is not installed (/usr/bin/python3 -c 'import torch' failed); apt-get install python3-torch";
        }
        catch (Exception ex)
        {
            return $"{Python} cannot run: {ex.Message}";
        }
    });

    public TorchFactAttribute()
    {
        if (Missing.Value is { } reason) Skip = reason;
    }
}

/// <summary>A theory that needs Debian's python3-torch; skipped with the reason otherwise (see <see cref="TorchFactAttribute"/>).</summary>
public sealed class TorchTheoryAttribute : TheoryAttribute
{
    public TorchTheoryAttribute()
    {
        if (TorchFactAttribute.Missing.Value is { } reason) Skip = reason;
    }
}

/// <summary>A fact that needs root (to mount a tiny tmpfs); skipped with the reason otherwise.</summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root")
            Skip = "needs root on Linux to mount a 1 MiB tmpfs (simulated full disk)";
    }
}

/// <summary>
/// A fact that needs a real pwsh 7.6 (PATH, or the .NET global tool in ~/.dotnet/tools); skipped
/// with the reason otherwise. <see cref="Path"/> is the command to start.
/// </summary>
public sealed class PwshFactAttribute : FactAttribute
{
    public static string? Path { get; } = Find();

    public PwshFactAttribute()
    {
        if (Path is null) Skip = "real pwsh not found (PATH or ~/.dotnet/tools): dotnet tool install --global PowerShell --version 7.6.9";
    }

    private static string? Find()
    {
        var name = OperatingSystem.IsWindows() ? "pwsh.exe" : "pwsh";
        var folders = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append(System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "tools"));
        return folders.Select(f => System.IO.Path.Combine(f, name)).FirstOrDefault(System.IO.File.Exists);
    }
}

/// <summary>
/// A fact that starts a child in a pid namespace of its own (<c>unshare --pid --fork</c>: root on
/// Linux), standing in for a process on another machine; skipped with the reason otherwise.
/// </summary>
public sealed class UnshareFactAttribute : FactAttribute
{
    public UnshareFactAttribute()
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root" || !File.Exists("/usr/bin/unshare"))
            Skip = "needs root on Linux and /usr/bin/unshare to start a child in its own pid namespace (a holder on another machine)";
    }
}
