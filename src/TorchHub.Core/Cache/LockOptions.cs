using System;
using System.Globalization;
using TorchHub.Errors;

namespace TorchHub.Cache;

/// <summary>How the cross-process lock (<see cref="FileLock"/>) is held.</summary>
public enum LockStrategy
{
    /// <summary>The lock-file strategy on a network file system (NFS, SMB/CIFS, FUSE, ...; a UNC or network drive on Windows), else the kernel lock.</summary>
    Auto,
    /// <summary>A kernel lock on an open file (flock on Unix, share modes on Windows): released by the kernel when the holder dies.</summary>
    Kernel,
    /// <summary>A lock file created exclusively, naming its owner, refreshed by a heartbeat and taken over when stale: works where kernel locks are not shared between machines.</summary>
    File,
}

/// <summary>
/// The lock settings of a <see cref="Hub"/> (<see cref="HubOptions.Locks"/>). Every process sharing
/// a cache must lock it the same way: <see cref="LockStrategy.Auto"/> does that for every client of
/// one network file system; on the file server itself, set <c>TORCHHUB_LOCK=file</c> too.
/// </summary>
public sealed record LockOptions
{
    public const string StrategyVariable = "TORCHHUB_LOCK";
    public const string StaleAfterVariable = "TORCHHUB_LOCK_STALE_SECONDS";

    /// <summary>Auto (default), Kernel or File. TORCHHUB_LOCK=auto|kernel|file.</summary>
    public LockStrategy Strategy { get; init; } = LockStrategy.Auto;

    /// <summary>
    /// Lock-file strategy: a lock whose owner is on another machine (or cannot be checked) is taken
    /// over when its heartbeat is older than this. TORCHHUB_LOCK_STALE_SECONDS, default 30. The
    /// clocks of the machines sharing the cache must agree to well within it.
    /// </summary>
    public TimeSpan StaleAfter { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often a held lock file is refreshed: a sixth of <see cref="StaleAfter"/>, so a few missed beats are not fatal.</summary>
    internal TimeSpan Heartbeat => TimeSpan.FromTicks(Math.Max(StaleAfter.Ticks / 6, TimeSpan.FromMilliseconds(50).Ticks));

    /// <summary>The strategy used for locks in <paramref name="folder"/>: never <see cref="LockStrategy.Auto"/>.</summary>
    public LockStrategy StrategyFor(string folder) => Strategy switch
    {
        LockStrategy.Auto => NetworkFileSystem.IsNetwork(folder) ? LockStrategy.File : LockStrategy.Kernel,
        var chosen => chosen,
    };

    /// <summary>Defaults overridden by TORCHHUB_LOCK and TORCHHUB_LOCK_STALE_SECONDS; a value that names no strategy or time is an error, not a silent default.</summary>
    public static LockOptions FromEnvironment()
    {
        var options = new LockOptions();
        if (Environment.GetEnvironmentVariable(StrategyVariable)?.Trim() is { Length: > 0 } strategy)
            options = options with
            {
                Strategy = Enum.TryParse<LockStrategy>(strategy, ignoreCase: true, out var s) && Enum.IsDefined(s) && !char.IsDigit(strategy[0])
                    ? s
                    : throw Invalid(StrategyVariable, strategy, "auto, kernel or file"),
            };
        if (Environment.GetEnvironmentVariable(StaleAfterVariable)?.Trim() is { Length: > 0 } stale)
            options = options with
            {
                StaleAfter = double.TryParse(stale, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0.5 && seconds <= 86400
                    ? TimeSpan.FromSeconds(seconds)
                    : throw Invalid(StaleAfterVariable, stale, "a number of seconds from 0.5 to 86400"),
            };
        return options;
    }

    private static HubException Invalid(string variable, string value, string expected) =>
        new(HubErrorIds.InvalidLockSetting, HubErrorCategory.InvalidArgument, $"{variable} is '{value}'; expected {expected}.", value)
        {
            RecommendedAction = $"Set {variable} to {expected}, or remove it.",
        };
}
