using System;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using Octokit;
using Polly;
using Polly.Retry;

namespace TorchHub.Http;

/// <summary>
/// The one retry policy (Polly) for every request and transfer: up to
/// <see cref="HttpOptions.MaxRetries"/> retries after transient failures, with exponential
/// backoff and jitter from <see cref="HttpOptions.RetryDelay"/>; a server's Retry-After (429,
/// 503) is waited out instead; and an attempt that brought new bytes
/// (<see cref="TransientException.MadeProgress"/>) starts the budget and the backoff again, so a
/// long download over a flaky link is not failed for many unrelated drops. Each retry is announced
/// (what failed, attempt n of m, when the next try starts) so the wait before a final error is
/// never silent. Build one per operation.
/// </summary>
internal static class RetryPipeline
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    /// <param name="options">The budget and the first delay.</param>
    /// <param name="announce">Receives one line per retry; callers pass their feedback's warning channel.</param>
    /// <param name="what">The operation, as the start of a sentence ("Downloading 'url'").</param>
    public static ResiliencePipeline Create(HttpOptions options, Action<string>? announce, string what)
    {
        if (options.MaxRetries == 0) return ResiliencePipeline.Empty;
        var failures = 0; // consecutive failures without progress
        return new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = int.MaxValue, // the budget is counted below, where progress resets it
                ShouldHandle = args =>
                {
                    var ex = args.Outcome.Exception;
                    if (!IsTransient(ex)) return new ValueTask<bool>(false);
                    if (ex is TransientException { MadeProgress: true }) failures = 0;
                    failures++;
                    return new ValueTask<bool>(failures <= options.MaxRetries);
                },
                DelayGenerator = args => new ValueTask<TimeSpan?>(
                    (args.Outcome.Exception as TransientException)?.RetryAfter ?? Backoff(options.RetryDelay, failures)),
                OnRetry = args =>
                {
                    var reason = args.Outcome.Exception?.Message.TrimEnd('.') ?? "no reason given";
                    announce?.Invoke($"{what}: attempt {failures} of {options.MaxRetries + 1} failed ({reason}); next try in {args.RetryDelay.TotalSeconds:0.0} s.");
                    return default;
                },
            })
            .Build();
    }

    /// <summary>Exponential with full jitter over the upper half: base * 2^(n-1) * [0.5, 1), capped.</summary>
    private static TimeSpan Backoff(TimeSpan first, int failure)
    {
        var exponential = first.TotalMilliseconds * Math.Pow(2, Math.Min(failure - 1, 16));
        var jittered = exponential * (0.5 + Random.Shared.NextDouble() / 2);
        return TimeSpan.FromMilliseconds(Math.Min(jittered, MaxBackoff.TotalMilliseconds));
    }

    public static bool IsTransient(Exception? ex) => ex switch
    {
        null => false,
        TransientException => true,
        ApiException api => (int)api.StatusCode >= 500 || api.StatusCode == HttpStatusCode.RequestTimeout,
        HttpRequestException http => http.StatusCode is null || (int)http.StatusCode >= 500,
        _ => false,
    };
}
