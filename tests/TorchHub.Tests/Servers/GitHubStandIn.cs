using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace TorchHub.Tests.Servers;

/// <summary>
/// A GitHub stand-in on 127.0.0.1 (Kestrel) speaking the part of GitHub TorchHub uses, over
/// real git repositories: REST (<c>/api/repos/{o}/{r}</c>, <c>/branches</c>, <c>/tags</c> with
/// per_page/page and Link headers, <c>/compare/{base}...{head}</c>, <c>/zipball/{ref}</c>), the
/// web zipball URL (<c>/{o}/{r}/zipball/{ref}</c>), a 302 to a separate archive host (another
/// port, so another origin) that serves <c>git archive</c> zips named like GitHub's, private
/// repositories that need a token (404 without, as GitHub), a 300 for a name that is both a
/// branch and a tag, and injectable faults: rate-limit 403s, 500s, truncated and stalled
/// archives, replaced archive bytes. Every request is recorded.
/// </summary>
public sealed class GitHubStandIn : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, Repo> _repos = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, string> _zipCache = new();
    private readonly string _zipFolder;
    private int _githubPort;
    private int _archivePort;

    private sealed record Repo(string Owner, string Name, GitRepo Git, string DefaultBranch, string? Token);

    public sealed record Request(bool ArchiveHost, string Method, string Path, string Query, string? Authorization);

    private GitHubStandIn(WebApplication app, string zipFolder)
    {
        _app = app;
        _zipFolder = zipFolder;
    }

    public static async Task<GitHubStandIn> StartAsync(string zipFolder)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o =>
        {
            o.Listen(IPAddress.Loopback, 0);
            o.Listen(IPAddress.Loopback, 0);
            o.Limits.MaxResponseBufferSize = null;
        });
        var app = builder.Build();
        Directory.CreateDirectory(zipFolder);
        var server = new GitHubStandIn(app, zipFolder);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var ports = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Select(a => new Uri(a).Port).ToList();
        server._githubPort = ports[0];
        server._archivePort = ports[1];
        return server;
    }

    public Uri ApiUrl => new($"http://127.0.0.1:{_githubPort}/api");
    public Uri WebUrl => new($"http://127.0.0.1:{_githubPort}");

    public ConcurrentQueue<Request> Requests { get; } = new();

    public int ApiRequestCount => Requests.Count(r => !r.ArchiveHost && r.Path.StartsWith("/api/", StringComparison.Ordinal));
    public int ArchiveRequestCount => Requests.Count(r => r.ArchiveHost);
    public int TotalRequestCount => Requests.Count;

    // Faults: each counter applies to that many following requests.
    public int RateLimitApiRequests;
    public int FailArchiveRequests;       // 500 from the archive host
    public int TruncateArchives;          // Content-Length sent, half the body, then the connection is aborted
    public int StallArchives;             // half the body, then a pause of StallTime
    public TimeSpan StallTime = TimeSpan.FromSeconds(5);
    public TimeSpan ArchiveDelay = TimeSpan.Zero; // before answering each archive request
    /// <summary>Bytes to serve instead of the real archive for owner/name.</summary>
    public ConcurrentDictionary<string, byte[]> ArchiveOverrides { get; } = new(StringComparer.OrdinalIgnoreCase);

    public void AddRepository(string owner, string name, GitRepo git, string defaultBranch = "main", string? token = null) =>
        _repos[$"{owner}/{name}"] = new Repo(owner, name, git, defaultBranch, token);

    public void ResetCounts() => Requests.Clear();

    private async Task HandleAsync(HttpContext ctx)
    {
        var archiveHost = ctx.Connection.LocalPort == _archivePort;
        var auth = ctx.Request.Headers.Authorization.ToString();
        Requests.Enqueue(new Request(archiveHost, ctx.Request.Method, ctx.Request.Path.Value ?? "", ctx.Request.QueryString.Value ?? "", auth.Length == 0 ? null : auth));
        try
        {
            if (archiveHost) await ServeArchiveAsync(ctx);
            else await ServeGitHubAsync(ctx);
        }
        catch (OperationCanceledException) { }
        catch (IOException) { }
    }

    private async Task ServeGitHubAsync(HttpContext ctx)
    {
        var path = ctx.Request.Path.Value ?? "/";
        var api = path.StartsWith("/api/", StringComparison.Ordinal);
        var parts = path.Trim('/').Split('/').Select(Uri.UnescapeDataString).ToArray();

        if (api && Interlocked.Decrement(ref RateLimitApiRequests) >= 0)
        {
            ctx.Response.StatusCode = 403;
            ctx.Response.Headers["X-RateLimit-Limit"] = "60";
            ctx.Response.Headers["X-RateLimit-Remaining"] = "0";
            ctx.Response.Headers["X-RateLimit-Reset"] = DateTimeOffset.UtcNow.AddMinutes(17).ToUnixTimeSeconds().ToString();
            await Json(ctx, new { message = "API rate limit exceeded for 127.0.0.1. (But here's the good news: Authenticated requests get a higher rate limit. Check out the documentation for more details.)", documentation_url = "https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting" }, 403);
            return;
        }

        // api/repos/{o}/{r}[/...] or {o}/{r}/zipball/{ref...}
        string[] rest;
        Repo? repo;
        if (api && parts.Length >= 4 && parts[1] == "repos") { repo = Find(parts[2], parts[3]); rest = parts.Skip(4).ToArray(); }
        else if (!api && parts.Length >= 3 && parts[2] == "zipball") { repo = Find(parts[0], parts[1]); rest = parts.Skip(2).ToArray(); }
        else { await NotFound(ctx); return; }

        if (repo is null) { await NotFound(ctx); return; }
        if (repo.Token is not null)
        {
            // Private: no token looks like a missing repository (GitHub's 404); a wrong one is a 401.
            var given = Bearer(ctx);
            if (given is null) { await NotFound(ctx); return; }
            if (given != repo.Token) { await Json(ctx, new { message = "Bad credentials" }, 401); return; }
        }

        if (rest.Length == 0 && api)
        {
            await Json(ctx, new
            {
                id = 1, node_id = "R_1", name = repo.Name, full_name = $"{repo.Owner}/{repo.Name}",
                owner = new { login = repo.Owner, id = 1, type = "User" },
                @private = repo.Token is not null, default_branch = repo.DefaultBranch,
                url = $"{ApiUrl}/repos/{repo.Owner}/{repo.Name}", html_url = $"{WebUrl}/{repo.Owner}/{repo.Name}",
            });
            return;
        }
        switch (rest[0])
        {
            case "branches" when api && rest.Length == 1:
                await ListAsync(ctx, repo, "refs/heads", tags: false);
                return;
            case "tags" when api && rest.Length == 1:
                await ListAsync(ctx, repo, "refs/tags", tags: true);
                return;
            case "compare" when api && rest.Length >= 2:
                await CompareAsync(ctx, repo, string.Join('/', rest.Skip(1)));
                return;
            case "zipball" when rest.Length >= 2:
                await RedirectToArchiveAsync(ctx, repo, string.Join('/', rest.Skip(1)));
                return;
        }
        await NotFound(ctx);
    }

    private static string? Bearer(HttpContext ctx)
    {
        var value = ctx.Request.Headers.Authorization.ToString();
        if (value.StartsWith("token ", StringComparison.OrdinalIgnoreCase)) return value.Substring(6);
        if (value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return value.Substring(7);
        return value.Length == 0 ? null : value;
    }

    private Repo? Find(string owner, string name) => _repos.TryGetValue($"{owner}/{name}", out var r) ? r : null;

    private async Task ListAsync(HttpContext ctx, Repo repo, string prefix, bool tags)
    {
        var perPage = int.TryParse(ctx.Request.Query["per_page"], out var pp) ? Math.Clamp(pp, 1, 100) : 30;
        var page = int.TryParse(ctx.Request.Query["page"], out var p) ? Math.Max(1, p) : 1;
        var lines = GitCli.Run(repo.Git.Path, "for-each-ref", "--format=%(refname:strip=2) %(objectname) %(*objectname)", prefix)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var items = lines.Select(l => l.Split(' ')).Select(f => (Name: f[0], Sha: f.Length > 2 && f[2].Length > 0 ? f[2] : f[1])).ToList();
        var pageItems = items.Skip((page - 1) * perPage).Take(perPage).ToList();
        var last = Math.Max(1, (items.Count + perPage - 1) / perPage);
        var self = $"{ApiUrl}{ctx.Request.Path.Value!.Substring(4)}";
        var links = new List<string>();
        if (page < last) links.Add($"<{self}?per_page={perPage}&page={page + 1}>; rel=\"next\"");
        links.Add($"<{self}?per_page={perPage}&page={last}>; rel=\"last\"");
        ctx.Response.Headers["Link"] = string.Join(", ", links);
        object payload = tags
            ? pageItems.Select(i => new { name = i.Name, commit = new { sha = i.Sha, url = $"{ApiUrl}/repos/{repo.Owner}/{repo.Name}/commits/{i.Sha}" }, zipball_url = "", tarball_url = "", node_id = "T" }).ToList()
            : pageItems.Select(i => new { name = i.Name, commit = new { sha = i.Sha, url = $"{ApiUrl}/repos/{repo.Owner}/{repo.Name}/commits/{i.Sha}" }, @protected = false }).ToList();
        await Json(ctx, payload);
    }

    private async Task CompareAsync(HttpContext ctx, Repo repo, string spec)
    {
        var dots = spec.IndexOf("...", StringComparison.Ordinal);
        if (dots < 0) { await NotFound(ctx); return; }
        var baseSha = Resolve(repo, spec.Substring(0, dots));
        var headSha = Resolve(repo, spec.Substring(dots + 3));
        if (baseSha is null || headSha is null) { await NotFound(ctx); return; }
        string status;
        if (baseSha == headSha) status = "identical";
        else if (IsAncestor(repo, headSha, baseSha)) status = "behind";
        else if (IsAncestor(repo, baseSha, headSha)) status = "ahead";
        else status = "diverged";
        var mergeBase = GitCli.Run(repo.Git.Path, "merge-base", baseSha, headSha).Trim();
        await Json(ctx, new
        {
            status, ahead_by = 0, behind_by = 0, total_commits = 0,
            base_commit = new { sha = baseSha }, merge_base_commit = new { sha = mergeBase },
            commits = Array.Empty<object>(), files = Array.Empty<object>(),
            url = "", html_url = "", permalink_url = "", diff_url = "", patch_url = "",
        });
    }

    private static bool IsAncestor(Repo repo, string ancestor, string of) =>
        GitCli.TryRun(repo.Git.Path, null, "merge-base", "--is-ancestor", ancestor, of).Code == 0;

    private static string? Resolve(Repo repo, string @ref)
    {
        var (code, output, _) = GitCli.TryRun(repo.Git.Path, null, "rev-parse", "--verify", "-q", @ref + "^{commit}");
        return code == 0 ? output.Trim() : null;
    }

    private async Task RedirectToArchiveAsync(HttpContext ctx, Repo repo, string @ref)
    {
        if (!@ref.StartsWith("refs/", StringComparison.Ordinal)
            && Resolve(repo, "refs/heads/" + @ref) is not null && Resolve(repo, "refs/tags/" + @ref) is not null)
        {
            ctx.Response.StatusCode = 300; // GitHub: the name is both a branch and a tag
            return;
        }
        var sha = Resolve(repo, @ref);
        if (sha is null) { await NotFound(ctx); return; }
        ctx.Response.StatusCode = 302;
        ctx.Response.Headers.Location = $"http://127.0.0.1:{_archivePort}/zip/{repo.Owner}/{repo.Name}/{sha}";
    }

    private async Task ServeArchiveAsync(HttpContext ctx)
    {
        var parts = (ctx.Request.Path.Value ?? "").Trim('/').Split('/');
        if (parts.Length != 4 || parts[0] != "zip") { await NotFound(ctx); return; }
        var repo = Find(parts[1], parts[2]);
        if (repo is null) { await NotFound(ctx); return; }
        if (ArchiveDelay > TimeSpan.Zero) await Task.Delay(ArchiveDelay, ctx.RequestAborted);
        if (Interlocked.Decrement(ref FailArchiveRequests) >= 0) { ctx.Response.StatusCode = 500; return; }

        byte[]? overrideBytes = ArchiveOverrides.TryGetValue($"{repo.Owner}/{repo.Name}", out var o) ? o : null;
        var file = overrideBytes is null ? ZipFor(repo, parts[3]) : null;
        var length = overrideBytes?.LongLength ?? new FileInfo(file!).Length;
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "application/zip";
        ctx.Response.ContentLength = length;
        ctx.Response.Headers.ContentDisposition = $"attachment; filename={repo.Owner}-{repo.Name}-{parts[3][..7]}.zip";

        await using Stream body = overrideBytes is null ? File.OpenRead(file!) : new MemoryStream(overrideBytes);
        var truncate = Interlocked.Decrement(ref TruncateArchives) >= 0;
        var stall = Interlocked.Decrement(ref StallArchives) >= 0;
        if (truncate || stall)
        {
            var half = new byte[length / 2];
            await body.ReadExactlyAsync(half);
            await ctx.Response.Body.WriteAsync(half);
            await ctx.Response.Body.FlushAsync();
            if (truncate)
            {
                await Task.Delay(100); // let the half reach the client before the reset
                ctx.Abort();
                return;
            }
            await Task.Delay(StallTime, ctx.RequestAborted);
        }
        await body.CopyToAsync(ctx.Response.Body, ctx.RequestAborted);
    }

    /// <summary>The archive of one commit, as GitHub names its top folder (owner-repo-shortsha/), built once.</summary>
    private string ZipFor(Repo repo, string sha) =>
        _zipCache.GetOrAdd($"{repo.Owner}/{repo.Name}/{sha}", _ =>
        {
            var file = Path.Combine(_zipFolder, $"{repo.Owner}-{repo.Name}-{sha}.zip");
            GitCli.Run(repo.Git.Path, "archive", "--format=zip", $"--prefix={repo.Owner}-{repo.Name}-{sha[..7]}/", "-o", file, sha);
            return file;
        });

    private static Task NotFound(HttpContext ctx) => Json(ctx, new { message = "Not Found", documentation_url = "https://docs.github.com/rest" }, 404);

    private static async Task Json(HttpContext ctx, object value, int status = 200)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/json; charset=utf-8";
        await ctx.Response.WriteAsync(JsonSerializer.Serialize(value));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
