using System;
using System.Threading;
using System.Threading.Tasks;
using TorchHub.Feedback;

namespace TorchHub.Hubconf.CSharp;

/// <summary>
/// Runs code TorchHub does not control (Roslyn on an untrusted hubconf.cs, a hubconf.cs
/// entrypoint) on a thread of its own, with a stack of a known size, while the calling thread
/// waits in a way cancellation can end:
/// <list type="bullet">
/// <item>the stack: a deeply nested input then fails with InsufficientExecutionStackException
/// (Roslyn guards its recursion against the stack it has) instead of overflowing the stack of
/// whatever thread called (PowerShell's pipeline thread), which would end the process;</item>
/// <item>cancellation: the caller stops waiting at once and gets OperationCanceledException;
/// code that ignores the token (a compile bomb, an endless entrypoint) keeps running in the
/// background until it returns or the process ends, and the caller is warned of that;</item>
/// <item>feedback: the work reports through a <see cref="QueuedFeedback"/> that the waiting thread
/// forwards to the caller's feedback, so a cmdlet writes them on its pipeline thread as they come.</item>
/// </list>
/// </summary>
internal static class DedicatedThread
{
    /// <summary>Address space reserved for the thread's stack (committed only as it is used).</summary>
    public const int StackSize = 256 * 1024 * 1024;

    public static T Run<T>(string name, IHubFeedback feedback, Func<IHubFeedback, T> work, CancellationToken cancellationToken, string? stillRunning = null)
    {
        cancellationToken.ThrowIfCancellationRequested();
        // Not disposed: abandoned work may still report after the caller stopped waiting.
        var queue = new QueuedFeedback("A hubconf.cs entrypoint cannot ask questions; answer them before the call (e.g. trust the repository first).");
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try { done.SetResult(work(queue)); }
            catch (Exception ex) { done.SetException(ex); }
            finally { queue.Complete(); }
        }, StackSize)
        {
            IsBackground = true, // an abandoned call never keeps the process alive
            Name = name,
        };
        thread.Start();
        try
        {
            queue.ForwardTo(feedback, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && !done.Task.IsCompleted)
        {
            if (stillRunning is not null) feedback.Warning(stillRunning);
            throw;
        }
        return done.Task.GetAwaiter().GetResult();
    }
}
