using System;
using System.Threading.Tasks;

namespace TorchHub.Feedback;

/// <summary>
/// Runs async engine work on the thread pool while the calling thread forwards its messages
/// and progress to the caller's <see cref="IHubFeedback"/>, so a cmdlet's feedback (which
/// writes on the pipeline thread) sees every report as it happens.
/// </summary>
internal static class CallerThreadFeedback
{
    public static T Run<T>(IHubFeedback feedback, Func<IHubFeedback, Task<T>> work)
    {
        using var queue = new QueuedFeedback("Questions are asked before background work starts.");
        var task = Task.Run(async () =>
        {
            try { return await work(queue).ConfigureAwait(false); }
            finally { queue.Complete(); }
        });
        queue.ForwardTo(feedback);
        return task.GetAwaiter().GetResult();
    }
}
