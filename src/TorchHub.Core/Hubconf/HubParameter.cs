
namespace TorchHub.Hubconf;

/// <summary>One parameter of an entrypoint's signature, as written in the source.</summary>
/// <param name="Name">The parameter name.</param>
/// <param name="Type">The annotation (Python) or type (C#) as written, if any.</param>
/// <param name="Default">The default value's source text, or null when the parameter is required.</param>
/// <param name="Kind">Positional, keyword-only, *args, **kwargs (Python), or params (C#).</param>
public sealed record HubParameter(string Name, string? Type, string? Default, HubParameterKind Kind = HubParameterKind.Normal)
{
    public bool IsOptional => Default is not null || Kind is HubParameterKind.VarPositional or HubParameterKind.VarKeyword;

    public override string ToString()
    {
        var prefix = Kind switch
        {
            HubParameterKind.VarPositional => "*",
            HubParameterKind.VarKeyword => "**",
            _ => "",
        };
        var text = prefix + Name;
        if (Type is not null) text += ": " + Type;
        if (Default is not null) text += (Type is null ? "=" : " = ") + Default;
        return text;
    }
}

public enum HubParameterKind
{
    Normal,
    PositionalOnly,
    KeywordOnly,
    VarPositional,
    VarKeyword,
}
