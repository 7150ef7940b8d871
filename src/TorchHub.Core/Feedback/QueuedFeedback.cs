using System;
using System.Collections.Concurrent;
using System.Threading;
using TorchHub.Feedback;

namespace TorchHub.Feedback;

/// <summary>
/// Feedback for work running on another thread: reports are queued, and the thread that waits
/// for the work forwards them to the caller's feedback (a cmdlet writes only on its pipeline
/// thread). Questions cannot be asked from the other thread; they are answered before it starts.
/// </summary>
internal sealed class QueuedFeedback(string whyNoQuestions) : IHubFeedback, IDisposable
{
    private readonly BlockingCollection<Action<IHubFeedback>> _reports = new();

    /// <summary>Forwards reports to <paramref name="target"/> until <see cref="Complete"/> is called.</summary>
    public void ForwardTo(IHubFeedback target, CancellationToken cancellationToken = default)
    {
        foreach (var report in _reports.GetConsumingEnumerable(cancellationToken)) report(target);
    }

    /// <summary>No more reports: ends <see cref="ForwardTo"/> once the queue is empty.</summary>
    public void Complete() => _reports.CompleteAdding();

    public void Verbose(string message) => Post(f => f.Verbose(message));

    public void Warning(string message) => Post(f => f.Warning(message));

    public void Progress(HubProgress progress) => Post(f => f.Progress(progress));

    public bool Confirm(string query, string caption) => throw new NonInteractiveException(whyNoQuestions);

    private void Post(Action<IHubFeedback> report)
    {
        try { _reports.Add(report); }
        catch (InvalidOperationException) { } // completed: nobody is listening any more
    }

    public void Dispose() => _reports.Dispose();
}
