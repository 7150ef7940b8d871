using System;
using System.Collections;
using System.Collections.Specialized;
using System.IO;
using System.Linq;
using System.Threading;
using TorchHub.Errors;
using TorchHub.Repositories;
using TorchHub.Runtime;
using TorchHub.Tensors;
using static TorchSharp.torch;

namespace TorchHub.Models.Ports;

/// <summary>
/// Route "Port": a pytorch/vision entrypoint built by its verified TorchSharp twin
/// (<see cref="TorchVisionPorts"/>), with torchvision's published weights downloaded into
/// <c>checkpoints/</c> under PyTorch's file name (hash checked) and loaded by TorchHub's own
/// checkpoint reader and state-dict loader. No Python, no repository code runs.
/// </summary>
internal sealed class TorchVisionPortRoute : IModelRoute
{
    /// <summary>The progress activity of the steps after the download (which reports its own).</summary>
    public const int ProgressActivityId = 0x7501;

    public ModelRouteKind Kind => ModelRouteKind.Port;

    public string? CannotLoadReason(ModelRequest request)
    {
        var spec = request.Repository.Spec;
        if (request.Repository.Source != RepositorySource.GitHub || spec is null
            || !string.Equals(spec.Owner, TorchVisionPorts.Owner, StringComparison.OrdinalIgnoreCase)
            || !string.Equals(spec.Name, TorchVisionPorts.Repository, StringComparison.OrdinalIgnoreCase))
            return $"built-in ports exist for {TorchVisionPorts.Owner}/{TorchVisionPorts.Repository} only";
        if (!TorchVisionPorts.All.TryGetValue(request.Name, out var port))
            return $"no verified port of '{request.Name}'";
        try
        {
            var arguments = new PortArguments(port, request);
            var unsupported = arguments.Unsupported().ToList();
            if (unsupported.Count > 0)
                return $"the port of {port.Name} does not take {string.Join(", ", unsupported.Select(u => $"'{u}'"))}";
            return port.Refuses?.Invoke(arguments);
        }
        catch (HubException)
        {
            return null; // the arguments are wrong whatever the route: Load reports it
        }
    }

    public object? Load(Hub hub, ModelRequest request, CancellationToken cancellationToken)
    {
        var port = TorchVisionPorts.All[request.Name];
        var arguments = new PortArguments(port, request);
        if (arguments.Unsupported().ToList() is { Count: > 0 } unsupported)
            throw new HubException(HubErrorIds.UnsupportedPortArgument, HubErrorCategory.InvalidArgument,
                $"The built-in port of {port.Name} does not take {string.Join(", ", unsupported.Select(u => $"'{u}'"))}; it takes weights, progress{string.Concat(port.Arguments.Select(a => ", " + a))}.",
                unsupported[0])
            {
                RecommendedAction = "Use -Route Python to run torchvision's own builder with these arguments (needs a local PyTorch).",
            };
        if (port.Refuses?.Invoke(arguments) is { } refusal)
            throw new HubException(HubErrorIds.UnsupportedPortArgument, HubErrorCategory.InvalidArgument,
                $"The built-in port of {port.Name} cannot load this: {refusal}.", port.Name);
        arguments.CheckWithWeights();

        string? checkpoint = null;
        if (arguments.Weights is { } weights)
            checkpoint = Download(hub, port, weights, arguments.Progress, request.CheckHash, cancellationToken);

        var activity = $"Loading {port.Name} (built-in port)";
        void Step(string status, int percent) => hub.Feedback.Progress(new Feedback.HubProgress(ProgressActivityId, activity, status, percent));
        try
        {
            Step("Starting TorchSharp", 0);
            TorchSharpRuntime.EnsureLoaded(hub.Feedback);
            cancellationToken.ThrowIfCancellationRequested();
            Step($"Building {port.Name}", 10);
            var model = port.Build(arguments);
            if (checkpoint is null) return model;
            try
            {
                cancellationToken.ThrowIfCancellationRequested();
                Step($"Reading {Path.GetFileName(checkpoint)}", 50);
                LoadWeights(hub, port, model, checkpoint);
                return model;
            }
            catch
            {
                model.Dispose();
                throw;
            }
        }
        finally
        {
            hub.Feedback.Progress(new Feedback.HubProgress(ProgressActivityId, activity, "Done", 100, Completed: true));
        }
    }

    private static string Download(Hub hub, TorchVisionPort port, string weights, bool progress, bool checkHash, CancellationToken cancellationToken)
    {
        var file = port.FileOf(weights)!;
        // torchvision's own URL: a mirror (TORCHHUB_MIRRORS, TORCHHUB_TORCHVISION_WEIGHTS_URL) moves only the request.
        var url = new Uri(TorchVisionPorts.PublishedWeights, file);
        // PyTorch's file name in checkpoints/ (so torch.hub finds it too), its hash prefix checked as torchvision does unless the caller opts out.
        var saved = hub.GetCheckpointAsync(url.AbsoluteUri, fileName: file, checkHash: checkHash, progress: progress, cancellationToken: cancellationToken)
            .GetAwaiter().GetResult();
        hub.Feedback.Verbose(saved.FromCache
            ? $"{port.WeightsEnum}.{weights}: taken from the cache, {saved.Path}."
            : $"{port.WeightsEnum}.{weights}: downloaded {saved.Length:N0} bytes from {url} to {saved.Path}.");
        return saved.Path;
    }

    private static void LoadWeights(Hub hub, TorchVisionPort port, nn.Module model, string checkpoint)
    {
        var state = hub.LoadStateDict(checkpoint);
        try
        {
            foreach (var key in state.Keys.Cast<string>().Where(k => port.DroppedKeys.Any(k.StartsWith)).ToList())
            {
                (state[key] as IDisposable)?.Dispose();
                state.Remove(key);
            }
            StateDictLoader.Load(model, state);
            hub.Feedback.Verbose($"Loaded {state.Count} tensors from {Path.GetFileName(checkpoint)} into {port.Name}.");
        }
        finally
        {
            foreach (DictionaryEntry entry in state) (entry.Value as IDisposable)?.Dispose();
        }
    }
}
