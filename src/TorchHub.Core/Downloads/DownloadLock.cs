using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace TorchHub.Downloads;

/// <summary>
/// A cross-process (and cross-thread) lock on one destination: an exclusive OS lock on a
/// lock file (.NET takes flock on Unix and a share-none handle on Windows). The kernel
/// drops it when the holder dies, so a lock left by a killed process is simply taken over;
/// no stale-lock heuristics are needed. Waiters poll and report who holds it.
/// </summary>
internal sealed class DownloadLock : IDisposable
{
    private readonly FileStream _stream;

    private DownloadLock(FileStream stream) => _stream = stream;

    public static async Task<DownloadLock> AcquireAsync(string path, Action<string>? onWait, CancellationToken cancellationToken)
    {
        var reported = false;
        var delay = 50;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (TryAcquire(path) is { } held) return held;
            if (!reported)
            {
                onWait?.Invoke($"Waiting for another download of the same file to finish ({Describe(path)}).");
                reported = true;
            }
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            delay = Math.Min(delay * 2, 500);
        }
    }

    public static DownloadLock? TryAcquire(string path)
    {
        try
        {
            var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            try
            {
                // Who holds it, for the waiting message (informational only).
                stream.SetLength(0);
                var text = System.Text.Encoding.UTF8.GetBytes($"{Environment.ProcessId} {Environment.MachineName}\n");
                stream.Write(text);
                stream.Flush();
            }
            catch (IOException) { }
            return new DownloadLock(stream);
        }
        catch (IOException) when (File.Exists(path))
        {
            return null; // held by someone else
        }
    }

    private static string Describe(string path)
    {
        try
        {
            using var s = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var r = new StreamReader(s);
            var parts = (r.ReadLine() ?? "").Split(' ', 2);
            if (int.TryParse(parts[0], out var pid))
                return parts.Length > 1 && parts[1] != Environment.MachineName ? $"process {pid} on {parts[1]}" : $"process {pid}";
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return "lock " + path;
    }

    public void Dispose() => _stream.Dispose();

    internal static bool ProcessIsAlive(int pid)
    {
        try { using var p = Process.GetProcessById(pid); return !p.HasExited; }
        catch (ArgumentException) { return false; }
    }
}
