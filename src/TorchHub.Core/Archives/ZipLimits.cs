using System;
using System.Globalization;

namespace TorchHub.Archives;

/// <summary>
/// How far one zip may expand (zip bombs: 10 GB of zeros fit in 10 MB). Checked on the declared
/// sizes before anything is written, and again on the bytes actually inflated. The defaults fit
/// any real repository or legacy checkpoint; the rare bigger one raises them with
/// TORCHHUB_ZIP_MAX_MB, TORCHHUB_ZIP_MAX_RATIO and TORCHHUB_ZIP_MAX_ENTRIES.
/// </summary>
internal sealed record ZipLimits
{
    public const string MaxSizeVariable = "TORCHHUB_ZIP_MAX_MB";
    public const string MaxRatioVariable = "TORCHHUB_ZIP_MAX_RATIO";
    public const string MaxEntriesVariable = "TORCHHUB_ZIP_MAX_ENTRIES";

    /// <summary>Total expanded bytes.</summary>
    public long MaxTotalBytes { get; init; } = 8L << 30;

    /// <summary>Expanded bytes per byte of zip file (checked once the expansion passes <see cref="RatioFloorBytes"/>).</summary>
    public double MaxRatio { get; init; } = 200;

    /// <summary>Below this expanded size the ratio is not judged (tiny zips of text compress well).</summary>
    public long RatioFloorBytes { get; init; } = 64L << 20;

    /// <summary>Entries (files and folders).</summary>
    public int MaxEntries { get; init; } = 200_000;

    public static ZipLimits FromEnvironment()
    {
        var limits = new ZipLimits();
        if (Read(MaxSizeVariable) is { } mb && mb >= 1) limits = limits with { MaxTotalBytes = (long)(mb * (1 << 20)) };
        if (Read(MaxRatioVariable) is { } ratio && ratio >= 1) limits = limits with { MaxRatio = ratio };
        if (Read(MaxEntriesVariable) is { } entries && entries >= 1 && entries <= int.MaxValue) limits = limits with { MaxEntries = (int)entries };
        return limits;
    }

    private static double? Read(string variable) =>
        double.TryParse(Environment.GetEnvironmentVariable(variable), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;
}
