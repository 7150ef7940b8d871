using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Threading;
using TorchHub.Downloads;
using TorchHub.Errors;
using TorchHub.Hubconf.CSharp;

namespace TorchHub.Models;

/// <summary>
/// Route "CSharp": compiles (or takes from the compile cache) the repository's hubconf.cs, binds the
/// arguments to the entrypoint's parameters and calls it in the folder's load context.
/// </summary>
internal sealed class CSharpModelRoute : IModelRoute
{
    private static readonly CSharpHubconfReader Reader = new();

    public ModelRouteKind Kind => ModelRouteKind.CSharp;

    public string? CannotLoadReason(ModelRequest request)
    {
        var directory = request.Repository.Directory;
        if (!File.Exists(Path.Combine(directory, HubconfSources.FileName))) return $"the repository has no {HubconfSources.FileName}";
        // With hubconf.cs alone, this route answers for every name (an unknown one fails with the
        // compiled entrypoints listed). Beside a hubconf.py, it takes only the names hubconf.cs declares.
        if (!File.Exists(Path.Combine(directory, "hubconf.py"))) return null;
        try
        {
            return Reader.Read(request.Repository).Entrypoints.Any(e => e.Name == request.Name)
                ? null
                : $"{HubconfSources.FileName} has no entrypoint '{request.Name}'";
        }
        catch (HubException ex)
        {
            return ex.Message;
        }
    }

    public object? Load(Hub hub, ModelRequest request, CancellationToken cancellationToken)
    {
        var (repository, name) = (request.Repository, request.Name);
        var loaded = HubconfRuntime.Load(repository, hub.Cache.CompiledAssembliesFolder, hub.Feedback, cancellationToken);
        var overloads = loaded.FindEntrypoint(name);
        if (overloads.Count == 0)
            throw new HubException(HubErrorIds.EntrypointNotFound, HubErrorCategory.ObjectNotFound,
                $"Cannot find callable {name} in hubconf.cs of '{repository.DisplayName}'. Entrypoints: {string.Join(", ", loaded.EntrypointNames().OrderBy(n => n, StringComparer.Ordinal))}.",
                name);

        var (method, values) = EntrypointBinder.Bind(repository.DisplayName, overloads, request.Args, request.NamedArgs, request.Convert);
        cancellationToken.ThrowIfCancellationRequested();
        hub.Feedback.Verbose($"Calling {EntrypointBinder.Signature(method)} of '{repository.DisplayName}'.");
        // TorchSharp's natives start only for code that uses TorchSharp (its static constructor
        // would otherwise fail to find them on systems that need the libstdc++ fix).
        if (loaded.UsesTorchSharp) Runtime.TorchSharpRuntime.EnsureLoaded(hub.Feedback);
        try
        {
            // On a thread of its own, so Ctrl+C returns control even from an entrypoint that
            // never looks at the token (it keeps running in the background; the user is told).
            return DedicatedThread.Run($"TorchHub entrypoint {name}", hub.Feedback,
                feedback => new HubContext(repository, name, new Downloader(hub.Options, hub.Cache, feedback), feedback, cancellationToken).Run(() => method.Invoke(null, values)),
                cancellationToken,
                stillRunning: $"Stopped waiting for the entrypoint '{name}' of '{repository.DisplayName}': it does not respond to cancellation and keeps running in the background until it returns or this process ends.");
        }
        catch (TargetInvocationException ex) when (ex.InnerException is HubException or OperationCanceledException)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex.InnerException!).Throw();
            throw;
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            throw new HubException(HubErrorIds.EntrypointFailed, HubErrorCategory.InvalidOperation,
                $"The entrypoint '{name}' of '{repository.DisplayName}' failed: {ex.InnerException.GetType().Name}: {ex.InnerException.Message}",
                name, ex.InnerException);
        }
    }
}
