using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using TorchHub.Errors;
using TorchHub.Feedback;
using TorchHub.Repositories;
using static TorchSharp.torch;

namespace TorchHub.Hubconf.CSharp;

/// <summary>
/// What a hubconf.cs entrypoint gets from TorchHub while it runs (<see cref="Current"/>): the
/// repository folder, the engine, and helpers to load weights shipped in the repository or
/// published at a URL (cached in the hub directory's <c>checkpoints/</c>, as torch.hub does).
/// </summary>
public sealed class HubContext
{
    private static readonly AsyncLocal<HubContext?> _current = new();

    internal HubContext(Hub hub, HubRepository repository, string entrypoint, CancellationToken cancellationToken)
    {
        Hub = hub;
        Repository = repository;
        EntrypointName = entrypoint;
        CancellationToken = cancellationToken;
    }

    /// <summary>The context of the entrypoint running now; throws outside Import-HubModel / <see cref="Hub.Load"/>.</summary>
    public static HubContext Current => _current.Value ?? throw new HubException(HubErrorIds.HubContextNotAvailable, HubErrorCategory.InvalidOperation,
        "HubContext.Current is only available while Import-HubModel (Hub.Load) runs a hubconf.cs entrypoint. Capture what you need from it during the call.");

    /// <summary>The engine that runs the entrypoint (downloads, state dicts, TorchScript).</summary>
    public Hub Hub { get; }

    public HubRepository Repository { get; }

    /// <summary>The repository folder (the local folder, or the GitHub cache folder of the ref).</summary>
    public string RepositoryPath => Repository.Directory;

    public string EntrypointName { get; }

    /// <summary>Cancelled when the user presses Ctrl+C.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>Writes a message to the caller's verbose stream.</summary>
    public void Verbose(string message) => Hub.Options.Feedback.Verbose(message);

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
    public jit.ScriptModule LoadTorchScript(string relativePath) => jit.load(GetPath(relativePath));

    /// <summary>Reads a PyTorch state dict (.pth/.pt/.safetensors) shipped in the repository.</summary>
    public Dictionary<string, Tensor> LoadStateDict(string relativePath) =>
        (StateDictReader ?? throw NotWired("reading PyTorch state dicts"))(GetPath(relativePath), CancellationToken);

    /// <summary>Downloads (or takes from <c>checkpoints/</c>) and reads a state dict, as torch.hub.load_state_dict_from_url.</summary>
    public Dictionary<string, Tensor> LoadStateDictFromUrl(string url, string? fileName = null, bool checkHash = false) =>
        (StateDictFromUrlReader ?? throw NotWired("downloading state dicts"))(Hub, url, fileName, checkHash, CancellationToken);

    /// <summary>Copies a state dict into a module (strict: every key must match) and returns the module.</summary>
    public static T LoadWeights<T>(T module, Dictionary<string, Tensor> stateDict, bool strict = true) where T : nn.Module
    {
        module.load_state_dict(stateDict, strict);
        return module;
    }

    // Filled in by the tensors and downloads rooms when they are wired to this one (see
    // docs/ARCHITECTURE.md, "hubconf.cs"); until then the helpers say what is missing.
    internal static Func<string, CancellationToken, Dictionary<string, Tensor>>? StateDictReader { get; set; }

    internal static Func<Hub, string, string?, bool, CancellationToken, Dictionary<string, Tensor>>? StateDictFromUrlReader { get; set; }

    private static HubException NotWired(string what) =>
        new(HubErrorIds.HubContextNotAvailable, HubErrorCategory.NotImplemented, $"This TorchHub build cannot do {what} from hubconf.cs yet.");

    /// <summary>Runs <paramref name="call"/> with this context as <see cref="Current"/>.</summary>
    internal T Run<T>(Func<T> call)
    {
        var previous = _current.Value;
        _current.Value = this;
        try { return call(); }
        finally { _current.Value = previous; }
    }
}
