using System;
using System.Collections;
using System.Collections.Generic;
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

    /// <summary>Reads a PyTorch state dict (.pth/.pt/.safetensors) shipped in the repository (safely: no pickle code runs).</summary>
    public Dictionary<string, Tensor> LoadStateDict(string relativePath) =>
        ToStateDict(CheckpointReader.Read(GetPath(relativePath), feedback: _feedback), relativePath);

    /// <summary>
    /// torch.hub.load_state_dict_from_url: downloads the file into the hub directory's
    /// <c>checkpoints/</c> (or reuses it there), then reads it as <see cref="LoadStateDict"/> does.
    /// <paramref name="checkHash"/> takes the expected SHA-256 prefix from the file name (name-&lt;hex&gt;.ext).
    /// </summary>
    public Dictionary<string, Tensor> LoadStateDictFromUrl(string url, string? fileName = null, bool checkHash = false)
    {
        var path = _downloads.GetCheckpointAsync(url, modelDir: null, fileName, checkHash, progress: true, CancellationToken).GetAwaiter().GetResult().Path;
        return ToStateDict(CheckpointReader.Read(path, feedback: _feedback), url);
    }

    /// <summary>Copies a state dict into a module (strict: every key must match) and returns the module.</summary>
    public static T LoadWeights<T>(T module, Dictionary<string, Tensor> stateDict, bool strict = true) where T : nn.Module
    {
        try
        {
            module.load_state_dict(stateDict, strict);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or KeyNotFoundException)
        {
            throw new HubException(HubErrorIds.StateDictMismatch, HubErrorCategory.InvalidData,
                $"The weights do not fit {module.GetType().Name}: {ex.Message}", module.GetType().Name, ex);
        }
        return module;
    }

    /// <summary>A checkpoint's top level as a state dict: every value a tensor (a "state_dict" entry holding one is accepted too, as many training checkpoints do).</summary>
    private static Dictionary<string, Tensor> ToStateDict(object? checkpoint, string source)
    {
        if (checkpoint is IDictionary dictionary)
        {
            if (dictionary["state_dict"] is IDictionary nested) dictionary = nested;
            var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
            foreach (DictionaryEntry entry in dictionary)
            {
                if (entry.Key is string key && entry.Value is Tensor tensor) result[key] = tensor;
                else
                    throw new HubException(HubErrorIds.UnsupportedCheckpoint, HubErrorCategory.InvalidData,
                        $"'{source}' is not a state dict: its entry '{entry.Key}' holds {entry.Value?.GetType().Name ?? "null"}, not a tensor.", source);
            }
            return result;
        }
        throw new HubException(HubErrorIds.UnsupportedCheckpoint, HubErrorCategory.InvalidData,
            $"'{source}' is not a state dict: it holds {checkpoint?.GetType().Name ?? "null"}.", source);
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
