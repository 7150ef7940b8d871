using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using TorchHub.Hubconf;
using TorchHub.Errors;
using TorchHub.Hubconf.CSharp;
using TorchHub.Models;
using TorchHub.Repositories;

namespace TorchHub;

public sealed partial class Hub
{
    private static readonly IReadOnlyDictionary<string, object?> NoNamedArguments = new Dictionary<string, object?>();

    private ModelLoader? modelLoader;

    /// <summary>The routes this hub loads entrypoints with (<see cref="ModelLoader.For"/>).</summary>
    internal ModelLoader ModelLoader => modelLoader ??= ModelLoader.For(this);

    /// <summary>
    /// torch.hub.load for .NET: loads the entrypoint through the first route that can (a hubconf.cs
    /// entrypoint, else a verified built-in port, else the Python export), or through
    /// <paramref name="route"/> when given. The caller has already passed the trust rules
    /// (<see cref="GetRepository"/> does for GitHub; local folders are the user's own, as in torch).
    /// Returns whatever the entrypoint returns.
    /// </summary>
    /// <param name="repository">The repository folder.</param>
    /// <param name="name">The entrypoint.</param>
    /// <param name="args">Positional arguments.</param>
    /// <param name="namedArgs">Arguments by parameter name (case-insensitive for hubconf.cs; as in Python for the others).</param>
    /// <param name="convert">How values convert to parameter types; default <see cref="HubArgumentConverters.Default"/>.</param>
    /// <param name="route">Forces one route; null picks the first that can load it.</param>
    /// <param name="checkHash">Check downloaded weights against the SHA-256 prefix in their file name (as torchvision does).</param>
    /// <param name="exampleInputs">Inputs for torch.jit.trace when the Python route cannot script the model (<see cref="ExampleInput.Random"/> makes one from a shape); null: script only.</param>
    /// <param name="cancellationToken">Cancels compiling and downloads; a hubconf.cs entrypoint sees it as HubContext.CancellationToken.</param>
    public object? Load(HubRepository repository, string name, IReadOnlyList<object?>? args = null,
        IReadOnlyDictionary<string, object?>? namedArgs = null, HubArgumentConverter? convert = null,
        ModelRouteKind? route = null, bool checkHash = true, IReadOnlyList<TorchSharp.torch.Tensor>? exampleInputs = null,
        CancellationToken cancellationToken = default) =>
        LoadModel(repository, name, args, namedArgs, convert, route, checkHash, exampleInputs, cancellationToken).Value;

    /// <summary>
    /// <see cref="Load(HubRepository, string, IReadOnlyList{object?}?, IReadOnlyDictionary{string, object?}?, HubArgumentConverter?, ModelRouteKind?, bool, IReadOnlyList{TorchSharp.torch.Tensor}?, CancellationToken)"/>,
    /// also saying which route loaded the entrypoint (what Import-HubModel shows beside the model).
    /// </summary>
    public LoadedModel LoadModel(HubRepository repository, string name, IReadOnlyList<object?>? args = null,
        IReadOnlyDictionary<string, object?>? namedArgs = null, HubArgumentConverter? convert = null,
        ModelRouteKind? route = null, bool checkHash = true, IReadOnlyList<TorchSharp.torch.Tensor>? exampleInputs = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        if (string.IsNullOrEmpty(name))
            throw new HubException(HubErrorIds.InvalidEntrypointName, HubErrorCategory.InvalidArgument, "The entrypoint name is empty.", name);
        var request = new ModelRequest(repository, name, args ?? [], namedArgs ?? NoNamedArguments, convert ?? HubArgumentConverters.Default)
        {
            CheckHash = checkHash,
            ExampleInputs = exampleInputs is { Count: > 0 } ? exampleInputs : null,
        };
        return ModelLoader.Load(this, request, route, cancellationToken);
    }

    /// <summary>
    /// The entrypoints with <see cref="HubEntrypoint.Route"/> filled in: how each loads in .NET here
    /// with its default arguments, or why it cannot. Cheap: no network, no child process, nothing compiled.
    /// </summary>
    public IReadOnlyList<HubEntrypoint> DescribeRoutes(HubRepository repository, IEnumerable<HubEntrypoint> entrypoints)
    {
        ArgumentNullException.ThrowIfNull(repository);
        return entrypoints.Select(entry =>
        {
            var decision = ModelLoader.Decide(new ModelRequest(repository, entry.Name, [], NoNamedArguments, HubArgumentConverters.Default));
            // The Python route runs any callable; a function whose annotation says it returns no
            // module (pytorch/vision's get_weight, list_models, ...) is not offered as a model.
            if (decision.Route?.Kind == ModelRouteKind.Python && Models.Python.ReturnAnnotation.NotAModelReason(entry) is { } notAModel)
                return entry.WithRoute(null, [.. decision.Reasons, new RouteReason(ModelRouteKind.Python, notAModel)]);
            return entry.WithRoute(decision.Route?.Kind, decision.Route is null ? decision.Reasons : []);
        }).ToList();
    }
}
