using System;
using System.Diagnostics;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Polly;
using TorchHub.Errors;
using TorchHub.Http;
using TorchHub.Tests.Hosting;
using TorchHub.Tests.Servers;
using Xunit;

namespace TorchHub.Tests.Engine.Http;

/// <summary>The rules of the one HTTP layer, each against real local servers (HTTP and HTTPS).</summary>
public sealed class HttpLayerTests : HubTestBase, IAsyncLifetime
{
    private FileServer _server = null!;

    public async Task InitializeAsync()
    {
        SetEnvironment("GITHUB_TOKEN", null);
        SetEnvironment("GITHUB_SERVER_URL", null);
        SetEnvironment("GITHUB_API_URL", null);
        SetEnvironment("TORCHHUB_OFFLINE", null);
        _server = await FileServer.StartAsync();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static HttpOptions Fast => new() { RetryDelay = TimeSpan.FromMilliseconds(10), Timeout = TimeSpan.FromSeconds(2), MaxRetries = 3 };

    private static async Task<HttpResponseMessage> Get(RedirectFollower http, string url)
    {
        var response = await http.SendAsync(new Uri(url), null, CancellationToken.None);
        HttpStatusMapping.EnsureSuccess(response, new Uri(url), http.Options, http.SendsTokenTo(new Uri(url)));
        return response;
    }

    [Fact]
    public async Task RedirectFromHttpsToHttp_IsRefused_AndTheHttpTargetNeverAsked()
    {
        await using var secure = await FileServer.StartAsync(certificate: TestCertificates.Loopback);
        _server.Add("w.pth", new byte[10]);
        secure.Redirect("w.pth", _server.Url("w.pth"));
        secure.Add("ok.pth", new byte[7]);

        using (var ok = await Get(new RedirectFollower(Fast), secure.Url("ok.pth"))) // the HTTPS server itself is fine
            Assert.Equal(7, (await ok.Content.ReadAsByteArrayAsync()).Length);
        var ex = await Assert.ThrowsAsync<HubException>(() => Get(new RedirectFollower(Fast), secure.Url("w.pth")));
        Assert.Equal(HubErrorIds.InsecureRedirect, ex.ErrorId);
        Assert.Equal(HubErrorCategory.SecurityError, ex.Category);
        Assert.Equal(0, _server.RequestCount("w.pth"));
    }

    [Fact]
    public async Task RedirectToANonHttpScheme_AndTooManyRedirects_AreRefused()
    {
        _server.Redirect("ftp", "ftp://127.0.0.1/x");
        var scheme = await Assert.ThrowsAsync<HubException>(() => Get(new RedirectFollower(Fast), _server.Url("ftp")));
        Assert.Equal(HubErrorIds.UnsupportedUriScheme, scheme.ErrorId);

        for (var i = 0; i < 12; i++) _server.Redirect($"loop{i}", _server.Url($"loop{i + 1}"));
        var loop = await Assert.ThrowsAsync<HubException>(() => Get(new RedirectFollower(Fast), _server.Url("loop0")));
        Assert.Equal(HubErrorIds.TooManyRedirects, loop.ErrorId);
        Assert.Equal(RedirectFollower.MaxRedirects + 1, _server.Requests.Count(r => r.Path.StartsWith("/loop", StringComparison.Ordinal)));

        for (var i = 0; i < 10; i++) _server.Redirect($"ten{i}", _server.Url(i == 9 ? "end" : $"ten{i + 1}"));
        _server.Add("end", new byte[3]);
        using var ten = await Get(new RedirectFollower(Fast), _server.Url("ten0")); // exactly 10 hops are fine
        Assert.Equal(3, (await ten.Content.ReadAsByteArrayAsync()).Length);
    }

    [Fact]
    public async Task Token_GoesToTheConfiguredOrigin_NeverToAnotherHostOrPortOrThroughARedirect()
    {
        await using var otherHost = await FileServer.StartAsync("127.0.0.2");
        await using var otherPort = await FileServer.StartAsync();
        otherHost.Add("cdn.bin", new byte[5]);
        otherPort.Add("x.bin", new byte[5]);
        _server.Add("own.bin", new byte[5]);
        _server.Redirect("release.bin", otherHost.Url("cdn.bin"));
        var http = new RedirectFollower(Fast with { Token = "secret-token", TokenOrigins = new[] { new Uri(_server.BaseUrl) } });

        (await Get(http, _server.Url("own.bin"))).Dispose();
        (await Get(http, _server.Url("release.bin"))).Dispose();
        (await Get(http, otherPort.Url("x.bin"))).Dispose();
        Assert.All(_server.Requests, r => Assert.Equal("Bearer secret-token", r.Authorization));
        Assert.Equal("", otherHost.Requests.Single().Authorization);
        Assert.Equal("", otherPort.Requests.Single().Authorization);
    }

    [Fact]
    public void TokenPolicy_PublicGitHubHostsOverHttpsOnly_ConfiguredOriginsWithTheirPort()
    {
        var p = new GitHubTokenPolicy("t", new[] { new Uri("https://ghe.example.com"), new Uri("https://ghe.example.com:8443/api/v3") });
        Assert.True(p.Applies(new Uri("https://github.com/o/r/releases/download/v/x.pth")));
        Assert.True(p.Applies(new Uri("https://codeload.github.com/o/r/zip/main")));
        Assert.True(p.Applies(new Uri("https://api.github.com/repos/o/r")));
        Assert.True(p.Applies(new Uri("https://ghe.example.com/o/r")));
        Assert.True(p.Applies(new Uri("https://ghe.example.com:8443/api/v3/repos")));
        Assert.True(p.Applies(new Uri("https://codeload.ghe.example.com/o/r")));
        Assert.False(p.Applies(new Uri("https://github.com:8443/o/r")));          // another port of GitHub's host
        Assert.False(p.Applies(new Uri("https://ghe.example.com:9000/o/r")));     // another port of the configured host
        Assert.False(p.Applies(new Uri("http://github.com/o/r")));
        Assert.False(p.Applies(new Uri("http://ghe.example.com/o/r")));           // plain HTTP off loopback
        Assert.False(p.Applies(new Uri("https://objects.githubusercontent.com/x")));
        Assert.False(p.Applies(new Uri("https://github.com.evil.example/x")));
        Assert.False(new GitHubTokenPolicy(null).Applies(new Uri("https://github.com/x")));
    }

    [Fact]
    public void TokenSource_IsTheOptionsThenGitHubToken()
    {
        SetEnvironment("GITHUB_TOKEN", "from-env");
        Assert.Equal("from-env", HttpOptions.FromEnvironment().Token);
        Assert.Equal("given", HttpOptions.FromEnvironment("given").Token);
        SetEnvironment("GITHUB_TOKEN", " ");
        Assert.Null(HttpOptions.FromEnvironment().Token);
    }

    [Fact]
    public async Task Offline_SendsNoRequest_AndSaysWhy()
    {
        _server.Add("w.pth", new byte[10]);
        var ex = await Assert.ThrowsAsync<HubException>(() => Get(new RedirectFollower(Fast with { Offline = true }), _server.Url("w.pth")));
        Assert.Equal(HubErrorIds.OfflineCacheMiss, ex.ErrorId);
        Assert.Contains("TORCHHUB_OFFLINE", ex.Message);
        Assert.Empty(_server.Requests);

        SetEnvironment("TORCHHUB_OFFLINE", "1");
        Assert.True(HttpOptions.FromEnvironment().Offline);
    }

    [Fact]
    public async Task NoAnswerWithinTheTimeout_IsATransientStall()
    {
        var f = _server.Add("slow", new byte[10]);
        f.HeaderDelay = TimeSpan.FromSeconds(5);
        var clock = Stopwatch.StartNew();
        var ex = await Assert.ThrowsAsync<TransientException>(() => Get(new RedirectFollower(Fast with { Timeout = TimeSpan.FromMilliseconds(300) }), _server.Url("slow")));
        Assert.Equal(HubErrorIds.DownloadStalled, ex.ErrorId);
        Assert.Contains("TORCHHUB_HTTP_TIMEOUT", ex.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"took {clock.Elapsed}");
    }

    [Fact]
    public void Knobs_ComeFromTheEnvironment_WithTheOldNamesAsAliases()
    {
        SetEnvironment("TORCHHUB_HTTP_TIMEOUT", "7");
        SetEnvironment("TORCHHUB_RETRY_DELAY_MS", "25");
        SetEnvironment("TORCHHUB_HTTP_RETRIES", "2");
        var o = HttpOptions.FromEnvironment();
        Assert.Equal((TimeSpan.FromSeconds(7), TimeSpan.FromMilliseconds(25), 2), (o.Timeout, o.RetryDelay, o.MaxRetries));

        SetEnvironment("TORCHHUB_HTTP_TIMEOUT", null);
        SetEnvironment("TORCHHUB_RETRY_DELAY_MS", null);
        SetEnvironment("TORCHHUB_HTTP_RETRIES", null);
        SetEnvironment("TORCHHUB_DOWNLOAD_STALL_SECONDS", "3");
        SetEnvironment("TORCHHUB_DOWNLOAD_RETRY_DELAY_MS", "40");
        SetEnvironment("TORCHHUB_DOWNLOAD_RETRIES", "1");
        o = HttpOptions.FromEnvironment();
        Assert.Equal((TimeSpan.FromSeconds(3), TimeSpan.FromMilliseconds(40), 1), (o.Timeout, o.RetryDelay, o.MaxRetries));

        SetEnvironment("TORCHHUB_HTTP_TIMEOUT", "nonsense");
        Assert.Equal(TimeSpan.FromSeconds(3), HttpOptions.FromEnvironment().Timeout); // invalid values are ignored
    }

    [Fact]
    public async Task Statuses_MapToOneSetOfOutcomes()
    {
        var http = new RedirectFollower(Fast);
        var notFound = await Assert.ThrowsAsync<HttpStatusException>(() => Get(http, _server.Url("missing")));
        Assert.Equal((404, HubErrorIds.DownloadNotFound, HubErrorCategory.ObjectNotFound), (notFound.Status, notFound.Error.ErrorId, notFound.Error.Category));

        var busy = _server.Add("busy", new byte[1]);
        busy.FailFirst = 100;
        busy.FailStatus = 503;
        Assert.Equal(HubErrorIds.DownloadHttpError, (await Assert.ThrowsAsync<TransientException>(() => Get(http, _server.Url("busy")))).ErrorId);

        var forbidden = _server.Add("forbidden", new byte[1]);
        forbidden.FailFirst = 100;
        forbidden.FailStatus = 403;
        var denied = await Assert.ThrowsAsync<HttpStatusException>(() => Get(http, _server.Url("forbidden")));
        Assert.Equal(HubErrorCategory.PermissionDenied, denied.Error.Category);

        var waitLong = _server.Add("later", new byte[1]);
        waitLong.FailFirst = 100;
        waitLong.FailStatus = 429;
        waitLong.RetryAfter = "3600";
        var limited = await Assert.ThrowsAsync<HttpStatusException>(() => Get(http, _server.Url("later")));
        Assert.Equal(HubErrorCategory.LimitsExceeded, limited.Error.Category); // not waited out, not retried
    }

    [Fact]
    public async Task RetryAfter_IsWaitedOut_InsteadOfTheBackoff()
    {
        var f = _server.Add("429", new byte[4]);
        f.FailFirst = 1;
        f.FailStatus = 429;
        f.RetryAfter = "1";
        var http = new RedirectFollower(Fast);
        var retry = RetryPipeline.Create(http.Options, null, "test");
        var clock = Stopwatch.StartNew();
        using var response = await retry.ExecuteAsync(async ct => await Get(http, _server.Url("429")), CancellationToken.None);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.9), $"retried after {clock.Elapsed}");
        Assert.Equal(2, _server.RequestCount("429"));
    }

    [Fact]
    public async Task RetryBudget_StartsAgain_AfterAnAttemptThatMadeProgress()
    {
        var options = Fast with { MaxRetries = 2, RetryDelay = TimeSpan.FromMilliseconds(1) };
        var attempts = 0;
        // Ten failures in a row, each after new bytes: a long download over a flaky link still completes.
        await RetryPipeline.Create(options, null, "progress").ExecuteAsync(_ =>
        {
            if (++attempts <= 10) throw new TransientException(HubErrorIds.DownloadIncomplete, "dropped") { MadeProgress = true };
            return default;
        }, CancellationToken.None);
        Assert.Equal(11, attempts);

        attempts = 0;
        await Assert.ThrowsAsync<TransientException>(async () => await RetryPipeline.Create(options, null, "stuck").ExecuteAsync(_ =>
        {
            attempts++;
            throw new TransientException(HubErrorIds.DownloadIncomplete, "dropped");
        }, CancellationToken.None));
        Assert.Equal(3, attempts); // 1 + 2 retries without progress
    }

    [Fact]
    public void SafeUrl_DropsCredentials_AndTheResumeKeyDropsTheQuery()
    {
        var uri = new Uri("https://user:s3cret@example.com/w/x.pth?sig=abc&exp=1");
        Assert.Equal("https://example.com/w/x.pth?sig=abc&exp=1", SafeUrl.Display(uri));
        Assert.Equal("https://example.com/w/x.pth", SafeUrl.ResumeKey(uri));
        Assert.Equal(SafeUrl.ResumeKey(new Uri("https://example.com/w/x.pth?sig=zzz")), SafeUrl.ResumeKey(uri));
    }
}
