using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Threading;
using TorchHub.Errors;
using TorchHub.Hubconf.CSharp;
using TorchHub.Repositories;

namespace TorchHub;

public sealed partial class Hub
{
    private static readonly IReadOnlyDictionary<string, object?> NoNamedArguments = new Dictionary<string, object?>();

    /// <summary>
    /// torch.hub.load for .NET: compiles (or takes from the compile cache) the repository's
    /// hubconf.cs, binds the arguments to the entrypoint's parameters and calls it. The caller
    /// has already passed the trust rules (<see cref="GetRepository"/> does for GitHub; local
    /// folders are the user's own, as in torch). Returns whatever the entrypoint returns.
    /// </summary>
    /// <param name="repository">The repository folder.</param>
    /// <param name="name">The entrypoint (a public static method of a public static class in hubconf.cs).</param>
    /// <param name="args">Positional arguments.</param>
    /// <param name="namedArgs">Arguments by parameter name (case-insensitive).</param>
    /// <param name="convert">How values convert to parameter types; default <see cref="HubArgumentConverters.Default"/>.</param>
    /// <param name="cancellationToken">Cancels compiling; the entrypoint sees it as HubContext.CancellationToken.</param>
    public object? Load(HubRepository repository, string name, IReadOnlyList<object?>? args = null,
        IReadOnlyDictionary<string, object?>? namedArgs = null, HubArgumentConverter? convert = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        if (string.IsNullOrEmpty(name))
            throw new HubException(HubErrorIds.EntrypointNotFound, HubErrorCategory.InvalidArgument, "The entrypoint name is empty.", name);

        if (!File.Exists(Path.Combine(repository.Directory, HubconfSources.FileName)))
        {
            if (File.Exists(Path.Combine(repository.Directory, "hubconf.py")))
                throw new HubException(HubErrorIds.PythonEntrypointNotRunnable, HubErrorCategory.NotImplemented,
                    $"'{repository.DisplayName}' publishes its entrypoints in hubconf.py, which .NET cannot run.", repository.DisplayName)
                {
                    RecommendedAction =
                        "What works instead: Get-HubEntrypoint and Get-HubHelp list and document its entrypoints; " +
                        "Save-HubFile downloads the weights they use, which load into a TorchSharp module of the same shape; " +
                        "TorchScript files (torch.jit.save) load in TorchSharp without Python; " +
                        "or the repository can publish its models for .NET with a hubconf.cs next to hubconf.py.",
                };
            throw new HubException(HubErrorIds.HubconfNotFound, HubErrorCategory.ObjectNotFound,
                $"'{repository.DisplayName}' has no hubconf.cs (nor hubconf.py).", repository.DisplayName);
        }

        var loaded = HubconfRuntime.Load(repository, Cache.CompiledAssembliesFolder, Feedback, cancellationToken);
        var overloads = loaded.FindEntrypoint(name);
        if (overloads.Count == 0)
            throw new HubException(HubErrorIds.EntrypointNotFound, HubErrorCategory.ObjectNotFound,
                $"Cannot find callable {name} in hubconf.cs of '{repository.DisplayName}'. Entrypoints: {string.Join(", ", loaded.EntrypointNames().OrderBy(n => n, StringComparer.Ordinal))}.",
                name);

        var (method, values) = EntrypointBinder.Bind(repository.DisplayName, overloads, args ?? [], namedArgs ?? NoNamedArguments, convert ?? HubArgumentConverters.Default);
        cancellationToken.ThrowIfCancellationRequested();
        Feedback.Verbose($"Calling {EntrypointBinder.Signature(method)} of '{repository.DisplayName}'.");
        // TorchSharp's natives start only for code that uses TorchSharp (its static constructor
        // would otherwise fail to find them on systems that need the libstdc++ fix).
        if (loaded.UsesTorchSharp) Runtime.TorchSharpRuntime.EnsureLoaded(Feedback);
        var context = new HubContext(this, repository, name, cancellationToken);
        try
        {
            return context.Run(() => method.Invoke(null, values));
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
