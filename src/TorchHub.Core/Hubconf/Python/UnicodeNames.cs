using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;

namespace TorchHub.Hubconf.Python;

/// <summary>
/// Unicode character names for \N{...} escapes. .NET has no name database, so the table is
/// generated from Python's unicodedata (tools/make-unicode-names.py) and embedded compressed;
/// it is loaded on the first \N escape only. Hangul syllables follow Unicode's algorithm.
/// Name aliases (NameAliases.txt) are not included.
/// </summary>
internal static class UnicodeNames
{
    private static readonly Lazy<(Dictionary<string, int> Names, List<(string Prefix, int Start, int End)> Ranges)> Table = new(Load);

    private static readonly string[] JamoL = ["G", "GG", "N", "D", "DD", "R", "M", "B", "BB", "S", "SS", "", "J", "JJ", "C", "K", "T", "P", "H"];
    private static readonly string[] JamoV = ["A", "AE", "YA", "YAE", "EO", "E", "YEO", "YE", "O", "WA", "WAE", "OE", "YO", "U", "WEO", "WE", "WI", "YU", "EU", "YI", "I"];
    private static readonly string[] JamoT = ["", "G", "GG", "GS", "N", "NJ", "NH", "D", "L", "LG", "LM", "LB", "LS", "LT", "LP", "LH", "M", "B", "BS", "S", "SS", "NG", "J", "C", "K", "T", "P", "H"];

    /// <summary>The code point named <paramref name="name"/> (case-insensitive, as Python), or -1.</summary>
    public static int Lookup(string name)
    {
        var upper = name.ToUpperInvariant();
        var (names, ranges) = Table.Value;
        if (names.TryGetValue(upper, out var cp)) return cp;
        foreach (var (prefix, start, end) in ranges)
        {
            if (upper.StartsWith(prefix, StringComparison.Ordinal)
                && int.TryParse(upper.AsSpan(prefix.Length), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value)
                && value >= start && value <= end && upper.Length - prefix.Length is 4 or 5)
                return value;
        }
        return Hangul(upper);
    }

    private static int Hangul(string upper)
    {
        const string prefix = "HANGUL SYLLABLE ";
        if (!upper.StartsWith(prefix, StringComparison.Ordinal)) return -1;
        var rest = upper.Substring(prefix.Length);
        for (var l = 0; l < JamoL.Length; l++)
        for (var v = 0; v < JamoV.Length; v++)
        for (var t = 0; t < JamoT.Length; t++)
        {
            if (rest == JamoL[l] + JamoV[v] + JamoT[t])
                return 0xAC00 + (l * JamoV.Length + v) * JamoT.Length + t;
        }
        return -1;
    }

    private static (Dictionary<string, int>, List<(string, int, int)>) Load()
    {
        var names = new Dictionary<string, int>(40000, StringComparer.Ordinal);
        var ranges = new List<(string, int, int)>();
        using var stream = typeof(UnicodeNames).Assembly.GetManifestResourceStream("TorchHub.Hubconf.Python.UnicodeNames.txt.gz")
            ?? throw new InvalidOperationException("The Unicode name table is missing from the assembly.");
        using var reader = new StreamReader(new GZipStream(stream, CompressionMode.Decompress));
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line[0] == '#') continue;
            var parts = line.Split(';');
            if (parts[0] == "RANGE")
                ranges.Add((parts[1], int.Parse(parts[2], NumberStyles.HexNumber, CultureInfo.InvariantCulture), int.Parse(parts[3], NumberStyles.HexNumber, CultureInfo.InvariantCulture)));
            else
                names[parts[1]] = int.Parse(parts[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        }
        return (names, ranges);
    }
}
