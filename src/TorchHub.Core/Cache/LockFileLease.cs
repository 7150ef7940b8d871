using System;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using System.Threading;

namespace TorchHub.Cache;

/// <summary>
/// The lock-file strategy of <see cref="FileLock"/>, for file systems whose kernel locks other
/// machines may not see (NFS, SMB): the lock is a file created with create-exclusive semantics
/// (O_EXCL, which NFSv3+ and SMB implement on the server), naming its owner (<see cref="LockOwner"/>),
/// rewritten every <see cref="LockOptions.Heartbeat"/> while held and deleted on release, only
/// while it still names this hold.
/// <para>
/// Stale: an owner on this machine (same host, boot and pid namespace) whose process is gone or
/// whose pid now belongs to another process is stale at once; an owner this machine cannot check
/// (another host, another container), or a file naming nobody, is stale when its last heartbeat
/// (its modification time, read through a fresh open so NFS revalidates it) is older than
/// <see cref="LockOptions.StaleAfter"/>. An owner alive on this machine is never stale, as with kernel locks.
/// </para>
/// <para>
/// Takeover, safe when several waiters see the same stale file at once: a lock file's generation is
/// its owner's token (unique per hold; for a file naming nobody, its time and size). To remove
/// generation G, a waiter must first create the claim file for G (create-exclusive again), so one
/// waiter per generation wins; the winner reads the lock file again and deletes it only if it is
/// still G and still stale, then removes its claim. A fresh lock another waiter has just created is
/// a new generation, never deleted by a claim on G. A claim whose breaker died (stale by the same
/// rule) is passed over to the next numbered claim for G. Every waiter then races for the lock
/// file with create-exclusive, and one wins.
/// </para>
/// Like every lease, this assumes a live holder's heartbeat is never held up for the whole stale time.
/// </summary>
internal sealed class LockFileLease : IDisposable
{
    private const int MaxClaims = 8;
    private readonly string _path;
    private readonly byte[] _record;
    private readonly string _token;
    private readonly Timer _heartbeat;
    private readonly object _gate = new();
    private bool _released;

    private LockFileLease(string path, LockOwner owner, byte[] record, TimeSpan beat)
    {
        _path = path;
        _record = record;
        _token = owner.Token;
        _heartbeat = new Timer(_ => Beat(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _heartbeat.Change(beat, beat);
    }

    /// <summary>
    /// The lease on <paramref name="path"/>, or null while another holder's lock file is there and not
    /// stale. An I/O failure other than "the file exists" is thrown (the caller reports LockUnavailable).
    /// </summary>
    public static LockFileLease? TryAcquire(string path, LockOptions options)
    {
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var owner = LockOwner.ForThisProcess();
            var record = owner.ToBytes();
            if (TryCreate(path, record)) return new LockFileLease(path, owner, record, options.Heartbeat);
            var seen = Observed.Read(path);
            if (seen is null) continue; // released between the attempt and the look
            if (!seen.IsStale(options) || !TryBreak(path, seen, options)) return null;
        }
        return null;
    }

    /// <summary>Who holds the lock file, for the waiting message.</summary>
    public static string Holder(string path)
    {
        try
        {
            return Observed.Read(path)?.Owner?.ToString() ?? "unknown";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return "unknown";
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_released) return;
            _released = true; // no beat starts after this; one in progress has finished (same gate)
        }
        _heartbeat.Dispose();
        try
        {
            // Only our own: a lock taken over while this process stalled past the stale time is another holder's now.
            if (Observed.Read(_path)?.Generation == _token) File.Delete(_path);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    private void Beat()
    {
        lock (_gate)
        {
            if (_released) return;
            try
            {
                using var stream = new FileStream(_path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
                var current = new byte[_record.Length + 1];
                var read = stream.ReadAtLeast(current, current.Length, throwOnEndOfStream: false);
                if (!current.AsSpan(0, read).SequenceEqual(_record))
                {
                    _heartbeat.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan); // taken over: nothing of ours to refresh
                    return;
                }
                // The same bytes again: the content never changes under a reader, the modification time moves.
                stream.Position = 0;
                stream.Write(_record);
                stream.Flush(flushToDisk: true);
            }
            catch (FileNotFoundException)
            {
                _heartbeat.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            }
            catch (IOException) { } // a network hiccup: the next beat tries again
            catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>Creates <paramref name="path"/> holding <paramref name="record"/>; false when it exists already.</summary>
    private static bool TryCreate(string path, byte[] record)
    {
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (IOException ex) when (IsAlreadyExists(ex, path))
        {
            return false;
        }
        try
        {
            using (stream)
            {
                stream.Write(record);
                stream.Flush(flushToDisk: true);
            }
        }
        catch
        {
            AtomicFile.TryDelete(path);
            throw;
        }
        return true;
    }

    private static bool IsAlreadyExists(IOException ex, string path) =>
        ex is not (PathTooLongException or DirectoryNotFoundException or FileNotFoundException)
        && (ex.HResult is 17 /* EEXIST */ or unchecked((int)0x80070050) /* ERROR_FILE_EXISTS */ or unchecked((int)0x800700B7) /* ERROR_ALREADY_EXISTS */
            || File.Exists(path));

    /// <summary>Removes the stale lock file generation <paramref name="stale"/> unless another waiter is removing it; true when the path may be free.</summary>
    private static bool TryBreak(string path, Observed stale, LockOptions options)
    {
        var passedOver = new List<string>();
        for (var n = 0; n < MaxClaims; n++)
        {
            var claim = ClaimPath(path, stale.Generation, n);
            if (!TryCreate(claim, LockOwner.ForThisProcess().ToBytes()))
            {
                var other = Observed.Read(claim);
                if (other is not null && !other.IsStale(options)) return false; // another waiter is removing it now
                if (other is not null) passedOver.Add(claim); // its breaker died: the next claim decides
                continue;
            }
            try
            {
                if (Observed.Read(path) is { } now && now.Generation == stale.Generation && now.IsStale(options)) File.Delete(path);
                return true;
            }
            finally
            {
                AtomicFile.TryDelete(claim);
                foreach (var dead in passedOver) AtomicFile.TryDelete(dead);
            }
        }
        return false;
    }

    /// <summary>The n-th claim on one generation of a lock file: short and hidden, beside it (whatever the lock file's name length).</summary>
    internal static string ClaimPath(string path, string generation, int n)
    {
        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFileName(path) + "\n" + generation)))[..24].ToLowerInvariant();
        return Path.Combine(Path.GetDirectoryName(path)!, $".{key}.{n}.claim");
    }

    /// <summary>A lock file as a waiter sees it.</summary>
    private sealed record Observed(LockOwner? Owner, string Generation, DateTime LastBeatUtc)
    {
        public bool IsStale(LockOptions options) =>
            Owner is { IsOnThisMachine: true } owner ? !owner.IsRunning : DateTime.UtcNow - LastBeatUtc > options.StaleAfter;

        /// <summary>The file at <paramref name="path"/>, or null when there is none.</summary>
        public static Observed? Read(string path)
        {
            try
            {
                // A fresh open: NFS revalidates its cached attributes on open (close-to-open), so the time is the server's latest.
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                var lastBeat = File.GetLastWriteTimeUtc(stream.SafeFileHandle);
                var buffer = new byte[4096];
                var read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
                var owner = LockOwner.Parse(buffer.AsSpan(0, read));
                return new Observed(owner, owner?.Token ?? $"{lastBeat.Ticks:x}-{read}", lastBeat);
            }
            catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
            {
                return null;
            }
        }
    }
}
