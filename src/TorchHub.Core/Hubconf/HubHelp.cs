using System.Collections.Generic;

namespace TorchHub.Hubconf;

/// <summary>
/// An entrypoint's help (torch.hub.help). <see cref="ToString"/> is the docstring exactly as
/// Python's <c>__doc__</c> holds it up to 3.12; <see cref="Text"/> is the dedented form of
/// Python 3.13+ / <c>inspect.cleandoc</c>.
/// </summary>
public sealed class HubHelp
{
    public required string Name { get; init; }

    public string? Repository { get; init; }

    public string? LocalPath { get; init; }

    public HubconfLanguage Language { get; init; }

    /// <summary>The raw docstring; null when the entrypoint has none.</summary>
    public string? Docstring { get; init; }

    /// <summary>The cleaned docstring (inspect.cleandoc); empty when there is none.</summary>
    public string Text { get; init; } = "";

    public string Signature { get; init; } = "";

    public IReadOnlyList<HubParameter> Parameters { get; init; } = [];

    public string? File { get; init; }

    public int Line { get; init; }

    /// <summary>Notes such as "no docstring" or why the help could not be found statically.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    public override string ToString() => Docstring ?? "";
}
