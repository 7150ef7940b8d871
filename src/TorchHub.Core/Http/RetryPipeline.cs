using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using Octokit;
using Polly;
using Polly.Retry;
using TorchHub.Feedback;
using TorchHub.Repositories.GitHub;

namespace TorchHub.Http;

/// <summary>The Polly pipeline every GitHub request goes through: exponential backoff with jitter on 5xx, resets and timeouts.</summary>
internal static class RetryPipeline
{
    public static ResiliencePipeline Create(GitHubEndpoints endpoints, IHubFeedback feedback)
    {
        if (endpoints.RetryCount == 0) return ResiliencePipeline.Empty;
        return new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = endpoints.RetryCount,
                Delay = endpoints.RetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = args => new ValueTask<bool>(IsTransient(args.Outcome.Exception)),
                OnRetry = args =>
                {
                    feedback.Verbose($"Retrying in {args.RetryDelay.TotalSeconds:0.#} s (attempt {args.AttemptNumber + 2} of {endpoints.RetryCount + 1}): {args.Outcome.Exception?.Message}");
                    return default;
                },
            })
            .Build();
    }

    public static bool IsTransient(Exception? ex) => ex switch
    {
        null => false,
        TransientException => true,
        ApiException api => (int)api.StatusCode >= 500 || api.StatusCode == HttpStatusCode.RequestTimeout,
        HttpRequestException http => http.StatusCode is null || (int)http.StatusCode >= 500,
        IOException => true,
        _ => false,
    };
}
