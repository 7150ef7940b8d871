using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using TorchHub.Cache;
using TorchHub.PowerShell.Infrastructure;

namespace TorchHub.PowerShell.Commands;

/// <summary>
/// Writes a lock file from cache entries (Get-HubCache | Export-HubLockFile): repositories with their
/// spec and full commit, weight files with their URL and SHA-256. Entries TorchHub knows too little
/// about (a folder PyTorch downloaded, a file saved by hand, a compiled assembly) are skipped with a warning.
/// </summary>
[Cmdlet(VerbsData.Export, "HubLockFile", SupportsShouldProcess = true)]
[OutputType(typeof(FileInfo))]
public sealed class ExportHubLockFileCommand : HubCmdlet
{
    private readonly List<LockedRepository> _repositories = new();
    private readonly List<LockedFile> _files = new();

    /// <summary>The lock file to write (entries are merged into an existing one).</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [Alias("PSPath")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>Entries from Get-HubCache.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    public CacheEntry[] InputObject { get; set; } = [];

    protected override void ProcessRecord()
    {
        foreach (var entry in InputObject)
        {
            switch (entry)
            {
                case CachedRepository { Spec: { } spec, Commit: { Length: 40 } commit }:
                    _repositories.Add(new LockedRepository(spec, commit));
                    break;
                case CachedFile { Kind: CacheEntryKind.Checkpoint, Url: { } url, Sha256: { Length: 64 } sha }:
                    _files.Add(new LockedFile(url, entry.FileName, sha.ToLowerInvariant()));
                    break;
                default:
                    WriteWarning($"Skipped {entry.FullName}: " + (entry.Kind == CacheEntryKind.Assembly
                        ? "compiled assemblies are rebuilt from their repository, not locked."
                        : "TorchHub did not record where it came from (fetch it again with Save-HubRepository -Force or Save-HubFile -Force)."));
                    break;
            }
        }
    }

    protected override void EndProcessing()
    {
        var target = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
        if (!ShouldProcess(target, $"Write {_repositories.Count} repositories and {_files.Count} files to the lock file"))
            return;
        Invoke(() =>
        {
            HubLockFile.Record(target, _repositories, _files, CreateHub().Options.Locks, CancellationToken);
            // Through the FileSystem provider, as Get-Item returns it: a bare FileInfo lacks the
            // provider's properties, and pwsh 7.6 shows it with empty mode, owner and size.
            WriteObject(InvokeProvider.Item.Get([target], force: false, literalPath: true), enumerateCollection: true);
        });
    }
}
