using System;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using TorchHub.Errors;

namespace TorchHub.Cache;

/// <summary>
/// The one cross-process (and cross-thread) lock: an exclusively opened lock file (FileShare.None,
/// which .NET implements with flock on Unix and share modes on Windows). The kernel releases it
/// when the holder dies, so a lock left by a killed process is simply taken over. Lock files stay
/// (deleting one another process has open would let a third lock a new file of the same name).
/// A lock file that cannot be created at all (read-only folder, a name too long) is an error
/// with its own id, never taken for another process holding it; waiting is cancellable.
/// </summary>
internal sealed class FileLock : IDisposable
{
    private static readonly TimeSpan MaxPoll = TimeSpan.FromMilliseconds(500);
    private readonly FileStream _stream;

    private FileLock(FileStream stream) => _stream = stream;

    /// <summary>
    /// Waits until the lock on <paramref name="path"/> is free or <paramref name="cancellationToken"/> is cancelled;
    /// <paramref name="onWait"/> is told once, with who holds it, if it has to wait.
    /// </summary>
    public static async Task<FileLock> AcquireAsync(string path, Action<string>? onWait, CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromMilliseconds(50);
        var reported = false;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (TryAcquire(path) is { } held) return held;
            if (!reported)
            {
                reported = true;
                onWait?.Invoke($"Waiting for another process ({Holder(path)}) that holds {Path.GetFileName(path)}.");
            }
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxPoll.Ticks));
        }
    }

    /// <summary>The lock, or null when another process holds it. Throws <see cref="HubErrorIds.LockUnavailable"/> when the file cannot be created.</summary>
    public static FileLock? TryAcquire(string path)
    {
        FileStream stream;
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex) when (ex is not (PathTooLongException or DirectoryNotFoundException) && File.Exists(path) && !IsNameTooLong(ex))
        {
            return null; // the file is there and someone has it open exclusively
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Unavailable(path, ex);
        }
        try
        {
            // Who holds it, for the waiting message (informational only).
            stream.SetLength(0);
            stream.Write(Encoding.UTF8.GetBytes($"{Environment.ProcessId} {Environment.MachineName}\n"));
            stream.Flush();
        }
        catch (IOException) { }
        return new FileLock(stream);
    }

    public void Dispose() => _stream.Dispose();

    private static bool IsNameTooLong(IOException ex) =>
        ex.HResult == 36 /* ENAMETOOLONG */ || ex.Message.Contains("name too long", StringComparison.OrdinalIgnoreCase);

    private static HubException Unavailable(string path, Exception ex)
    {
        var tooLong = ex is PathTooLongException || ex is IOException io && IsNameTooLong(io);
        return new HubException(HubErrorIds.LockUnavailable, tooLong ? HubErrorCategory.InvalidArgument : HubErrorCategory.PermissionDenied,
            $"Cannot create the lock file '{path}': {ex.Message} (this is not another process holding it).", path, ex)
        {
            RecommendedAction = tooLong
                ? "The name is too long for the file system: use a shorter ref (a tag or a commit SHA) or file name."
                : "Make the folder writable, or choose another hub directory (Set-HubDirectory, TORCH_HOME).",
        };
    }

    private static string Holder(string path)
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
        return "unknown";
    }
}
