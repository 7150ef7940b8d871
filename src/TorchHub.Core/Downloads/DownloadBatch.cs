using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using TorchHub.Feedback;

namespace TorchHub.Downloads;

/// <summary>
/// Several saves at once (Save-HubFile -ThrottleLimit): at most N run together; progress is
/// reported per file (child activities) and overall (bytes, rate, time left), and every
/// activity gets its Completed record. Reports are limited to a few per second per activity;
/// the cmdlet layer throttles again for the console.
/// </summary>
internal sealed class DownloadBatch : IDisposable
{
    private const int OverallActivityId = 4000;
    private static readonly TimeSpan OverallInterval = TimeSpan.FromMilliseconds(200);

    private readonly FileSaver _saver;
    private readonly IHubFeedback _feedback;
    private readonly SemaphoreSlim _slots;
    private readonly string _activity;
    private readonly object _gate = new();
    private readonly Dictionary<int, (long Received, long? Total)> _files = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Dictionary<int, (TimeSpan At, long From)> _starts = new();
    private long _lastOverall;
    private int _nextId = OverallActivityId;
    private int _started;
    private int _finished;
    private long _finishedBytes;
    private bool _completed;

    internal DownloadBatch(FileSaver saver, IHubFeedback feedback, int throttleLimit, string activity = "Saving hub files")
    {
        _saver = saver;
        _feedback = feedback;
        _slots = new SemaphoreSlim(Math.Max(1, throttleLimit));
        _activity = activity;
    }

    /// <summary>Starts one save (waits for a free slot inside the task).</summary>
    public Task<HubFile> StartAsync(SaveFileRequest request, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _nextId);
        Interlocked.Increment(ref _started);
        return Task.Run(async () =>
        {
            await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            var name = request.FileName ?? SafeName(request.Uri);
            var activity = "Downloading " + name;
            try
            {
                var file = await _saver.SaveAsync(request, (received, total) => OnProgress(id, activity, received, total), cancellationToken).ConfigureAwait(false);
                lock (_gate) { _files.Remove(id); _finishedBytes += file.FromCache ? 0 : file.Length; }
                return file;
            }
            finally
            {
                lock (_gate) _files.Remove(id);
                Interlocked.Increment(ref _finished);
                _slots.Release();
                _feedback.Progress(new HubProgress(id, activity, "Done", 100, 0, OverallActivityId, Completed: true));
                ReportOverall(force: true);
            }
        }, CancellationToken.None);
    }

    /// <summary>Closes the overall activity. Call once, after every file finished (or was cancelled).</summary>
    public void Complete()
    {
        lock (_gate)
        {
            if (_completed) return;
            _completed = true;
        }
        _feedback.Progress(new HubProgress(OverallActivityId, _activity, "Done", 100, 0, Completed: true));
    }

    private void OnProgress(int id, string activity, long received, long? total)
    {
        double seconds;
        long from;
        lock (_gate)
        {
            _files[id] = (received, total);
            // Rate counts from the first report, so a resumed file's earlier bytes don't inflate it.
            if (!_starts.TryGetValue(id, out var begun)) _starts[id] = begun = (_clock.Elapsed, received);
            seconds = (_clock.Elapsed - begun.At).TotalSeconds;
            from = begun.From;
        }
        var rate = seconds > 0.2 ? (received - from) / seconds : 0;
        var status = string.Create(CultureInfo.InvariantCulture,
            $"{ByteSize.Format(received)}{(total is { } t ? " of " + ByteSize.Format(t) : "")}{(rate > 0 ? " at " + ByteSize.Format((long)rate) + "/s" : "")}");
        var remaining = total is { } all && rate > 0 && all > received ? (int)((all - received) / rate) : -1;
        _feedback.Progress(new HubProgress(id, activity, status,
            total is { } t2 && t2 > 0 ? (int)(received * 100 / t2) : -1,
            remaining, OverallActivityId));
        ReportOverall(force: false);
    }

    private void ReportOverall(bool force)
    {
        var now = _clock.ElapsedTicks;
        var last = Interlocked.Read(ref _lastOverall);
        if (!force && TimeSpan.FromTicks((long)((now - last) * (TimeSpan.TicksPerSecond / (double)Stopwatch.Frequency))) < OverallInterval) return;
        Interlocked.Exchange(ref _lastOverall, now);

        long received, known;
        bool allKnown = true;
        lock (_gate)
        {
            if (_completed) return;
            received = _finishedBytes;
            known = _finishedBytes;
            foreach (var (r, t) in _files.Values)
            {
                received += r;
                if (t is { } total) known += total; else allKnown = false;
            }
        }
        var seconds = _clock.Elapsed.TotalSeconds;
        var rate = seconds > 0.2 ? received / seconds : 0;
        var percent = allKnown && known > 0 ? (int)(received * 100 / known) : -1;
        var remaining = allKnown && rate > 0 && known > received ? (int)((known - received) / rate) : -1;
        var status = string.Create(CultureInfo.InvariantCulture,
            $"{_finished} of {_started} files, {ByteSize.Format(received)}{(allKnown && known > 0 ? " of " + ByteSize.Format(known) : "")} at {ByteSize.Format((long)rate)}/s");
        _feedback.Progress(new HubProgress(OverallActivityId, _activity, status, percent, remaining));
    }

    private static string SafeName(string uri)
    {
        try { return Uri.TryCreate(uri, UriKind.Absolute, out var u) ? System.IO.Path.GetFileName(Uri.UnescapeDataString(u.AbsolutePath)) : uri; }
        catch (UriFormatException) { return uri; }
    }


    public void Dispose() => _slots.Dispose();
}
