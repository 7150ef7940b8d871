using System.Globalization;

namespace TorchHub.PowerShell.Infrastructure;

/// <summary>
/// Sizes as the module's format views show them ("4.9 KB", "2.9 MB"; powers of 1024, as pwsh's
/// 1KB and 1MB). Public only so the views' script blocks can call the one implementation.
/// </summary>
public static class ByteSize
{
    public static string Format(long bytes) => bytes switch
    {
        >= 1L << 30 => Scaled(bytes, 1L << 30, "GB"),
        >= 1L << 20 => Scaled(bytes, 1L << 20, "MB"),
        >= 1L << 10 => Scaled(bytes, 1L << 10, "KB"),
        _ => bytes.ToString(CultureInfo.CurrentCulture) + " B",
    };

    private static string Scaled(long bytes, long unit, string name) =>
        ((double)bytes / unit).ToString("0.0", CultureInfo.CurrentCulture) + " " + name;
}
