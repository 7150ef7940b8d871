using System;
using System.Buffers;
using System.Text;
using System.Text.RegularExpressions;

namespace TorchHub.Hubconf.Python;

/// <summary>
/// Turns a .py file's bytes into text the way CPython reads source: a UTF-8 BOM, else a
/// PEP 263 coding cookie on line 1 or 2, else UTF-8; undecodable bytes are an error naming
/// the line. Newlines (\r\n, \r) become \n, as Python's universal-newline reading does, so
/// docstrings come out as Python sees them.
/// </summary>
internal static partial class PySourceDecoder
{
    [GeneratedRegex(@"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)", RegexOptions.CultureInvariant)]
    private static partial Regex CookiePattern();

    static PySourceDecoder() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static string Decode(ReadOnlySpan<byte> bytes)
    {
        var bom = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF;
        if (bom) bytes = bytes.Slice(3);

        var cookie = FindCookie(bytes);
        string text;
        if (cookie is null || IsUtf8(cookie))
        {
            text = DecodeUtf8(bytes, cookie is null);
        }
        else
        {
            if (bom) throw new PySyntaxException($"encoding problem: {cookie} with BOM", 1);
            var encoding = GetEncoding(cookie) ?? throw new PySyntaxException($"unknown encoding: {cookie}", CookieLine(bytes));
            try
            {
                text = encoding.GetString(bytes);
            }
            catch (DecoderFallbackException ex)
            {
                throw new PySyntaxException($"'{cookie}' codec can't decode the file: {ex.Message}", 1);
            }
        }
        if (text.Contains('\r')) text = text.Replace("\r\n", "\n").Replace('\r', '\n');
        return text;
    }

    private static string DecodeUtf8(ReadOnlySpan<byte> bytes, bool noCookie)
    {
        var buffer = ArrayPool<char>.Shared.Rent(bytes.Length + 1);
        try
        {
            var status = System.Text.Unicode.Utf8.ToUtf16(bytes, buffer, out var read, out var written, replaceInvalidSequences: false);
            if (status != OperationStatus.Done)
            {
                var line = 1;
                foreach (var b in bytes.Slice(0, read)) if (b == (byte)'\n') line++;
                var bad = read < bytes.Length ? bytes[read] : 0;
                throw new PySyntaxException(noCookie
                    ? $"Non-UTF-8 code starting with '\\x{bad:x2}' on line {line}, but no encoding declared; see https://peps.python.org/pep-0263/"
                    : $"'utf-8' codec can't decode byte 0x{bad:x2} on line {line}", line);
            }
            return new string(buffer, 0, written);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    /// <summary>The coding cookie of line 1, or of line 2 when line 1 is blank or a comment (PEP 263).</summary>
    private static string? FindCookie(ReadOnlySpan<byte> bytes)
    {
        var first = Line(bytes, 0, out var next);
        var match = CookiePattern().Match(first);
        if (match.Success) return match.Groups[1].Value;
        var trimmed = first.TrimStart(" \t\f");
        if (trimmed.Length > 0 && trimmed[0] != '#') return null;
        if (next >= bytes.Length) return null;
        match = CookiePattern().Match(Line(bytes, next, out _));
        return match.Success ? match.Groups[1].Value : null;
    }

    private static int CookieLine(ReadOnlySpan<byte> bytes)
    {
        var first = Line(bytes, 0, out _);
        return CookiePattern().IsMatch(first) ? 1 : 2;
    }

    private static string Line(ReadOnlySpan<byte> bytes, int start, out int next)
    {
        var end = bytes.Slice(start).IndexOfAny((byte)'\n', (byte)'\r');
        end = end < 0 ? bytes.Length : start + end;
        next = end + 1;
        // Latin-1 keeps every byte; the cookie itself is ASCII.
        return Encoding.Latin1.GetString(bytes.Slice(start, Math.Min(end - start, 1024)));
    }

    private static bool IsUtf8(string name) =>
        Normalize(name) is "utf-8" || Normalize(name).StartsWith("utf-8-", StringComparison.Ordinal);

    // CPython's get_normal_name plus the codec registry's spelling rules.
    private static string Normalize(string name)
    {
        var n = name.ToLowerInvariant().Replace('_', '-');
        if (n is "utf8") return "utf-8";
        if (n is "latin-1" or "latin1" or "iso-8859-1" or "iso-latin-1" or "l1" || n.StartsWith("latin-1-", StringComparison.Ordinal) || n.StartsWith("iso-8859-1-", StringComparison.Ordinal))
            return "iso-8859-1";
        return n;
    }

    private static Encoding? GetEncoding(string name)
    {
        var n = Normalize(name);
        if (n is "ascii" or "us-ascii" or "646") n = "us-ascii";
        try
        {
            if (n.StartsWith("cp", StringComparison.Ordinal) && int.TryParse(n.AsSpan(2), out var page))
                return Encoding.GetEncoding(page, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
            return Encoding.GetEncoding(n, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
        {
            return null;
        }
    }
}
