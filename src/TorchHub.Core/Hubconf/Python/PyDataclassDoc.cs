using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace TorchHub.Hubconf.Python;

/// <summary>
/// The <c>__doc__</c> that <c>@dataclass</c> gives a class without a docstring:
/// <c>Name(field: type = default, ...)</c>, that is the class name and
/// <c>str(inspect.signature(cls))</c> without <c>-> None</c>. Annotations print as
/// <c>inspect.formatannotation</c> prints them and defaults as their <c>repr</c>; the reader
/// does both for builtin types and literals, and says when it could not.
/// </summary>
internal static partial class PyDataclassDoc
{
    private static readonly HashSet<string> BuiltinTypes = ["int", "float", "str", "bool", "bytes", "complex", "list", "dict", "tuple", "set", "frozenset", "object"];

    public static string Of(string className, IReadOnlyList<HubParameter> fields, out bool exact)
    {
        exact = true;
        var parts = new List<string>();
        foreach (var field in fields)
        {
            var text = field.Name;
            if (field.Type is { } type)
            {
                if (!BuiltinTypes.Contains(type)) exact = false;
                text += ": " + type;
            }
            if (field.Default is { } value)
            {
                var shown = Repr(value, out var known);
                exact &= known;
                text += " = " + shown;
            }
            parts.Add(text);
        }
        return $"{className}({string.Join(", ", parts)})";
    }

    /// <summary>repr() of a default as written: literals exactly, <c>field(default_factory=...)</c> as <c>&lt;factory&gt;</c>.</summary>
    private static string Repr(string source, out bool known)
    {
        known = true;
        var text = source.Trim();
        if (text is "None" or "True" or "False") return text;
        if (PlainNumber().IsMatch(text)) return text;
        if (FieldCall().Match(text) is { Success: true } field)
        {
            if (field.Groups["factory"].Success) return "<factory>";
            return Repr(field.Groups["default"].Value, out known);
        }
        if (SimpleString().Match(text) is { Success: true } literal)
            return StringRepr(literal.Groups["body"].Value);
        known = false;
        return text;
    }

    /// <summary>Python's repr of a str: single quotes unless the text has one and no double quote.</summary>
    private static string StringRepr(string value)
    {
        var quote = value.Contains('\'') && !value.Contains('"') ? '"' : '\'';
        var sb = new StringBuilder().Append(quote);
        foreach (var c in value)
        {
            switch (c)
            {
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (c == quote) sb.Append('\\');
                    sb.Append(c);
                    break;
            }
        }
        return sb.Append(quote).ToString();
    }

    [GeneratedRegex(@"^-?(0|[1-9][0-9]*)(\.[0-9]+)?$")]
    private static partial Regex PlainNumber();

    // "abc" or 'abc' without escapes or other quotes inside: the value is the text between the quotes.
    [GeneratedRegex("""^(?:"(?<body>[^"\\]*)"|'(?<body>[^'\\]*)')$""")]
    private static partial Regex SimpleString();

    [GeneratedRegex(@"^(?:dataclasses\.)?field\(\s*(?:default_factory\s*=\s*(?<factory>.+)|default\s*=\s*(?<default>[^,]+))\s*(?:,.*)?\)$")]
    private static partial Regex FieldCall();
}
