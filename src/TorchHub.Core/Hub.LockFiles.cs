using System;
using System.IO;
using System.Security.Cryptography;
using System.Threading;
using TorchHub.Cache;
using TorchHub.Downloads;
using TorchHub.Errors;
using TorchHub.Repositories;

namespace TorchHub;

public sealed partial class Hub
{
    /// <summary>Records a fetched repository (its spec with the ref, and its full commit) in a lock file.</summary>
    public LockedRepository RecordInLockFile(string lockFile, HubRepository repository, CancellationToken cancellationToken = default)
    {
        var spec = repository.Spec ?? throw new ArgumentException("Only GitHub repositories can be locked.", nameof(repository));
        var commit = repository.Commit is { Length: 40 } full ? full : Cache.ReadCommit(Path.GetFileName(repository.Directory));
        if (commit is not { Length: 40 })
            throw new HubException(HubErrorIds.CommitUnknown, HubErrorCategory.ObjectNotFound,
                $"The full commit of the cached {spec} is not known (it was cached before TorchHub recorded commits, or by PyTorch), so it cannot be locked.", spec.ToString())
            { RecommendedAction = $"Fetch it again with -Force to record its commit: Save-HubRepository {spec} -Force -LockFile ..." };
        var locked = new LockedRepository(spec.ToString(), commit.ToLowerInvariant());
        HubLockFile.Record(lockFile, [locked], [], Options.Locks, cancellationToken);
        return locked;
    }

    /// <summary>Records a downloaded weight file (the URL asked for, its file name and SHA-256) in a lock file.</summary>
    public LockedFile RecordInLockFile(string lockFile, string url, HubFile file, CancellationToken cancellationToken = default)
    {
        var locked = new LockedFile(url, file.Name, (file.Sha256 ?? Sha256Of(file.Path)).ToLowerInvariant());
        HubLockFile.Record(lockFile, [], [locked], Options.Locks, cancellationToken);
        return locked;
    }

    /// <summary>
    /// Brings one locked repository into the cache: nothing when its folder is recorded at the
    /// locked commit (no request), else the archive of that commit (trusted: the lock file is the
    /// reviewed list). <paramref name="confirm"/> is asked before fetching (null: yes).
    /// </summary>
    public RestoredEntry Restore(LockedRepository locked, Func<string, bool>? confirm = null, CancellationToken cancellationToken = default)
    {
        var spec = RepoSpec.Parse(locked.Spec);
        var folder = Cache.RepositoryFolder(spec, spec.Ref!);
        var existed = Directory.Exists(folder);
        if (existed && string.Equals(Cache.ReadCommit(Path.GetFileName(folder)), locked.Commit, StringComparison.OrdinalIgnoreCase))
            return new RestoredEntry(CacheEntryKind.Repository, locked.Spec, locked.Commit, RestoreOutcome.Present, folder);
        if (confirm is not null && !confirm($"Fetch {locked.Spec} at commit {locked.Commit} into {folder}"))
            return new RestoredEntry(CacheEntryKind.Repository, locked.Spec, locked.Commit, RestoreOutcome.Planned, folder);
        var repository = GetRepository(spec, new RepositoryRequest { TrustRepo = true, Commit = locked.Commit }, cancellationToken);
        return new RestoredEntry(CacheEntryKind.Repository, locked.Spec, locked.Commit, existed ? RestoreOutcome.Replaced : RestoreOutcome.Added, repository.Directory);
    }

    /// <summary>
    /// Brings one locked weight file into <c>checkpoints/</c>: nothing when a file of that name has
    /// the locked SHA-256 (no request); a file with another hash is drift (<see cref="HubErrorIds.LockedFileDrift"/>)
    /// unless <paramref name="force"/>; otherwise the download is verified against the locked hash.
    /// </summary>
    public RestoredEntry Restore(LockedFile locked, Func<string, bool>? confirm = null, bool force = false, CancellationToken cancellationToken = default)
    {
        var path = Path.Combine(Cache.CheckpointsFolder, locked.FileName);
        var existed = File.Exists(path);
        if (existed)
        {
            var actual = Sha256Of(path);
            if (string.Equals(actual, locked.Sha256, StringComparison.OrdinalIgnoreCase))
                return new RestoredEntry(CacheEntryKind.Checkpoint, locked.FileName, locked.Sha256, RestoreOutcome.Present, path);
            if (!force)
                throw new HubException(HubErrorIds.LockedFileDrift, HubErrorCategory.InvalidResult,
                    $"The cached {locked.FileName} has SHA-256 {actual}, the lock file says {locked.Sha256}.", path)
                { RecommendedAction = "Check which one is right; -Force replaces the cached file with a download verified against the lock file." };
        }
        if (confirm is not null && !confirm($"Download {locked.Url} to {path} (SHA-256 {locked.Sha256})"))
            return new RestoredEntry(CacheEntryKind.Checkpoint, locked.FileName, locked.Sha256, RestoreOutcome.Planned, path);
        var file = SaveFile(new SaveFileRequest(locked.Url) { FileName = locked.FileName, HashPrefix = locked.Sha256, Force = existed }, cancellationToken);
        return new RestoredEntry(CacheEntryKind.Checkpoint, locked.FileName, locked.Sha256, existed ? RestoreOutcome.Replaced : RestoreOutcome.Added, file.Path);
    }

    private static string Sha256Of(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 20);
        return Convert.ToHexString(SHA256.HashData(stream)).ToLowerInvariant();
    }
}
