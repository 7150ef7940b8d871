using System.Management.Automation;
using TorchHub.Cache;
using TorchHub.PowerShell.Infrastructure;

namespace TorchHub.PowerShell.Commands;

/// <summary>
/// Brings the hub cache to the state a lock file describes: repositories at their locked commits,
/// weight files verified against their locked hashes. Entries already there are not fetched, so a
/// second run sends no request. Drift (a commit no longer reachable, a hash that differs) is an
/// error for that entry; the others go on.
/// </summary>
[Cmdlet(VerbsData.Restore, "HubCache", SupportsShouldProcess = true)]
[OutputType(typeof(RestoredEntry))]
public sealed class RestoreHubCacheCommand : HubCmdlet
{
    /// <summary>The lock file (torchhub.lock.json) to restore from.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [ValidateNotNullOrEmpty]
    public string LockFile { get; set; } = "";

    /// <summary>Replace cached weight files whose hash differs from the lock file (otherwise an error).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>
    /// Mirror rules for this command: each key is the start of an original URL, its value where such URLs are
    /// requested from instead (TORCHHUB_MIRRORS' rules still apply to other prefixes).
    /// </summary>
    [Parameter]
    public System.Collections.IDictionary? Mirror { get; set; }

    protected override System.Collections.IDictionary? SuppliedMirrors => Mirror;

    protected override void ProcessRecord()
    {
        var hub = CreateHub();
        HubLockFile? lockFile = null;
        Invoke(() => lockFile = HubLockFile.Load(SessionState.Path.GetUnresolvedProviderPathFromPSPath(LockFile)));
        if (lockFile is null) return; // the error about the lock file is written; there is nothing to restore
        bool Confirm(string action) => ShouldProcess(action, "Restore hub cache entry");
        foreach (var repository in lockFile.Repositories)
            Invoke(() => Write(hub.Restore(repository, Confirm, CancellationToken)));
        foreach (var file in lockFile.Files)
            Invoke(() => Write(hub.Restore(file, Confirm, Force, CancellationToken)));
    }

    private void Write(RestoredEntry entry)
    {
        if (entry.Outcome == RestoreOutcome.Planned) return; // ShouldProcess already said what it would do
        WriteObject(entry);
    }
}
