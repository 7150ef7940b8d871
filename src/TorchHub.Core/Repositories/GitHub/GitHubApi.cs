using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Octokit;
using Octokit.Internal;
using Polly;
using TorchHub.Http;

namespace TorchHub.Repositories.GitHub;

/// <summary>
/// The GitHub REST calls TorchHub makes, through Octokit: repository info (default branch),
/// one page of branches or tags, and compare. Each call goes through the retry pipeline and
/// maps failures with <see cref="GitHubErrors"/>. Requests go through the one HTTP layer
/// (<see cref="RedirectFollower"/>): its client, proxy, timeout, offline and token rules.
/// </summary>
internal sealed class GitHubApi : IDisposable
{
    public const int PageSize = 100;

    private readonly GitHubClient _client;
    private readonly ResiliencePipeline _retry;
    private readonly bool _hasToken;
    private readonly HttpMessageHandler _handler;

    public GitHubApi(GitHubEndpoints endpoints, RedirectFollower http, ResiliencePipeline retry)
    {
        _retry = retry;
        _hasToken = http.SendsTokenTo(endpoints.Api);
        _handler = new FollowerMessageHandler(http);
        // Anonymous to Octokit: the token policy adds the token on the hops it may go to.
        var connection = new Connection(
            new ProductHeaderValue("TorchHub", typeof(GitHubApi).Assembly.GetName().Version?.ToString() ?? "0"),
            endpoints.Api,
            new InMemoryCredentialStore(Credentials.Anonymous),
            new HttpClientAdapter(() => _handler),
            new SimpleJsonSerializer());
        connection.SetRequestTimeout(http.Options.Timeout);
        _client = new GitHubClient(connection);
    }

    public Task<string> GetDefaultBranchAsync(string owner, string name, CancellationToken ct) =>
        CallAsync(owner, name, "reading the repository's default branch",
            async () => (await _client.Repository.Get(owner, name).ConfigureAwait(false)).DefaultBranch, ct);

    /// <summary>One page (1-based) of branches: (name, head SHA).</summary>
    public Task<IReadOnlyList<(string Name, string Sha)>> GetBranchPageAsync(string owner, string name, int page, CancellationToken ct) =>
        CallAsync(owner, name, "listing branches", async () =>
        {
            var branches = await _client.Repository.Branch.GetAll(owner, name, Page(page)).ConfigureAwait(false);
            var result = new List<(string, string)>(branches.Count);
            foreach (var b in branches) result.Add((b.Name, b.Commit.Sha));
            return (IReadOnlyList<(string, string)>)result;
        }, ct);

    /// <summary>One page (1-based) of tags: (name, commit SHA).</summary>
    public Task<IReadOnlyList<(string Name, string Sha)>> GetTagPageAsync(string owner, string name, int page, CancellationToken ct) =>
        CallAsync(owner, name, "listing tags", async () =>
        {
            var tags = await _client.Repository.GetAllTags(owner, name, Page(page)).ConfigureAwait(false);
            var result = new List<(string, string)>(tags.Count);
            foreach (var t in tags) result.Add((t.Name, t.Commit.Sha));
            return (IReadOnlyList<(string, string)>)result;
        }, ct);

    /// <summary>
    /// Compares <paramref name="head"/> with <paramref name="baseRef"/>: "behind" or "identical"
    /// means head is reachable from base. Returns (status, full SHA of head when reachable), or
    /// null when GitHub does not know the commit (404).
    /// </summary>
    public Task<(string Status, string? Sha)?> CompareAsync(string owner, string name, string baseRef, string head, CancellationToken ct) =>
        CallAsync(owner, name, $"comparing {head} with {baseRef}", async () =>
        {
            try
            {
                var result = await _client.Repository.Commit.Compare(owner, name, baseRef, head).ConfigureAwait(false);
                return ((string, string?)?)(result.Status, result.MergeBaseCommit?.Sha);
            }
            catch (NotFoundException)
            {
                return null;
            }
        }, ct);

    private static ApiOptions Page(int page) => new() { PageSize = PageSize, PageCount = 1, StartPage = page };

    private async Task<T> CallAsync<T>(string owner, string name, string what, Func<Task<T>> call, CancellationToken ct)
    {
        try
        {
            return await _retry.ExecuteAsync(async token =>
            {
                token.ThrowIfCancellationRequested();
                try
                {
                    return await call().ConfigureAwait(false);
                }
                catch (TaskCanceledException ex) when (!token.IsCancellationRequested)
                {
                    // Octokit reports its request timeout as a cancellation.
                    throw new TransientException(Errors.HubErrorIds.DownloadStalled, "no answer within the timeout", ex);
                }
            }, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            var mapped = GitHubErrors.Map(ex, what, owner, name, _hasToken);
            if (ReferenceEquals(mapped, ex)) throw;
            throw mapped;
        }
    }

    public void Dispose() => _handler.Dispose();
}
