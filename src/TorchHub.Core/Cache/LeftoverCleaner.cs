using System;
using System.IO;

namespace TorchHub.Cache;

/// <summary>
/// Removes what killed or abandoned runs left in TorchHub's working folders (<c>.torchhub/tmp</c>
/// of the hub directory, the <c>.torchhub</c> folder beside saved files): entries untouched for
/// <see cref="MaxAge"/> whose lock is free, so nothing another process is working on is touched,
/// and a partial whose file was meanwhile completed by someone else (torch) does not stay forever.
/// </summary>
internal static class LeftoverCleaner
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromDays(1);

    /// <summary>
    /// Deletes entries of <paramref name="folder"/> older than <paramref name="maxAge"/> whose names
    /// end in one of <paramref name="suffixes"/>; <paramref name="lockFor"/> names the lock that guards
    /// an entry (null: none), and an entry whose lock is held is kept.
    /// </summary>
    public static int Clean(string folder, TimeSpan maxAge, string[] suffixes, LockOptions locks, Func<string, string?> lockFor)
    {
        if (!Directory.Exists(folder)) return 0;
        var removed = 0;
        var cutoff = DateTime.UtcNow - maxAge;
        foreach (var entry in Directory.EnumerateFileSystemEntries(folder))
        {
            var name = Path.GetFileName(entry);
            if (!Array.Exists(suffixes, s => name.EndsWith(s, StringComparison.Ordinal))) continue;
            try
            {
                var info = Directory.Exists(entry) ? (FileSystemInfo)new DirectoryInfo(entry) : new FileInfo(entry);
                if (info.LastWriteTimeUtc > cutoff) continue;
                FileLock? held = null;
                if (lockFor(name) is { } lockPath && (held = FileLock.TryAcquire(lockPath, locks)) is null) continue; // someone is working on it
                using (held)
                {
                    if (info is DirectoryInfo d) d.Delete(recursive: true);
                    else info.Delete();
                }
                removed++;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or Errors.HubException)
            {
                // Best effort: a leftover that cannot be removed now is tried again next time.
            }
        }
        return removed;
    }
}
