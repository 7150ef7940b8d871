using System;
using System.Diagnostics;
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
            p.WaitForExit(60_000);
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
