using System;
using System.Collections.Concurrent;
using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Threading;
using TorchHub.Feedback;

namespace TorchHub.PowerShell.Infrastructure;

/// <summary>
/// The engine's <see cref="IHubFeedback"/> for a cmdlet. PowerShell's Write* methods may only
/// be called on the pipeline thread, so reports from engine worker threads are queued and
/// written by <see cref="Drain"/> (which the cmdlet calls while it waits); reports from the
/// pipeline thread are written at once. Progress is throttled to one update per 200 ms per
/// activity; Completed records always go through.
/// </summary>
internal sealed class CmdletFeedback : IHubFeedback
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(200);

    private readonly HubCmdlet _cmdlet;
    private readonly int _pipelineThread = Environment.CurrentManagedThreadId;
    private readonly ConcurrentQueue<Action> _pending = new();
    private readonly ConcurrentDictionary<int, DateTime> _lastProgress = new();

    public CmdletFeedback(HubCmdlet cmdlet) => _cmdlet = cmdlet;

    public void Verbose(string message) => Post(() => _cmdlet.WriteVerbose(message));

    public void Warning(string message) => Post(() => _cmdlet.WriteWarning(message));

    public void Progress(HubProgress progress)
    {
        var now = DateTime.UtcNow;
        if (!progress.Completed)
        {
            var last = _lastProgress.GetOrAdd(progress.ActivityId, DateTime.MinValue);
            if (now - last < ProgressInterval) return;
        }
        _lastProgress[progress.ActivityId] = now;

        var record = new ProgressRecord(progress.ActivityId, progress.Activity, string.IsNullOrEmpty(progress.Status) ? "..." : progress.Status)
        {
            PercentComplete = Math.Min(100, progress.PercentComplete),
            SecondsRemaining = progress.SecondsRemaining,
            ParentActivityId = progress.ParentActivityId,
            CurrentOperation = progress.CurrentOperation,
            RecordType = progress.Completed ? ProgressRecordType.Completed : ProgressRecordType.Processing,
        };
        Post(() => _cmdlet.WriteProgress(record));
    }

    /// <summary>
    /// Asks with No as the default, as torch's <c>(y/N)</c>: Enter (an empty answer) is no.
    /// (ShouldContinue cannot do that: its default is Yes.)
    /// </summary>
    public bool Confirm(string query, string caption)
    {
        if (Environment.CurrentManagedThreadId != _pipelineThread)
            throw new InvalidOperationException("Questions must be asked from the pipeline thread.");
        var choices = new Collection<ChoiceDescription>
        {
            new("&Yes", "Yes: go on, and remember the answer where the question says so."),
            new("&No", "No (the default): stop here."),
        };
        try
        {
            return _cmdlet.Host.UI.PromptForChoice(caption, query, choices, defaultChoice: 1) == 0;
        }
        catch (Exception ex) when (ex is HostException or PSInvalidOperationException or NotImplementedException)
        {
            // No interactive host (pwsh -NonInteractive, a job, a hosted runspace without UI).
            throw new NonInteractiveException(ex.Message, ex);
        }
        catch (NullReferenceException ex) when (Console.IsInputRedirected)
        {
            // pwsh's console host reads the answer from redirected standard input and fails this
            // way when that input has ended (cron, CI, `< /dev/null`): nobody is there to answer.
            throw new NonInteractiveException("Standard input ended before the question was answered.", ex);
        }
    }

    /// <summary>Writes whatever worker threads reported. Call on the pipeline thread.</summary>
    public void Drain()
    {
        while (_pending.TryDequeue(out var write)) write();
    }

    /// <summary>Waits for a task while writing worker-thread reports as they come.</summary>
    public T Wait<T>(System.Threading.Tasks.Task<T> task)
    {
        // Wait on the handle, not task.Wait: that would throw an AggregateException for a faulted
        // task, hiding the engine's HubException; GetResult below rethrows it as it is.
        var done = ((IAsyncResult)task).AsyncWaitHandle;
        while (!done.WaitOne(50)) Drain();
        Drain();
        return task.GetAwaiter().GetResult();
    }

    private void Post(Action write)
    {
        if (Environment.CurrentManagedThreadId == _pipelineThread) { Drain(); write(); }
        else _pending.Enqueue(write);
    }
}
