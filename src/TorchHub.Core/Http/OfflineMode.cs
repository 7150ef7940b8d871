using System;

namespace TorchHub.Http;

/// <summary>Offline mode: <c>-Offline</c>, or <c>TORCHHUB_OFFLINE=1</c> for a whole session or job.</summary>
public static class OfflineMode
{
    public const string Variable = "TORCHHUB_OFFLINE";

    /// <summary>True when TORCHHUB_OFFLINE is 1, true, yes or on (any case).</summary>
    public static bool FromEnvironment()
    {
        var value = Environment.GetEnvironmentVariable(Variable)?.Trim();
        return value is not null && (value == "1" || value.Equals("true", StringComparison.OrdinalIgnoreCase)
            || value.Equals("yes", StringComparison.OrdinalIgnoreCase) || value.Equals("on", StringComparison.OrdinalIgnoreCase));
    }
}
