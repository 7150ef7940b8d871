using System.Threading;

namespace TorchHub.Models;

/// <summary>
/// One way of turning a hub entrypoint into a .NET object. The model loader asks each route in
/// order (hubconf.cs, verified port, Python export) and uses the first that can load the request.
/// </summary>
internal interface IModelRoute
{
    ModelRouteKind Kind { get; }

    /// <summary>Why this route cannot load the request on this machine, or null when it can. Must be cheap: no network, no child process.</summary>
    string? CannotLoadReason(ModelRequest request);

    /// <summary>Loads the entrypoint. Failures are <see cref="Errors.HubException"/>s naming the step that failed.</summary>
    object? Load(Hub hub, ModelRequest request, CancellationToken cancellationToken);
}
