using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace TorchHub.Cache;

/// <summary>
/// A cross-process lock on one cache folder: an exclusively opened lock file (FileShare.None,
/// which .NET implements with flock on Unix and share modes on Windows). The OS releases it
/// when the process dies, so a killed fetch never blocks the next one.
/// </summary>
internal sealed class FolderLock : IDisposable
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);
    private readonly FileStream _stream;

    private FolderLock(FileStream stream) => _stream = stream;

    /// <summary>Waits until the lock is free (or the token is cancelled); <paramref name="onWait"/> runs once if it has to wait.</summary>
    public static async Task<FolderLock> AcquireAsync(string lockFile, Action onWait, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(lockFile)!);
        var waited = false;
        while (true)
        {
            try
            {
                return new FolderLock(new FileStream(lockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException)
            {
                if (!waited) { waited = true; onWait(); }
                await Task.Delay(Poll, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public void Dispose() => _stream.Dispose();
}
