namespace TorchHub.Hubconf.Python;

/// <summary>Token kinds of Python 3's tokenizer that the module reader needs.</summary>
internal enum PyTokenKind
{
    Name,
    Number,
    /// <summary>Any string literal, prefix and quotes included (f-strings are one token, as before 3.12).</summary>
    String,
    Op,
    Newline,
    Indent,
    Dedent,
    EndMarker,
}

/// <summary>A token: a span of the decoded source plus its 1-based line.</summary>
internal readonly record struct PyToken(PyTokenKind Kind, int Start, int End, int Line)
{
    public int Length => End - Start;
}
