using System;
using System.Globalization;
using System.Text;

namespace TorchHub.Hubconf.Python;

/// <summary>The value of one string-literal token, decoded as CPython's compiler does.</summary>
internal readonly record struct PyStringValue(string Value, bool IsBytes, bool IsFString);

/// <summary>
/// Decodes Python string literals: prefixes (r, u, b, f and their combinations), single,
/// double and triple quotes, and every escape of the language reference (\newline, \\, \',
/// \", \a \b \f \n \r \t \v, octal, \xhh, \uXXXX, \UXXXXXXXX, \N{name}). Unknown escapes keep
/// the backslash, as Python does. Errors are the ones CPython's compiler raises.
/// </summary>
internal static class PyStringLiteral
{
    public static PyStringValue Decode(string token, int line)
    {
        var i = 0;
        bool raw = false, bytes = false, f = false;
        for (; token[i] is not ('\'' or '"'); i++)
        {
            switch (char.ToLowerInvariant(token[i]))
            {
                case 'r': raw = true; break;
                case 'b': bytes = true; break;
                case 'f': f = true; break;
            }
        }
        var q = token[i];
        var quoteLength = token.Length - i >= 6 && token[i + 1] == q && token[i + 2] == q ? 3 : 1;
        var body = token.AsSpan(i + quoteLength, token.Length - i - 2 * quoteLength);
        if (raw || f || body.IndexOf('\\') < 0)
            return new PyStringValue(body.ToString(), bytes, f); // f-strings are never docstrings: their text is not evaluated
        return new PyStringValue(Unescape(body, bytes, line), bytes, false);
    }

    private static string Unescape(System.ReadOnlySpan<char> s, bool bytes, int line)
    {
        var sb = new StringBuilder(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c == '\n') line++;
            if (c != '\\' || i + 1 >= s.Length) { sb.Append(c); continue; }
            var e = s[++i];
            switch (e)
            {
                case '\n': line++; break; // line continuation inside the literal
                case '\\': sb.Append('\\'); break;
                case '\'': sb.Append('\''); break;
                case '"': sb.Append('"'); break;
                case 'a': sb.Append('\a'); break;
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'n': sb.Append('\n'); break;
                case 'r': sb.Append('\r'); break;
                case 't': sb.Append('\t'); break;
                case 'v': sb.Append('\v'); break;
                case >= '0' and <= '7':
                {
                    var value = e - '0';
                    for (var k = 0; k < 2 && i + 1 < s.Length && s[i + 1] is >= '0' and <= '7'; k++)
                        value = value * 8 + (s[++i] - '0');
                    sb.Append((char)(bytes ? value & 0xFF : value));
                    break;
                }
                case 'x':
                    AppendCodePoint(sb, Hex(s, ref i, 2, "\\xXX", bytes, line), line);
                    break;
                case 'u' when !bytes:
                    AppendCodePoint(sb, Hex(s, ref i, 4, "\\uXXXX", bytes, line), line);
                    break;
                case 'U' when !bytes:
                    AppendCodePoint(sb, Hex(s, ref i, 8, "\\UXXXXXXXX", bytes, line), line);
                    break;
                case 'N' when !bytes:
                {
                    if (i + 1 >= s.Length || s[i + 1] != '{')
                        throw Error("malformed \\N character escape", bytes, i, line);
                    var close = s.Slice(i + 2).IndexOf('}');
                    if (close <= 0) throw Error("malformed \\N character escape", bytes, i, line);
                    var name = s.Slice(i + 2, close).ToString();
                    var cp = UnicodeNames.Lookup(name);
                    if (cp < 0) throw Error("unknown Unicode character name", bytes, i, line);
                    AppendCodePoint(sb, cp, line);
                    i += close + 2;
                    break;
                }
                default:
                    sb.Append('\\').Append(e); // invalid escapes are kept (a DeprecationWarning in Python)
                    break;
            }
        }
        return sb.ToString();
    }

    private static int Hex(System.ReadOnlySpan<char> s, ref int i, int count, string form, bool bytes, int line)
    {
        var value = 0;
        for (var k = 0; k < count; k++)
        {
            if (i + 1 >= s.Length || !char.IsAsciiHexDigit(s[i + 1]))
                throw Error($"truncated {form} escape", bytes, i, line);
            value = value * 16 + int.Parse(s.Slice(++i, 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        }
        return value;
    }

    private static void AppendCodePoint(StringBuilder sb, int cp, int line)
    {
        if (cp > 0x10FFFF || cp < 0) throw new PySyntaxException("(unicode error) 'unicodeescape' codec can't decode bytes: illegal Unicode character", line);
        if (cp <= 0xFFFF) sb.Append((char)cp); // lone surrogates are legal in Python str, and in .NET strings
        else sb.Append(char.ConvertFromUtf32(cp));
    }

    private static PySyntaxException Error(string what, bool bytes, int position, int line) =>
        new($"({(bytes ? "value" : "unicode")} error) '{(bytes ? "bytes" : "unicodeescape")}' codec can't decode bytes in position {position - 1}-{position}: {what}", line);
}
