using System.Globalization;

namespace TorchHub.PowerShell.Infrastructure;

/// <summary>
/// Sizes as the module's format views show them ("4.9 KB", "2.9 MB"; powers of 1024, as pwsh's
/// 1KB and 1MB), in the user's culture. Public only so the views' script blocks can call the
/// engine's one implementation.
/// </summary>
public static class ByteSize
{
    public static string Format(long bytes) => TorchHub.Feedback.ByteSize.Format(bytes, CultureInfo.CurrentCulture);
}
