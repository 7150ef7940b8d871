using System;
using System.Collections;
using System.Collections.Specialized;
using System.IO;
using System.Threading;
using TorchHub.Downloads;
using TorchHub.Errors;
using TorchHub.Feedback;
using TorchHub.Repositories;
using TorchHub.Runtime;
using TorchHub.Tensors;
using static TorchSharp.torch;

namespace TorchHub.Hubconf.CSharp;

/// <summary>
/// What a hubconf.cs entrypoint gets from TorchHub while it runs (<see cref="Current"/>): the
/// repository folder and helpers to load weights shipped in the repository or
/// published at a URL (cached in the hub directory's <c>checkpoints/</c>, as torch.hub does).
/// </summary>
public sealed class HubContext
{
    private static readonly AsyncLocal<HubContext?> _current = new();

    private readonly Downloader _downloads;
    private readonly IHubFeedback _feedback;

    internal HubContext(HubRepository repository, string entrypoint, Downloader downloads, IHubFeedback feedback, CancellationToken cancellationToken)
    {
        _downloads = downloads;
        _feedback = feedback;
        Repository = repository;
        EntrypointName = entrypoint;
        CancellationToken = cancellationToken;
    }

    /// <summary>The context of the entrypoint running now; throws outside Import-HubModel / <c>Hub.Load</c>.</summary>
    public static HubContext Current => _current.Value ?? throw new HubException(HubErrorIds.HubContextNotAvailable, HubErrorCategory.InvalidOperation,
        "HubContext.Current is only available while Import-HubModel (Hub.Load) runs a hubconf.cs entrypoint. Capture what you need from it during the call.");

    public HubRepository Repository { get; }

    /// <summary>The repository folder (the local folder, or the GitHub cache folder of the ref).</summary>
    public string RepositoryPath => Repository.Directory;

    public string EntrypointName { get; }

    /// <summary>Cancelled when the user presses Ctrl+C.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>Writes a message to the caller's verbose stream.</summary>
    public void Verbose(string message) => _feedback.Verbose(message);

    /// <summary>A file of the repository by its path relative to the repository folder; paths leaving the folder are refused.</summary>
    public string GetPath(string relativePath)
    {
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(RepositoryPath));
        var full = Path.GetFullPath(Path.Combine(root, relativePath));
        if (!full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new HubException(HubErrorIds.InvalidEntrypointArgument, HubErrorCategory.InvalidArgument,
                $"'{relativePath}' is outside the repository folder '{root}'.", relativePath);
        return full;
    }

    /// <summary>Loads a TorchScript file (torch.jit.save) shipped in the repository.</summary>
    public jit.ScriptModule LoadTorchScript(string relativePath)
    {
        var path = GetPath(relativePath);
        TorchSharpRuntime.EnsureLoaded(_feedback);
        return jit.load(path);
    }

    /// <summary>
    /// Reads a PyTorch state dict (.pth/.pt/.safetensors) shipped in the repository (safely: no pickle
    /// code runs): name → tensor in file order, as <c>Hub.LoadStateDict</c> reads it.
    /// </summary>
    public OrderedDictionary LoadStateDict(string relativePath) =>
        CheckpointReader.ReadStateDict(GetPath(relativePath), feedback: _feedback, source: relativePath);

    /// <summary>
    /// torch.hub.load_state_dict_from_url: downloads the file into the hub directory's
    /// <c>checkpoints/</c> (or <paramref name="modelDir"/>) unless it is there, then reads it as
    /// <see cref="LoadStateDict"/> does. <paramref name="checkHash"/> takes the expected SHA-256
    /// prefix from the file name (name-&lt;hex&gt;.ext).
    /// </summary>
    public OrderedDictionary LoadStateDictFromUrl(string url, string? modelDir = null, string? fileName = null, bool checkHash = false, bool progress = true)
    {
        var file = _downloads.GetCheckpointAsync(url, modelDir, fileName, checkHash, progress, CancellationToken).GetAwaiter().GetResult();
        return CheckpointReader.ReadStateDict(file.Path, feedback: _feedback, source: url);
    }

    /// <summary>
    /// Copies a state dict into a module and returns the module: strict (every key must match)
    /// unless <paramref name="strict"/> is false; a shape mismatch is always an error, and nothing is
    /// copied unless the load can succeed (<c>Hub.LoadIntoModule</c>'s rules).
    /// </summary>
    public static T LoadWeights<T>(T module, IDictionary stateDict, bool strict = true) where T : nn.Module
    {
        StateDictLoader.Load(module, stateDict, strict);
        return module;
    }

    /// <summary>Runs <paramref name="call"/> with this context as <see cref="Current"/>.</summary>
    internal T Run<T>(Func<T> call)
    {
        var previous = _current.Value;
        _current.Value = this;
        try { return call(); }
        finally { _current.Value = previous; }
    }
}
