using System;
using System.IO;
using System.Text.Json.Nodes;
using System.Threading;
using TorchHub.Errors;
using TorchHub.Runtime;
using TorchHub.Tensors;

namespace TorchHub.Models.Python;

/// <summary>
/// Route 2: a hubconf.py entrypoint run by a local PyTorch in a sandboxed child process, exported
/// to TorchScript and loaded with TorchSharp. The caller has applied the trust rules already (the
/// child runs the repository's code). The export is cached in the hub directory, so the next load
/// of the same entrypoint and arguments reads the file and starts no Python.
/// </summary>
internal sealed class PythonModelRoute : IModelRoute
{
    private readonly Lazy<PythonRouteOptions> _options;

    /// <param name="options">Null: <see cref="PythonRouteOptions.FromEnvironment"/>, read on first use.</param>
    public PythonModelRoute(PythonRouteOptions? options = null) =>
        _options = options is null ? new(PythonRouteOptions.FromEnvironment) : new(options);

    public ModelRouteKind Kind => ModelRouteKind.Python;

    /// <summary>How the sandbox level is chosen; tests replace it to play a machine without bwrap or unshare.</summary>
    internal Func<PythonSandboxPolicy, PythonSandboxLevel> ChooseSandbox { get; init; } = PythonSandbox.Choose;

    /// <summary>Looks only at files: hubconf.py and the interpreter (whether it has torch is probed on load).</summary>
    public string? CannotLoadReason(ModelRequest request)
    {
        if (!File.Exists(Path.Combine(request.Repository.Directory, "hubconf.py")))
            return $"'{request.Repository.DisplayName}' has no hubconf.py.";
        try
        {
            return PythonLocator.CannotUseReason(_options.Value);
        }
        catch (HubException ex)
        {
            return ex.Message; // an invalid TORCHHUB_PYTHON_* setting
        }
    }

    public object? Load(Hub hub, ModelRequest request, CancellationToken cancellationToken)
    {
        var export = Export(hub, request, cancellationToken);
        return LoadExport(hub, export);
    }

    /// <summary>The entrypoint's TorchScript file: from the export cache, or exported now.</summary>
    public PythonExport Export(Hub hub, ModelRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hub);
        ArgumentNullException.ThrowIfNull(request);
        var options = _options.Value;
        var what = $"'{request.Name}' of '{request.Repository.DisplayName}'";
        var runnerRequest = new JsonObject
        {
            ["repo"] = request.Repository.Directory,
            ["name"] = request.Name,
            ["args"] = PythonArguments.Positional(request.Args, request.Name),
            ["kwargs"] = PythonArguments.Named(request.NamedArgs, request.Name),
            ["example"] = PythonArguments.Examples(request.ExampleInputs),
        };
        var layout = hub.Cache;
        var cache = new ExportCache(layout);
        var python = PythonLocator.Find(options, cache.PythonProbes);
        var key = ExportCache.Key(request.Repository, request.Name, runnerRequest, python.TorchVersion, PythonExporter.RunnerHash);
        if (cache.TryGet(key) is { } cached)
        {
            hub.Feedback.Verbose($"Python route: {what} taken from the export cache ({cached.ModelPath}, exported by torch {cached.TorchVersion} with {cached.Method}).");
            return cached;
        }

        var level = ChooseSandbox(options.Sandbox);
        if (level == PythonSandboxLevel.Process && options.Sandbox != PythonSandboxPolicy.Process)
            hub.Feedback.Warning($"Neither bubblewrap nor unshare works here: the hubconf.py of '{request.Repository.DisplayName}' runs in a plain process that can read your files. Install bubblewrap, or set TORCHHUB_PYTHON_SANDBOX=isolated to refuse this.");
        hub.Feedback.Verbose($"Python route: exporting {what} with {python.Executable} (torch {python.TorchVersion}) in the {level} sandbox.");

        var checkpoints = layout.CheckpointsFolder;
        Directory.CreateDirectory(checkpoints);
        var work = cache.NewWorkFolder();
        try
        {
            var output = Path.Combine(work, "model.pt");
            var folders = new SandboxFolders(request.Repository.Directory, checkpoints, work);
            var started = DateTimeOffset.UtcNow;
            var result = new PythonExporter(hub, options).Run(python, level, folders, runnerRequest, output, what, cancellationToken);
            var export = cache.Commit(output, new PythonExport
            {
                ModelPath = output,
                Key = key,
                Repository = request.Repository.DisplayName,
                Entrypoint = request.Name,
                Method = result.Method,
                DictOutput = result.DictOutput,
                TorchVersion = result.TorchVersion,
                Sandbox = level,
                Confinement = result.Confinement,
                Created = started,
            });
            hub.Feedback.Verbose($"Python route: exported {what} with torch.jit.{result.Method} in {(DateTimeOffset.UtcNow - started).TotalSeconds:0.0} s (sandbox {level}, {result.Confinement}); cached as {export.ModelPath}.");
            return export;
        }
        finally
        {
            TryDelete(work);
        }
    }

    /// <summary>Reads an export with TorchSharp: the ScriptModule, or a <see cref="DictOutputModule"/> for Dict-returning models.</summary>
    public static object LoadExport(Hub hub, PythonExport export)
    {
        try
        {
            var module = TorchScriptLoader.Load(export.ModelPath, feedback: hub.Feedback);
            return export.DictOutput ? new DictOutputModule(module) : module;
        }
        catch (HubException ex) when (ex.ErrorId == HubErrorIds.TorchScriptLoadFailed)
        {
            throw new HubException(HubErrorIds.PythonExportLoadFailed, HubErrorCategory.InvalidData,
                $"The export of '{export.Entrypoint}' of '{export.Repository}' (torch {export.TorchVersion}) failed at step 'load': {ex.Message}", export.ModelPath, ex)
            {
                RecommendedAction = $"TorchSharp's libtorch {TorchSharpRuntime.LibTorchVersion} cannot read this file; delete {export.ModelPath} to export again, or use another torch version.",
            };
        }
    }

    private static void TryDelete(string folder)
    {
        try
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A leftover .work-* folder is harmless; the next export uses a new one.
        }
    }
}
