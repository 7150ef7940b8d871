using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;
using TorchHub.Feedback;

namespace TorchHub.Feedback;

/// <summary>
/// Runs async engine work on the thread pool while the calling thread forwards its messages
/// and progress to the caller's <see cref="IHubFeedback"/>, so a cmdlet's feedback (which
/// writes on the pipeline thread) sees every report as it happens.
/// </summary>
internal sealed class CallerThreadFeedback : IHubFeedback, IDisposable
{
    private readonly IHubFeedback _inner;
    private readonly BlockingCollection<Action<IHubFeedback>> _queue = new();

    private CallerThreadFeedback(IHubFeedback inner) => _inner = inner;

    public static T Run<T>(IHubFeedback feedback, Func<IHubFeedback, Task<T>> work)
    {
        using var pump = new CallerThreadFeedback(feedback);
        var task = Task.Run(async () =>
        {
            try { return await work(pump).ConfigureAwait(false); }
            finally { pump._queue.CompleteAdding(); }
        });
        foreach (var report in pump._queue.GetConsumingEnumerable()) report(feedback);
        return task.GetAwaiter().GetResult();
    }

    public void Verbose(string message) => Post(f => f.Verbose(message));

    public void Warning(string message) => Post(f => f.Warning(message));

    public void Progress(HubProgress progress) => Post(f => f.Progress(progress));

    public bool Confirm(string query, string caption) =>
        throw new InvalidOperationException("Questions are asked before background work starts.");

    private void Post(Action<IHubFeedback> report)
    {
        try { _queue.Add(report); }
        catch (InvalidOperationException) { } // completed: nobody is listening any more
    }

    public void Dispose() => _queue.Dispose();
}
