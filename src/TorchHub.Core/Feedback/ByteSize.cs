using System;
using System.Globalization;

namespace TorchHub.Feedback;

/// <summary>
/// The one way TorchHub writes a size for people ("4.9 KB", "2.9 MB"): powers of 1024 named as
/// PowerShell's 1KB and 1MB are, in progress, messages and format views alike.
/// </summary>
internal static class ByteSize
{
    private static readonly string[] Units = ["B", "KB", "MB", "GB", "TB"];

    /// <summary>Formats <paramref name="bytes"/>; the culture decides the decimal mark (invariant by default).</summary>
    public static string Format(long bytes, IFormatProvider? culture = null)
    {
        culture ??= CultureInfo.InvariantCulture;
        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < Units.Length - 1) { value /= 1024; unit++; }
        return unit == 0
            ? bytes.ToString(culture) + " B"
            : value.ToString("0.0", culture) + " " + Units[unit];
    }
}
