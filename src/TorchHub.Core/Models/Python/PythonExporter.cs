using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using TorchHub.Downloads;
using TorchHub.Errors;
using TorchHub.Feedback;

namespace TorchHub.Models.Python;

/// <summary>What the runner reported when it finished.</summary>
internal sealed record RunnerResult(string Method, bool DictOutput, string TorchVersion, string? Confinement);

/// <summary>
/// Runs the export runner (<c>torchhub_export.py</c>, embedded) in its sandbox and talks to it over
/// its stdin/stdout, one JSON object per line: sends the request, answers its download requests
/// with the project's downloader (into the checkpoints folder the sandbox shows read-only), and
/// turns its end into a result or a <see cref="HubException"/> naming the step that failed. A
/// timeout or cancellation kills the child and everything it started.
/// </summary>
internal sealed class PythonExporter
{
    private const string RunnerResource = "TorchHub.Models.Python.torchhub_export.py";
    private const int StderrKept = 16 * 1024;
    private static readonly Lazy<byte[]> RunnerBytes = new(() =>
    {
        using var stream = typeof(PythonExporter).Assembly.GetManifestResourceStream(RunnerResource)
            ?? throw new InvalidOperationException($"The resource {RunnerResource} is missing from TorchHub.Core.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    });

    private readonly Hub _hub;
    private readonly PythonRouteOptions _options;

    public PythonExporter(Hub hub, PythonRouteOptions options)
    {
        _hub = hub;
        _options = options;
    }

    /// <summary>A hash of the runner script: a new runner makes new exports.</summary>
    public static string RunnerHash => ExportCache.Hash(RunnerBytes.Value)[..16];

    /// <summary>Runs one export; <c>request</c> holds repo, name, args, kwargs and example, and the output, hub and limits are added here.</summary>
    public RunnerResult Run(PythonInstallation python, PythonSandboxLevel level, SandboxFolders folders, JsonObject request,
        string outputFile, string what, CancellationToken cancellationToken)
    {
        var runner = Path.Combine(folders.Work, "torchhub_export.py");
        File.WriteAllBytes(runner, RunnerBytes.Value);
        request["output"] = outputFile;
        request["hub_dir"] = Path.GetDirectoryName(folders.Checkpoints);
        request["limits"] = new JsonObject
        {
            ["address_space"] = _options.MemoryLimit,
            ["file_size"] = _options.FileSizeLimit,
            ["cpu_seconds"] = (long)Math.Ceiling(_options.Timeout.TotalSeconds),
        };
        var start = PythonSandbox.StartInfo(level, python, runner, folders);
        return RunAsync(start, request, folders.Checkpoints, what, cancellationToken).GetAwaiter().GetResult();
    }

    private async Task<RunnerResult> RunAsync(ProcessStartInfo start, JsonObject request, string checkpoints, string what, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_options.Timeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start.");
        var stderr = new StringBuilder();
        var stderrDone = Task.Run(async () =>
        {
            while (await process.StandardError.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                lock (stderr)
                {
                    stderr.AppendLine(line);
                    if (stderr.Length > 2 * StderrKept) stderr.Remove(0, stderr.Length - StderrKept);
                }
            }
        }, CancellationToken.None);
        using var kill = linked.Token.Register(() => Kill(process));
        RunnerResult? result = null;
        JsonObject? failure = null;
        HubException? downloadError = null;
        try
        {
            await Send(process, request).ConfigureAwait(false);
            while (await process.StandardOutput.ReadLineAsync(linked.Token).ConfigureAwait(false) is { } line)
            {
                var message = Parse(line);
                switch (message?["op"]?.GetValue<string>())
                {
                    case "step":
                        var step = message["step"]!.GetValue<string>();
                        _hub.Feedback.Verbose(step == "import" && message["torch"] is { } torch
                            ? $"Python route: importing the hubconf.py of {what} (torch {torch}, confinement: {message["confinement"]})."
                            : $"Python route: {StepDescription(step)}.");
                        _hub.Feedback.Progress(new HubProgress(ProgressId, $"Exporting {what} to TorchScript", StepDescription(step)));
                        break;
                    case "download":
                        var (reply, error) = await Download(message, checkpoints, linked.Token).ConfigureAwait(false);
                        downloadError ??= error;
                        await Send(process, reply).ConfigureAwait(false);
                        break;
                    case "done":
                        result = new RunnerResult(message["method"]!.GetValue<string>(), message["dict_output"]!.GetValue<bool>(),
                            message["torch"]!.GetValue<string>(), message["confinement"]?.GetValue<string>());
                        break;
                    case "failed":
                        failure = message;
                        break;
                }
            }
            await process.WaitForExitAsync(linked.Token).ConfigureAwait(false);
            await stderrDone.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            Kill(process);
            throw new HubException(HubErrorIds.PythonTimeout, HubErrorCategory.OperationTimeout,
                $"Exporting {what} took longer than {_options.Timeout.TotalSeconds:0} seconds; the Python process was stopped.{Detail(Tail(stderr))}", what)
            {
                RecommendedAction = "Raise the limit with TORCHHUB_PYTHON_TIMEOUT (seconds).",
            };
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            throw;
        }
        finally
        {
            _hub.Feedback.Progress(new HubProgress(ProgressId, $"Exporting {what} to TorchScript", "Done", Completed: true));
        }

        if (result is not null && process.ExitCode == 0) return result;
        if (downloadError is not null) throw downloadError;
        throw Failure(failure, process.ExitCode, Tail(stderr), what);
    }

    private const int ProgressId = 0x5059; // "PY"

    private static string StepDescription(string step) => step switch
    {
        "import" => "importing hubconf.py",
        "call" => "calling the entrypoint",
        "script" => "torch.jit.script",
        "trace" => "torch.jit.trace on the example inputs",
        "save" => "torch.jit.save",
        _ => step,
    };

    private async Task<(JsonObject Reply, HubException? Error)> Download(JsonObject message, string checkpoints, CancellationToken cancellationToken)
    {
        var url = message["url"]?.GetValue<string>() ?? "";
        var fileName = message["file_name"]?.GetValue<string>();
        _hub.Feedback.Verbose($"Python route: the entrypoint asks for {url}; downloading it into {checkpoints}.");
        try
        {
            var file = await _hub.SaveFileAsync(new SaveFileRequest(url)
            {
                Destination = Path.TrimEndingDirectorySeparator(checkpoints) + Path.DirectorySeparatorChar,
                FileName = string.IsNullOrEmpty(fileName) ? null : fileName,
                HashPrefix = message["hash_prefix"]?.GetValue<string>(),
            }, cancellationToken).ConfigureAwait(false);
            return (new JsonObject { ["path"] = file.Path }, null);
        }
        catch (HubException ex)
        {
            return (new JsonObject { ["error"] = $"TorchHub could not download {url}: {ex.Message}" }, ex);
        }
    }

    private static async Task Send(Process process, JsonObject message)
    {
        try
        {
            await process.StandardInput.WriteLineAsync(message.ToJsonString()).ConfigureAwait(false);
            await process.StandardInput.FlushAsync().ConfigureAwait(false);
        }
        catch (IOException)
        {
            // The child is gone; its exit code and stderr tell why.
        }
    }

    private static JsonObject? Parse(string line)
    {
        try
        {
            return JsonNode.Parse(line) as JsonObject;
        }
        catch (JsonException)
        {
            return null; // not the runner's: its protocol lines are always JSON objects
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Already gone.
        }
    }

    private static string Tail(StringBuilder stderr)
    {
        lock (stderr)
        {
            var lines = stderr.ToString().TrimEnd().Split('\n');
            return string.Join('\n', lines.TakeLast(20)).Trim();
        }
    }

    private static string Detail(string text) => text.Length == 0 ? "" : "\nPython's error output (last lines):\n" + text;

    private static HubException Failure(JsonObject? failure, int exitCode, string stderr, string what)
    {
        if (failure is null)
        {
            var how = exitCode > 128 || exitCode < 0 ? $"was killed (exit code {exitCode}; a memory, CPU-time or file-size limit, or a crash)" : $"exited with code {exitCode}";
            return new HubException(HubErrorIds.PythonProcessFailed, HubErrorCategory.InvalidResult,
                $"The Python process exporting {what} {how} before it finished.{Detail(stderr)}", what)
            {
                RecommendedAction = "Raise the limits with TORCHHUB_PYTHON_MEMORY_MB or TORCHHUB_PYTHON_TIMEOUT if the model is large; otherwise run the entrypoint with torch.hub.load in Python to see the error.",
            };
        }
        var step = failure["step"]?.GetValue<string>() ?? "import";
        var error = failure["error"]?.GetValue<string>() ?? "unknown error";
        var trace = failure["traceback"]?.GetValue<string>()?.TrimEnd() ?? "";
        var detail = trace.Length > 0 ? "\n" + string.Join('\n', trace.Split('\n').TakeLast(12)) : "";
        var (id, category, action) = step switch
        {
            "call" => (HubErrorIds.PythonCallFailed, HubErrorCategory.InvalidOperation,
                "Check the entrypoint's arguments (Get-HubHelp); the error above is the entrypoint's own."),
            "result" => (HubErrorIds.PythonResultNotAModule, HubErrorCategory.InvalidResult,
                "Import-HubModel loads entrypoints that build a model (a torch.nn.Module); this one returns something else " +
                "(Get-HubHelp shows what it is for). Call it with torch.hub.load in Python instead."),
            "script" => (HubErrorIds.PythonScriptFailed, HubErrorCategory.InvalidResult,
                "torch.jit.script cannot compile this model: give an example input and TorchHub traces it with torch.jit.trace instead " +
                "(Import-HubModel -ExampleInput 1,3,224,224 makes a random float32 input of that shape, or pass a tensor; in C#, Hub.Load's exampleInputs)."),
            "trace" => (HubErrorIds.PythonTraceFailed, HubErrorCategory.InvalidResult,
                "Neither torch.jit.script nor torch.jit.trace could export this model; check the example inputs' shapes and types."),
            "save" => (HubErrorIds.PythonSaveFailed, HubErrorCategory.WriteError,
                "Check the free space in the hub directory and TORCHHUB_PYTHON_MEMORY_MB."),
            _ => (HubErrorIds.PythonImportFailed, HubErrorCategory.InvalidOperation,
                "Install what the repository's hubconf.py imports for the Python TorchHub runs, or fix the repository."),
        };
        return new HubException(id, category, $"Exporting {what} failed at step '{step}': {error}{detail}{Detail(stderr)}", what)
        {
            RecommendedAction = action,
        };
    }
}
