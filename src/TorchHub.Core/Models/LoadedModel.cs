using TorchHub.Repositories;

namespace TorchHub.Models;

/// <summary>
/// What <see cref="Hub.LoadModel"/> loaded: the entrypoint's return value, and where and how it
/// came (so a caller can show it beside the model).
/// </summary>
/// <param name="Value">Whatever the entrypoint returned (usually a TorchSharp module).</param>
/// <param name="Entrypoint">The entrypoint's name.</param>
/// <param name="Repository">The repository folder it came from.</param>
/// <param name="Route">The route that loaded it.</param>
public sealed record LoadedModel(object? Value, string Entrypoint, HubRepository Repository, ModelRouteKind Route);
