using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using TorchHub.Errors;

namespace TorchHub.Cache;

/// <summary>
/// The one cross-process (and cross-thread) lock, with two strategies (<see cref="LockOptions"/>):
/// <list type="bullet">
/// <item>Kernel (local disks): an exclusively opened lock file (FileShare.None, which .NET implements
/// with flock on Unix and share modes on Windows). The kernel releases it when the holder dies, so a
/// lock left by a killed process is simply taken over. Lock files stay (deleting one another process
/// has open would let a third lock a new file of the same name).</item>
/// <item>File (network file systems, or when asked for): <see cref="LockFileLease"/>, a lock file
/// created exclusively, with its owner, a heartbeat and a stale rule.</item>
/// </list>
/// A lock file that cannot be created at all (read-only folder, a name too long) is an error
/// with its own id, never taken for another process holding it; waiting is cancellable.
/// </summary>
internal sealed class FileLock : IDisposable
{
    private static readonly TimeSpan MaxPoll = TimeSpan.FromMilliseconds(500);
    private readonly IDisposable _held;

    private FileLock(IDisposable held) => _held = held;

    /// <summary>
    /// Waits until the lock on <paramref name="path"/> is free or <paramref name="cancellationToken"/> is cancelled;
    /// <paramref name="onWait"/> is told once, with who holds it, if it has to wait. <paramref name="options"/>
    /// (null: <see cref="LockOptions"/>' defaults) choose the strategy.
    /// </summary>
    public static async Task<FileLock> AcquireAsync(string path, Action<string>? onWait, CancellationToken cancellationToken, LockOptions? options = null)
    {
        options ??= Defaults;
        var strategy = StrategyFor(path, options);
        var delay = TimeSpan.FromMilliseconds(50);
        var reported = false;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (TryAcquire(path, options, strategy) is { } held) return held;
            if (!reported)
            {
                reported = true;
                onWait?.Invoke($"Waiting for another process ({Holder(path, strategy)}) that holds {Path.GetFileName(path)}.");
            }
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxPoll.Ticks));
        }
    }

    /// <summary>The lock, or null when another process holds it. Throws <see cref="HubErrorIds.LockUnavailable"/> when the file cannot be created.</summary>
    public static FileLock? TryAcquire(string path, LockOptions? options = null)
    {
        options ??= Defaults;
        return TryAcquire(path, options, StrategyFor(path, options));
    }

    public void Dispose() => _held.Dispose();

    private static readonly LockOptions Defaults = new();

    private static LockStrategy StrategyFor(string path, LockOptions options) => options.StrategyFor(Path.GetDirectoryName(Path.GetFullPath(path))!);

    private static FileLock? TryAcquire(string path, LockOptions options, LockStrategy strategy)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            if (strategy == LockStrategy.File)
                return LockFileLease.TryAcquire(path, options) is { } lease ? new FileLock(lease) : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Unavailable(path, ex);
        }
        return TryAcquireKernelLock(path);
    }

    private static FileLock? TryAcquireKernelLock(string path)
    {
        FileStream stream;
        try
        {
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
            // Who holds it, for the waiting message (informational only). Beside the lock, not in it:
            // on Unix an exclusively locked file cannot be opened by anyone else, even to read.
            AtomicFile.WriteAllText(OwnerFile(path), $"{Environment.ProcessId} {Environment.MachineName}\n");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { }
        return new FileLock(stream);
    }

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

    private static string OwnerFile(string path) => path + ".owner";

    private static string Holder(string path, LockStrategy strategy)
    {
        if (strategy == LockStrategy.File) return LockFileLease.Holder(path);
        try
        {
            var parts = File.ReadAllText(OwnerFile(path)).Trim().Split(' ', 2);
            if (int.TryParse(parts[0], out var pid))
                return parts.Length > 1 && parts[1] != Environment.MachineName ? $"process {pid} on {parts[1]}" : $"process {pid}";
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return "unknown";
    }
}
