using System;
using System.Text.RegularExpressions;
using TorchHub.Errors;

namespace TorchHub.Downloads;

/// <summary>
/// The hash rules of -HashPrefix and -CheckHash, deliberately stricter than torch.hub's
/// <c>HASH_REGEX = r'-([a-f0-9]*)\.'</c> (see docs/guides/downloads.md):
/// <list type="bullet">
/// <item>-HashPrefix: 1 to 64 hex digits, either case (compared lower-case); a full SHA-256 works.</item>
/// <item>-CheckHash: the first <c>-&lt;hex&gt;.</c> in the file name with at least
/// <see cref="MinimumNameHashLength"/> lowercase hex digits. torch takes the first match even
/// when it is empty (<c>x-.pth</c> silently disables the check) or an ordinary word
/// (<c>net-cafe.pth</c> demands a hash starting "cafe"). We skip such short words and look
/// further (<c>net-cafe-5c106cde.pth</c> → 5c106cde); a name with no qualifying part is an
/// error instead of a silent no-check.</item>
/// </list>
/// </summary>
internal static class HashRules
{
    /// <summary>torchvision and most hub repos use 8 or more digits; every 4-7 letter hex word is shorter.</summary>
    public const int MinimumNameHashLength = 8;

    private static readonly Regex NameHash = new(@"-([a-f0-9]{" + MinimumNameHashLength + @",64})\.", RegexOptions.CultureInvariant);

    /// <summary>Validates and normalises a -HashPrefix value (null/empty = no check).</summary>
    public static string? NormalizePrefix(string? prefix)
    {
        if (string.IsNullOrEmpty(prefix)) return null;
        var p = prefix.Trim();
        if (p.Length > 64 || !IsHex(p))
            throw new HubException(HubErrorIds.InvalidHashPrefix, HubErrorCategory.InvalidArgument,
                $"The hash prefix '{prefix}' is not a SHA-256 prefix: it must be 1 to 64 hexadecimal digits.", prefix);
        return p.ToLowerInvariant();
    }

    /// <summary>The hash prefix -CheckHash takes from a file name, or an error saying why there is none.</summary>
    public static string PrefixFromFileName(string fileName)
    {
        var m = NameHash.Match(fileName);
        if (!m.Success)
            throw new HubException(HubErrorIds.NoHashInFileName, HubErrorCategory.InvalidArgument,
                $"-CheckHash needs a file name of the form name-<sha256 prefix>.ext with at least {MinimumNameHashLength} lowercase hexadecimal digits, like resnet18-f37072fd.pth; '{fileName}' has none.",
                fileName)
            {
                RecommendedAction = "Give the expected hash with -HashPrefix, or name the file with -FileName.",
            };
        return m.Groups[1].Value;
    }

    /// <summary>Whether <paramref name="sha256Hex"/> (lowercase, 64 digits) starts with <paramref name="prefix"/>.</summary>
    public static bool Matches(string sha256Hex, string prefix) => sha256Hex.StartsWith(prefix, StringComparison.Ordinal);

    /// <summary>torch's message, with the id and category tests and scripts match on.</summary>
    public static HubException Mismatch(string expected, string actual, object? target) =>
        new(HubErrorIds.HashMismatch, HubErrorCategory.InvalidResult,
            $"invalid hash value (expected \"{expected}\", got \"{actual}\")", target);

    private static bool IsHex(string s)
    {
        foreach (var c in s)
        {
            if (!Uri.IsHexDigit(c)) return false;
        }
        return s.Length > 0;
    }
}
