using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using TorchHub.Repositories;
using TorchHub.Tests.Hosting;
using TorchHub.Tests.Servers;
using Xunit;

namespace TorchHub.Tests.PowerShell;

/// <summary>Rate limits, 5xx, truncated and stalled transfers, interrupted replacement.</summary>
public sealed class GitHubFaultTests : GitHubTestBase
{
    public GitHubFaultTests(GitHubFixture fixture) : base(fixture) { }

    [Fact]
    public void RateLimit_SaysSo_WithResetTimeAndTokenHint()
    {
        Server.RateLimitApiRequests = 100;
        using var ps = new PowerShellSession();
        var error = Assert.Single(ps.Run("Save-HubRepository acme/zoo:v1 -TrustRepo").AllErrors);
        Assert.Equal("GitHubRateLimited" + Fqid, error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.LimitsExceeded, error.CategoryInfo.Category);
        Assert.Contains("rate limit", error.Exception.Message);
        Assert.Contains("resets at", error.Exception.Message);
        Assert.Contains("(in 17 min)", error.Exception.Message);
        Assert.Contains("GITHUB_TOKEN", error.Exception.Message);
        Assert.Equal(1, Server.ApiRequestCount); // a rate limit is not retried
        Assert.False(Directory.Exists(CacheFolder("acme_zoo_v1")));
    }

    [Fact]
    public void ServerErrors_AreRetried()
    {
        Server.FailArchiveRequests = 2;
        using var ps = new PowerShellSession();
        var result = ps.Run("Save-HubRepository acme/zoo:v1 -TrustRepo -SkipValidation").ThrowIfFailed();
        Assert.False(result.Objects<HubRepository>().Single().FromCache);
        Assert.Equal(3, Server.ArchiveRequestCount);
        // Each retry is a warning, counted from attempt 1 of 6 (the budget is 5 retries).
        Assert.Equal(["attempt 1 of 6", "attempt 2 of 6"], result.Warnings.Select(w => System.Text.RegularExpressions.Regex.Match(w, "attempt \\d of \\d").Value));
    }

    [Fact]
    public void PersistentServerErrors_FailClearly_AndLeaveNothing()
    {
        Server.FailArchiveRequests = 100;
        using var ps = new PowerShellSession();
        var error = Assert.Single(ps.Run("Save-HubRepository acme/zoo:v1 -TrustRepo -SkipValidation").AllErrors);
        // The archive goes through the downloader: its ids, its retry budget (the one HTTP policy: 5 retries).
        Assert.Equal("DownloadHttpError" + Fqid, error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ResourceUnavailable, error.CategoryInfo.Category);
        Assert.Contains("500", error.Exception.Message);
        Assert.Equal(6, Server.ArchiveRequestCount); // 1 + 5 retries
        Assert.False(Directory.Exists(CacheFolder("acme_zoo_v1")));
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(HubDir, ".torchhub", "tmp")));
    }

    [Fact]
    public void TruncatedTransfer_IsRetried()
    {
        Server.TruncateArchives = 1;
        using var ps = new PowerShellSession();
        var repo = ps.Run("Save-HubRepository acme/zoo:v2 -TrustRepo -SkipValidation").ThrowIfFailed().Objects<HubRepository>().Single();
        Assert.True(File.Exists(Path.Combine(repo.Directory, "pkg", "util.py")));
        Assert.Equal(2, Server.ArchiveRequestCount);
    }

    [Fact]
    public void InterruptedForcedDownload_KeepsTheOldFolderIntact()
    {
        using var ps = new PowerShellSession();
        var repo = ps.Run("Save-HubRepository acme/zoo:v2 -TrustRepo").ThrowIfFailed().Objects<HubRepository>().Single();
        var before = Directory.GetFiles(repo.Directory, "*", SearchOption.AllDirectories).Order().ToArray();

        Server.TruncateArchives = 100;
        var error = Assert.Single(ps.Run("Save-HubRepository acme/zoo:v2 -Force -SkipValidation").AllErrors);
        Assert.Equal("DownloadIncomplete" + Fqid, error.FullyQualifiedErrorId);
        Assert.Equal(before, Directory.GetFiles(repo.Directory, "*", SearchOption.AllDirectories).Order().ToArray());
        Assert.Contains("model_v2", File.ReadAllText(Path.Combine(repo.Directory, "hubconf.py")));
        // Only the archive's resumable partial stays (the next run continues it); no extraction leftovers.
        Assert.All(Directory.GetFileSystemEntries(Path.Combine(HubDir, ".torchhub", "tmp")).Select(Path.GetFileName),
            name => Assert.StartsWith("acme_zoo_v2.zip.partial", name));
    }

    [Fact]
    public void StalledTransfer_TimesOut()
    {
        SetEnvironment("TORCHHUB_HTTP_TIMEOUT", "0.5");
        Server.StallArchives = 100;
        Server.StallTime = TimeSpan.FromSeconds(3);
        using var ps = new PowerShellSession();
        var started = DateTime.UtcNow;
        var error = Assert.Single(ps.Run("Save-HubRepository acme/zoo:v1 -TrustRepo -SkipValidation").AllErrors);
        Assert.Equal("DownloadStalled" + Fqid, error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.OperationTimeout, error.CategoryInfo.Category);
        Assert.Contains("TORCHHUB_HTTP_TIMEOUT", error.Exception.Message);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(8));
        Assert.False(Directory.Exists(CacheFolder("acme_zoo_v1")));
    }

    [Fact]
    public void SlowButSteadyServer_IsNotATimeout()
    {
        SetEnvironment("TORCHHUB_HTTP_TIMEOUT", "2");
        Server.ArchiveDelay = TimeSpan.FromMilliseconds(700);
        Server.StallArchives = 1;
        Server.StallTime = TimeSpan.FromMilliseconds(700);
        using var ps = new PowerShellSession();
        ps.Run("Save-HubRepository acme/zoo:v1 -TrustRepo -SkipValidation").ThrowIfFailed();
        Assert.Equal(1, Server.ArchiveRequestCount);
    }

    [Fact]
    public void MissingRepository_IsObjectNotFound_WithTheTokenHint()
    {
        using var ps = new PowerShellSession();
        var error = Assert.Single(ps.Run("Save-HubRepository acme/nothing-here -TrustRepo").AllErrors);
        Assert.Equal("GitHubRepositoryNotFound" + Fqid, error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Contains("GITHUB_TOKEN", error.Exception.Message);
    }

    [Fact]
    public void UnreachableServer_IsAConnectionError()
    {
        SetEnvironment("GITHUB_API_URL", "http://127.0.0.1:9/api");
        SetEnvironment("GITHUB_SERVER_URL", "http://127.0.0.1:9/");
        SetEnvironment("TORCHHUB_RETRY_DELAY_MS", "1");
        using var ps = new PowerShellSession();
        var error = Assert.Single(ps.Run("Save-HubRepository acme/zoo:v1 -TrustRepo").AllErrors);
        Assert.Equal("GitHubRequestFailed" + Fqid, error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ConnectionError, error.CategoryInfo.Category);
    }

    [Fact]
    public void StoppingTheCommand_CancelsTheDownload_AndLeavesNothing()
    {
        Server.StallArchives = 1;
        Server.StallTime = TimeSpan.FromSeconds(30);
        using var session = new PowerShellSession();
        using var ps = System.Management.Automation.PowerShell.Create();
        ps.Runspace = session.Runspace;
        ps.AddScript("Save-HubRepository acme/zoo:v1 -TrustRepo -SkipValidation");
        var pending = ps.BeginInvoke();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (Server.ArchiveRequestCount == 0 && DateTime.UtcNow < deadline) System.Threading.Thread.Sleep(50);
        System.Threading.Thread.Sleep(300);

        var watch = System.Diagnostics.Stopwatch.StartNew();
        ps.Stop(); // Ctrl+C
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"stopping took {watch.Elapsed}");
        Assert.Equal(PSInvocationState.Stopped, ps.InvocationStateInfo.State);
        Assert.True(pending.IsCompleted);
        Assert.False(Directory.Exists(CacheFolder("acme_zoo_v1")));
        // What arrived before Ctrl+C is kept to resume; nothing else.
        Assert.All(Directory.GetFileSystemEntries(Path.Combine(HubDir, ".torchhub", "tmp")).Select(Path.GetFileName),
            name => Assert.StartsWith("acme_zoo_v1.zip.partial", name));
    }
}
