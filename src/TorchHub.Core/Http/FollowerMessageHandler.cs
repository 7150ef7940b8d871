using System;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace TorchHub.Http;

/// <summary>
/// Lets a library that wants an <see cref="HttpMessageHandler"/> (Octokit) send through
/// <see cref="RedirectFollower"/>, so its requests obey the same offline, redirect, token and
/// timeout rules and share the one connection pool. The library's own Authorization header is
/// dropped: the token policy decides. Only body-less requests (the GitHub REST reads TorchHub makes).
/// </summary>
internal sealed class FollowerMessageHandler : HttpMessageHandler
{
    private readonly RedirectFollower _follower;

    public FollowerMessageHandler(RedirectFollower follower) => _follower = follower;

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Method != HttpMethod.Get || request.Content is { Headers.ContentLength: > 0 })
            throw new NotSupportedException($"Only GET requests without a body go through the shared HTTP layer ({request.Method}).");
        var headers = request.Headers.Where(h => h.Key is not ("Authorization" or "Host" or "User-Agent")).ToList();
        return _follower.SendAsync(request.RequestUri!, hop =>
        {
            foreach (var (name, values) in headers) hop.Headers.TryAddWithoutValidation(name, values);
        }, cancellationToken);
    }
}
