using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using TorchHub.Errors;
using TorchHub.Http;

namespace TorchHub.Downloads;

/// <summary>
/// Reads a response body in large fills, failing an attempt that sees no byte for
/// <see cref="HttpOptions.Timeout"/> (a stall). A failure after some bytes arrived is returned
/// beside them, so the caller keeps those bytes (they belong in the resumable partial) before rethrowing.
/// </summary>
internal sealed class BodyReader : IDisposable
{
    private readonly Stream _body;
    private readonly TimeSpan _timeout;
    private readonly CancellationToken _cancellationToken;
    private readonly CancellationTokenSource _stall;

    private BodyReader(Stream body, TimeSpan timeout, CancellationToken cancellationToken)
    {
        _body = body;
        _timeout = timeout;
        _cancellationToken = cancellationToken;
        _stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
    }

    public static async Task<BodyReader> OpenAsync(System.Net.Http.HttpResponseMessage response, TimeSpan timeout, CancellationToken cancellationToken) =>
        new(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), timeout, cancellationToken);

    /// <summary>A fill that has some bytes is handed on after this long, so a slow link still writes (and reports) steadily.</summary>
    private const long MaxFillMilliseconds = 100;

    /// <summary>
    /// Fills <paramref name="buffer"/> up to <paramref name="size"/> bytes: fewer at the end of the body,
    /// on a failure, or when the bytes arrive slowly (after <see cref="MaxFillMilliseconds"/>).
    /// </summary>
    public async ValueTask<(int Filled, Exception? Error)> FillAsync(byte[] buffer, int size)
    {
        var filled = 0;
        var started = Environment.TickCount64;
        try
        {
            while (filled < size && (filled == 0 || Environment.TickCount64 - started < MaxFillMilliseconds))
            {
                _stall.CancelAfter(_timeout);
                int n;
                try
                {
                    n = await _body.ReadAsync(buffer.AsMemory(filled, size - filled), _stall.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException ex) when (!_cancellationToken.IsCancellationRequested)
                {
                    throw Stalled(_timeout, ex);
                }
                if (n == 0) break;
                filled += n;
            }
        }
        catch (Exception ex)
        {
            return (filled, ex);
        }
        return (filled, null);
    }

    public static TransientException Stalled(TimeSpan timeout, Exception? inner = null) =>
        new(HubErrorIds.DownloadStalled, $"no data for {timeout.TotalSeconds:0.#} s ({HttpOptions.TimeoutVariable} sets the limit in seconds).", inner);

    public static void ThrowIf(Exception? error)
    {
        if (error is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(error).Throw();
    }

    public void Dispose()
    {
        _stall.Dispose();
        _body.Dispose();
    }
}
