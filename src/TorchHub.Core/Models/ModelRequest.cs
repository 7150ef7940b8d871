using System.Collections.Generic;
using TorchHub.Hubconf.CSharp;
using TorchHub.Repositories;

namespace TorchHub.Models;

/// <summary>One call of an entrypoint, as every route receives it.</summary>
/// <param name="Repository">The repository folder (trust already decided by the caller).</param>
/// <param name="Name">The entrypoint's name.</param>
/// <param name="Args">Positional arguments.</param>
/// <param name="NamedArgs">Arguments by name.</param>
/// <param name="Convert">How values convert to .NET parameter types.</param>
internal sealed record ModelRequest(
    HubRepository Repository,
    string Name,
    IReadOnlyList<object?> Args,
    IReadOnlyDictionary<string, object?> NamedArgs,
    HubArgumentConverter Convert)
{
    /// <summary>Whether downloaded weights are checked against the SHA-256 prefix in their file name (torchvision's check_hash=True). Default true.</summary>
    public bool CheckHash { get; init; } = true;

    /// <summary>Inputs to trace the model with when it cannot be scripted (the Python route); null: script only.</summary>
    public IReadOnlyList<TorchSharp.torch.Tensor>? ExampleInputs { get; init; }
}
