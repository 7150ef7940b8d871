using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Management.Automation;
using TorchHub.Downloads;
using TorchHub.Repositories;
using TorchHub.Tests.Engine.Downloads;
using TorchHub.Tests.Hosting;
using TorchHub.Tests.Servers;
using Xunit;

namespace TorchHub.Tests.PowerShell;

/// <summary>
/// The HTTP layer's rules seen through the cmdlets (Save-HubFile, Save-HubRepository): the same
/// rules the engine tests check in Engine/Http, reached the way a user reaches them.
/// </summary>
public sealed class HttpRulesCmdletTests : DownloadTestBase
{
    private const string SaveFile = ",TorchHub.PowerShell.Commands.SaveHubFileCommand";
    private const string SaveRepository = ",TorchHub.PowerShell.Commands.SaveHubRepositoryCommand";

    public HttpRulesCmdletTests()
    {
        SetEnvironment("TORCHHUB_RETRY_DELAY_MS", "10");
        SetEnvironment("TORCHHUB_HTTP_TIMEOUT", "5");
        SetEnvironment("TORCHHUB_OFFLINE", null);
        SetEnvironment("GITHUB_TOKEN", null);
        SetEnvironment("GITHUB_API_URL", null);
        SetEnvironment("GITHUB_SERVER_URL", null);
    }

    private static Dictionary<string, object?> Vars(params (string, object?)[] pairs) => pairs.ToDictionary(p => p.Item1, p => p.Item2);

    /// <summary>A GitHub zipball as the web root serves it: one top folder holding hubconf.py.</summary>
    private static byte[] Zipball() => new ZipBuilder()
        .Add("acme-zoo-0123456/", "")
        .Add("acme-zoo-0123456/hubconf.py", "dependencies = []\n\ndef model():\n    \"\"\"A model.\"\"\"\n")
        .Add("acme-zoo-0123456/weights.txt", Convert.ToBase64String(FileServer.RandomBytes(200_000))) // does not compress: the archive is large
        .ToArray();

    [Fact]
    public async System.Threading.Tasks.Task ArchiveRedirectFromHttpsToHttp_IsRefused()
    {
        await using var secure = await FileServer.StartAsync(certificate: TestCertificates.Loopback);
        Server.Add("zip/acme/zoo", Zipball(), "application/zip");
        secure.Redirect("acme/zoo/zipball/v1", Server.Url("zip/acme/zoo"));
        SetEnvironment("GITHUB_SERVER_URL", secure.BaseUrl);
        using var ps = new PowerShellSession();
        var error = Assert.Single(ps.Run("Save-HubRepository acme/zoo:v1 -TrustRepo -SkipValidation").AllErrors);
        Assert.Equal("InsecureRedirect" + SaveRepository, error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.SecurityError, error.CategoryInfo.Category);
        Assert.Equal(0, Server.RequestCount("zip/acme/zoo"));
        Assert.False(Directory.Exists(Path.Combine(HubDir, "acme_zoo_v1")));
    }

    [Fact]
    public async System.Threading.Tasks.Task FileRedirectFromHttpsToHttp_IsRefused()
    {
        await using var secure = await FileServer.StartAsync(certificate: TestCertificates.Loopback);
        Server.Add("w.pth", new byte[100]);
        secure.Redirect("w.pth", Server.Url("w.pth"));
        using var ps = new PowerShellSession();
        var error = Assert.Single(ps.Run("Save-HubFile $u", Vars(("u", secure.Url("w.pth")))).AllErrors);
        Assert.Equal("InsecureRedirect" + SaveFile, error.FullyQualifiedErrorId);
        Assert.Equal(0, Server.RequestCount("w.pth"));
    }

    [Fact]
    public async System.Threading.Tasks.Task Token_NeverGoesToARedirectTargetOnAnotherHost_NorToAnotherPort()
    {
        await using var cdn = await FileServer.StartAsync("127.0.0.2");
        await using var otherPort = await FileServer.StartAsync();
        cdn.Add("asset.pth", new byte[100]);
        otherPort.Add("mirror.pth", new byte[100]);
        Server.Redirect("releases/download/v1/asset.pth", cdn.Url("asset.pth"));
        SetEnvironment("GITHUB_TOKEN", "secret-token");
        SetEnvironment("GITHUB_SERVER_URL", Server.BaseUrl); // this server plays github.com
        using var ps = new PowerShellSession();
        ps.Run("Save-HubFile $a, $b -Destination $d", Vars(("a", Server.Url("releases/download/v1/asset.pth")), ("b", otherPort.Url("mirror.pth")), ("d", Temp.Combine("o") + "/"))).ThrowIfFailed();
        Assert.Equal("Bearer secret-token", Server.Requests.Single().Authorization);
        Assert.Equal("", cdn.Requests.Single().Authorization);
        Assert.Equal("", otherPort.Requests.Single().Authorization);
    }

    [Fact]
    public void Offline_UncachedCheckpoint_IsAClearError_WithZeroRequests()
    {
        Server.Add("w/resnet.pth", new byte[100]);
        SetEnvironment("TORCHHUB_OFFLINE", "1");
        using var ps = new PowerShellSession();
        var error = Assert.Single(ps.Run("Save-HubFile $u", Vars(("u", Server.Url("w/resnet.pth")))).AllErrors);
        Assert.Equal("OfflineCacheMiss" + SaveFile, error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ResourceUnavailable, error.CategoryInfo.Category);
        Assert.Contains("TORCHHUB_OFFLINE", error.Exception.Message);
        Assert.Empty(Server.Requests);
    }

    [Fact]
    public void HttpTimeout_IsHonouredBySaveHubFile()
    {
        var f = Server.Add("stall.pth", FileServer.RandomBytes(300_000));
        f.CutAfter = 100_000;
        f.CutMode = CutMode.Stall;
        f.CutTimes = -1;
        f.IgnoreRange = true; // every attempt stalls at the same byte: no progress, so the budget runs out
        SetEnvironment("TORCHHUB_HTTP_TIMEOUT", "0.5");
        SetEnvironment("TORCHHUB_HTTP_RETRIES", "1");
        using var ps = new PowerShellSession();
        var clock = Stopwatch.StartNew();
        var error = Assert.Single(ps.Run("Save-HubFile $u", Vars(("u", Server.Url("stall.pth")))).AllErrors);
        Assert.Equal("DownloadStalled" + SaveFile, error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.OperationTimeout, error.CategoryInfo.Category);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(6), $"took {clock.Elapsed}");
        Assert.Equal(2, Server.RequestCount("stall.pth")); // 1 + TORCHHUB_HTTP_RETRIES
    }

    [Fact]
    public void RetryAfter_IsHonouredBySaveHubFile()
    {
        var f = Server.Add("busy.pth", new byte[100]);
        f.FailFirst = 1;
        f.FailStatus = 503;
        f.RetryAfter = "1";
        using var ps = new PowerShellSession();
        var clock = Stopwatch.StartNew();
        var r = ps.Run("Save-HubFile $u", Vars(("u", Server.Url("busy.pth")))).ThrowIfFailed();
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.9), $"took {clock.Elapsed}");
        // The wait is announced as a warning (no -Verbose needed), with the server's delay.
        var warning = Assert.Single(r.Warnings);
        Assert.Contains("attempt 1 of ", warning);
        Assert.Contains("503", warning);
        Assert.EndsWith("next try in 1.0 s.", warning);
    }

    [Fact]
    public void PasswordInTheUrl_IsNeverEchoed_NorStored()
    {
        Server.Add("w/secret.pth", new byte[100]);
        var url = Server.Url("w/secret.pth").Replace("http://", "http://me:hunter2-pw@", StringComparison.Ordinal);
        using var ps = new PowerShellSession();
        var r = ps.Run("Save-HubFile $u -Verbose", Vars(("u", url))).ThrowIfFailed();
        Assert.NotEmpty(r.Verbose);
        Assert.DoesNotContain(r.Verbose, v => v.Contains("hunter2-pw", StringComparison.Ordinal));
        foreach (var json in Directory.GetFiles(Path.Combine(Checkpoints, ".torchhub"), "*.json"))
            Assert.DoesNotContain("hunter2-pw", File.ReadAllText(json));
        // The same file from the URL without the password is the same source (no name clash).
        Assert.True(ps.Run("Save-HubFile $u", Vars(("u", Server.Url("w/secret.pth")))).ThrowIfFailed().Objects<HubFile>().Single().FromCache);
    }

    [Fact]
    public void InterruptedArchiveDownload_ResumesFromItsPartial()
    {
        var f = Server.Add("acme/zoo/zipball/v1", Zipball(), "application/zip");
        f.CutAfter = 60_000;
        f.CutTimes = 1;
        SetEnvironment("GITHUB_SERVER_URL", Server.BaseUrl);
        SetEnvironment("TORCHHUB_HTTP_RETRIES", "0"); // the first run gives up, as a killed one would
        using var ps = new PowerShellSession();
        var error = Assert.Single(ps.Run("Save-HubRepository acme/zoo:v1 -TrustRepo -SkipValidation").AllErrors);
        Assert.Equal("DownloadIncomplete" + SaveRepository, error.FullyQualifiedErrorId);
        var partial = Path.Combine(HubDir, ".torchhub", "tmp", "acme_zoo_v1.zip.partial");
        Assert.True(new FileInfo(partial).Length > 0);

        var repo = ps.Run("Save-HubRepository acme/zoo:v1 -TrustRepo -SkipValidation -Verbose").ThrowIfFailed();
        Assert.True(File.Exists(Path.Combine(repo.Objects<HubRepository>().Single().Directory, "hubconf.py")));
        var resumed = Server.Requests.Where(r => r.Path == "/acme/zoo/zipball/v1").Last();
        Assert.StartsWith("bytes=", resumed.Range);
        Assert.NotEqual("bytes=0-", resumed.Range);
        Assert.Equal(f.ETag, resumed.IfRange);
        Assert.Contains(repo.Verbose, v => v.Contains("resumed", StringComparison.Ordinal));
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(HubDir, ".torchhub", "tmp")));
    }
}
