using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using TorchHub.Errors;
using TorchHub.Models.Ports;

namespace TorchHub.Models;

/// <summary>
/// Picks the route that loads an entrypoint: the first of its routes (in order) that can load the
/// request, or the one the caller forces. When none can, the error gives each route's reason.
/// </summary>
internal sealed class ModelLoader
{
    private readonly IReadOnlyList<IModelRoute> routes;

    public ModelLoader(IEnumerable<IModelRoute> routes) => this.routes = routes.ToList();

    /// <summary>The routes a <see cref="Hub"/> uses, in the order Auto tries them.</summary>
    public static ModelLoader For(Hub hub) => new(
    [
        new CSharpModelRoute(),
        new TorchVisionPortRoute(),
        new Python.PythonModelRoute(),
    ]);

    public IReadOnlyList<IModelRoute> Routes => routes;

    /// <summary>The route that would load the request (null when none can) and every route's reason for not loading it.</summary>
    public RouteDecision Decide(ModelRequest request, ModelRouteKind? forced = null)
    {
        var reasons = new List<RouteReason>();
        foreach (var route in routes)
        {
            if (forced is { } kind && route.Kind != kind) continue;
            if (route.CannotLoadReason(request) is { } reason) reasons.Add(new RouteReason(route.Kind, reason));
            else return new RouteDecision(route, reasons);
        }
        if (forced is { } missing && reasons.Count == 0)
            reasons.Add(new RouteReason(missing, "this build of TorchHub has no such route"));
        return new RouteDecision(null, reasons);
    }

    public object? Load(Hub hub, ModelRequest request, ModelRouteKind? forced, CancellationToken cancellationToken)
    {
        var decision = Decide(request, forced);
        if (decision.Route is not { } route) throw CannotLoad(hub, request, forced, decision);
        // The Python route runs the repository's code: a name the static listing rules out is the
        // user's typo, answered with torch's error before any process starts. A listing that is
        // incomplete (names made at run time) or names it as possible lets the route try.
        if (route.Kind == ModelRouteKind.Python && NotListed(hub, request) is { } notFound) throw notFound;
        var skipped = decision.Reasons.Count == 0 ? "" : $" ({decision.Describe()})";
        hub.Feedback.Verbose($"Loading '{request.Name}' of '{request.Repository.DisplayName}' through the {route.Kind} route{skipped}.");
        return route.Load(hub, request, cancellationToken);
    }

    private static HubException? NotListed(Hub hub, ModelRequest request)
    {
        var listing = hub.GetListing(request.Repository);
        if (!listing.IsComplete || listing.PossibleEntrypoints.Contains(request.Name, StringComparer.Ordinal)) return null;
        var known = listing.Entrypoints.Select(e => e.Name).ToList();
        return known.Contains(request.Name, StringComparer.Ordinal) ? null : Hubconf.HubconfCatalog.EntrypointNotFound(request.Repository, request.Name, known);
    }

    private static HubException CannotLoad(Hub hub, ModelRequest request, ModelRouteKind? forced, RouteDecision decision)
    {
        var repository = request.Repository;
        if (forced is { } kind)
            return new HubException(HubErrorIds.ModelRouteNotApplicable, HubErrorCategory.InvalidOperation,
                $"The {kind} route cannot load '{request.Name}' of '{repository.DisplayName}': {decision.Describe()}.", request.Name)
            {
                RecommendedAction = "Leave -Route at Auto to use the first route that can load it; Get-HubEntrypoint shows each entrypoint's route.",
            };

        // An unknown name is the user's typo, not a missing route: torch's error, with close matches.
        var known = hub.GetListing(repository).Entrypoints.Select(e => e.Name).ToList();
        if (!known.Contains(request.Name, StringComparer.Ordinal))
            return Hubconf.HubconfCatalog.EntrypointNotFound(repository, request.Name, known);

        return new HubException(HubErrorIds.PythonEntrypointNotRunnable, HubErrorCategory.NotImplemented,
            $"'{request.Name}' of '{repository.DisplayName}' is published in hubconf.py, and no route can load it in .NET here: {decision.Describe()}.",
            repository.DisplayName)
        {
            RecommendedAction =
                "What works instead: Get-HubEntrypoint and Get-HubHelp list and document its entrypoints (the Route column says which load here); " +
                "Save-HubFile downloads the weights they use, which load into a TorchSharp module of the same shape; " +
                "TorchScript files (torch.jit.save) load in TorchSharp without Python; " +
                "or the repository can publish its models for .NET with a hubconf.cs next to hubconf.py.",
        };
    }
}

/// <summary>Why one route does not load a request.</summary>
public sealed record RouteReason(ModelRouteKind Route, string Reason)
{
    public override string ToString() => $"{Route}: {Reason}";
}

/// <summary>The outcome of choosing a route: the route (null when none can) and the reasons of the routes before it.</summary>
internal sealed record RouteDecision(IModelRoute? Route, IReadOnlyList<RouteReason> Reasons)
{
    public string Describe() => string.Join("; ", Reasons);
}
