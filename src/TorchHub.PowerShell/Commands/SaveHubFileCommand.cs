using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading.Tasks;
using TorchHub.Downloads;
using TorchHub.Errors;
using TorchHub.PowerShell.Infrastructure;

namespace TorchHub.PowerShell.Commands;

/// <summary>
/// Downloads weight files into the cache (torch.hub's download_url_to_file and the download
/// half of load_state_dict_from_url): hashed while streaming, resumable, retried, locked
/// across processes, several at once with -ThrottleLimit. One error per failing URI; the
/// others go on.
/// </summary>
[Cmdlet(VerbsData.Save, "HubFile", SupportsShouldProcess = true)]
[OutputType(typeof(HubFile))]
public sealed class SaveHubFileCommand : HubCmdlet
{
    /// <summary>The URLs to download (http or https).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Url")]
    [ValidateNotNullOrEmpty]
    public string[] Uri { get; set; } = Array.Empty<string>();

    /// <summary>A file path, or a folder (existing, or ending in a separator). Default: &lt;hub dir&gt;/checkpoints.</summary>
    [Parameter(Position = 1)]
    [ValidateNotNullOrEmpty]
    public string? Destination { get; set; }

    /// <summary>The file name in the destination folder (torch's file_name).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? FileName { get; set; }

    /// <summary>SHA-256 prefix (or full hash) the file must have (torch's hash_prefix).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? HashPrefix { get; set; }

    /// <summary>Check the SHA-256 against the prefix in the file name, name-&lt;hex&gt;.ext (torch's check_hash).</summary>
    [Parameter]
    public SwitchParameter CheckHash { get; set; }

    /// <summary>Download even if the file is already there; replaces a file saved from another URL.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Expand a legacy zip checkpoint (a zip holding one file) and output the expanded file.</summary>
    [Parameter]
    public SwitchParameter Expand { get; set; }

    /// <summary>Record each downloaded file's URL, name and SHA-256 in this lock file (created or merged; see Restore-HubCache).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? LockFile { get; set; }

    /// <summary>How many files download at once.</summary>
    [Parameter]
    [ValidateRange(1, 64)]
    public int ThrottleLimit { get; set; } = 4;

    /// <summary>
    /// Mirror rules for this command: each key is the start of an original URL, its value where such URLs are
    /// requested from instead (TORCHHUB_MIRRORS' rules still apply to other prefixes).
    /// </summary>
    [Parameter]
    public System.Collections.IDictionary? Mirror { get; set; }

    protected override System.Collections.IDictionary? SuppliedMirrors => Mirror;

    private readonly List<(string Uri, Task<HubFile> Task)> _running = new();
    private DownloadBatch? _batch;
    private Hub? _hub;

    protected override void BeginProcessing()
    {
        _hub = CreateHub();
        _batch = _hub.CreateDownloadBatch(ThrottleLimit);
    }

    protected override void ProcessRecord()
    {
        string? destination = null;
        if (Destination is not null)
        {
            // Resolve against the PowerShell location; keep a trailing separator (it means "a folder").
            var resolved = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Destination);
            destination = Destination.EndsWith('/') || Destination.EndsWith('\\') ? resolved.TrimEnd('/', '\\') + System.IO.Path.DirectorySeparatorChar : resolved;
        }

        foreach (var uri in Uri)
        {
            var request = new SaveFileRequest(uri)
            {
                Destination = destination,
                FileName = FileName,
                HashPrefix = HashPrefix,
                CheckHash = CheckHash,
                Force = Force,
                Expand = Expand,
            };

            SavePlan plan;
            try
            {
                plan = _hub!.PlanSave(request);
            }
            catch (HubException ex)
            {
                WriteError(ToErrorRecord(ex)!);
                continue;
            }
            if (!ShouldProcess($"{plan.DisplayUri} -> {plan.Path}", "Save hub file"))
                continue;
            _running.Add((uri, _batch!.StartAsync(request, CancellationToken)));
            WriteFinished(waitForAll: false);
        }
    }

    protected override void EndProcessing()
    {
        try
        {
            WriteFinished(waitForAll: true);
        }
        finally
        {
            _batch?.Complete();
            Feedback.Drain();
        }
    }

    /// <summary>Writes results (in input order) and errors of finished downloads; while
    /// ThrottleLimit downloads are running, waits for the oldest one so input does not pile up.</summary>
    private void WriteFinished(bool waitForAll)
    {
        while (_running.Count > 0)
        {
            var (uri, task) = _running[0];
            var mustWait = waitForAll || _running.Count > ThrottleLimit;
            if (!task.IsCompleted && !mustWait)
            {
                Feedback.Drain();
                return;
            }
            _running.RemoveAt(0);
            try
            {
                var file = Feedback.Wait(task);
                WriteObject(file);
                if (LockFile is not null)
                    _hub!.RecordInLockFile(SessionState.Path.GetUnresolvedProviderPathFromPSPath(LockFile), uri, file, CancellationToken);
            }
            catch (Exception ex) when (Unwrap(ex) is HubException hub)
            {
                WriteError(ToErrorRecord(hub)!);
            }
            catch (Exception ex) when (Unwrap(ex) is OperationCanceledException && CancellationToken.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
            catch (Exception ex) when (Unwrap(ex) is not OperationCanceledException)
            {
                // Anything unexpected is still one URI's failure, not the whole pipeline's.
                var inner = Unwrap(ex);
                WriteError(new ErrorRecord(inner, HubErrorIds.UnexpectedDownloadError, ErrorCategory.NotSpecified, uri));
            }
        }
    }

    private static Exception Unwrap(Exception ex) =>
        ex is AggregateException { InnerExceptions.Count: 1 } agg ? agg.InnerExceptions[0] : ex;
}
