using System;
using System.Globalization;
using TorchHub.Errors;

namespace TorchHub.Models.Python;

/// <summary>Which sandbox levels the Python route may use.</summary>
internal enum PythonSandboxPolicy
{
    /// <summary>The strongest level available; a plain process only with a warning.</summary>
    Auto,
    /// <summary>The strongest level available, but never a plain process.</summary>
    Isolated,
    /// <summary>Exactly bubblewrap.</summary>
    Bubblewrap,
    /// <summary>Exactly unshare.</summary>
    Unshare,
    /// <summary>Exactly a plain process (no warning: it was asked for).</summary>
    Process,
}

/// <summary>
/// Settings of the Python route. Every field has an environment variable, read once by
/// <see cref="FromEnvironment"/>: TORCHHUB_PYTHON, TORCHHUB_PYTHON_SANDBOX,
/// TORCHHUB_PYTHON_TIMEOUT (seconds), TORCHHUB_PYTHON_MEMORY_MB.
/// </summary>
internal sealed record PythonRouteOptions
{
    /// <summary>The Python to run (a path or a name on PATH); null finds one with torch.</summary>
    public string? Python { get; init; }

    public PythonSandboxPolicy Sandbox { get; init; } = PythonSandboxPolicy.Auto;

    /// <summary>Wall-clock limit of one export (also its CPU-time limit).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>The child's address-space limit, in bytes (RLIMIT_AS).</summary>
    public long MemoryLimit { get; init; } = 16L << 30;

    /// <summary>The largest file the child may write, in bytes (RLIMIT_FSIZE).</summary>
    public long FileSizeLimit { get; init; } = 8L << 30;

    public static PythonRouteOptions FromEnvironment()
    {
        var options = new PythonRouteOptions();
        if (Read("TORCHHUB_PYTHON") is { } python) options = options with { Python = python };
        if (Read("TORCHHUB_PYTHON_SANDBOX") is { } sandbox)
        {
            if (!Enum.TryParse<PythonSandboxPolicy>(sandbox.Replace("bwrap", "Bubblewrap", StringComparison.OrdinalIgnoreCase), ignoreCase: true, out var policy)
                || int.TryParse(sandbox, out _))
                throw Invalid("TORCHHUB_PYTHON_SANDBOX", sandbox, "one of auto, isolated, bwrap, unshare, process");
            options = options with { Sandbox = policy };
        }
        if (Read("TORCHHUB_PYTHON_TIMEOUT") is { } timeout)
            options = options with { Timeout = TimeSpan.FromSeconds(Positive("TORCHHUB_PYTHON_TIMEOUT", timeout)) };
        if (Read("TORCHHUB_PYTHON_MEMORY_MB") is { } memory)
            options = options with { MemoryLimit = (long)Positive("TORCHHUB_PYTHON_MEMORY_MB", memory) << 20 };
        return options;
    }

    private static string? Read(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value.Trim() : null;

    private static int Positive(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw Invalid(name, value, "a positive whole number");

    private static HubException Invalid(string name, string value, string expected) =>
        new(HubErrorIds.InvalidPythonRouteSetting, HubErrorCategory.InvalidArgument, $"{name}='{value}' is not valid: expected {expected}.", name);
}
