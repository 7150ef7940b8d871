using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using TorchHub.Repositories;
using TorchHub.Tests.Hosting;
using TorchHub.Tests.Servers;
using Xunit;

namespace TorchHub.Tests.Engine.Repositories.GitHub;

/// <summary>
/// Several real processes (tests/TorchHub.TestProcess) and threads fetching into one hub
/// directory: one download per folder, the others wait and reuse it; a killed fetch leaves
/// nothing in the cache and its leftovers are cleaned by the next one.
/// </summary>
public sealed class ConcurrentFetchTests : GitHubTestBase
{
    public ConcurrentFetchTests(GitHubFixture fixture) : base(fixture) { }

    private static string ProcessDll
    {
        get
        {
            // .../tests/TorchHub.Tests/bin/<Configuration>/<tfm>/ → the helper built alongside.
            var tfm = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var configuration = tfm.Parent!.Name;
            return Path.Combine(RepoPaths.Root, "tests", "TorchHub.TestProcess", "bin", configuration, tfm.Name, "TorchHub.TestProcess.dll");
        }
    }

    private Process Start(string spec, params (string Name, string? Value)[] environment) => Start([], spec, environment);

    /// <summary>Starts the helper, through <paramref name="wrapper"/> (a command line that ends by running its arguments) when given.</summary>
    private Process Start(string[] wrapper, string spec, params (string Name, string? Value)[] environment)
    {
        var start = new ProcessStartInfo(wrapper.Length > 0 ? wrapper[0] : "dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var (name, value) in environment) start.Environment[name] = value;
        foreach (var argument in wrapper.Skip(1)) start.ArgumentList.Add(argument);
        if (wrapper.Length > 0) start.ArgumentList.Add("dotnet");
        start.ArgumentList.Add(ProcessDll);
        start.ArgumentList.Add(HubDir);
        start.ArgumentList.Add(spec);
        return Process.Start(start)!;
    }

    private static (int Code, string Output) Finish(Process process)
    {
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(60_000), "the helper process hung");
        return (process.ExitCode, output.Result.Trim() + error.Result.Trim());
    }

    [Fact]
    public void ThreeProcesses_OneDownload_AllGetTheSameFolder()
    {
        Assert.True(File.Exists(ProcessDll), ProcessDll);
        Server.ArchiveDelay = TimeSpan.FromSeconds(1); // make them overlap
        var processes = Enumerable.Range(0, 3).Select(_ => Start("acme/zoo:v2")).ToList();
        var results = processes.Select(Finish).ToList();
        foreach (var (code, output) in results)
        {
            Assert.True(code == 0, output);
            Assert.EndsWith(CacheFolder("acme_zoo_v2"), output);
        }
        Assert.Equal(1, results.Count(r => r.Output.StartsWith("OK False", StringComparison.Ordinal))); // one fetched
        Assert.Equal(2, results.Count(r => r.Output.StartsWith("OK True", StringComparison.Ordinal)));  // two waited and reused
        Assert.Equal(1, Server.ArchiveRequestCount);
        Assert.Equal(1, Server.Requests.Count(r => r.Path == "/api/repos/acme/zoo/branches")); // validated once
        Assert.True(File.Exists(Path.Combine(CacheFolder("acme_zoo_v2"), "pkg", "util.py")));
    }

    [Fact]
    public void KilledFetch_LeavesNoCacheFolder_AndTheNextOneCleansUp()
    {
        Server.StallArchives = 1;
        Server.StallTime = TimeSpan.FromSeconds(30);
        var victim = Start("acme/zoo:v1");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (Server.ArchiveRequestCount == 0 && DateTime.UtcNow < deadline) Thread.Sleep(50);
        Thread.Sleep(500); // half of the archive is in the temporary file
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(HubDir, ".torchhub", "tmp")));
        victim.Kill(entireProcessTree: true);
        victim.WaitForExit();
        Assert.False(Directory.Exists(CacheFolder("acme_zoo_v1")));

        var (code, output) = Finish(Start("acme/zoo:v1"));
        Assert.True(code == 0, output);
        Assert.StartsWith("OK False", output);
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(HubDir, ".torchhub", "tmp")));
    }

    [Fact]
    public async Task DifferentRepositoriesAtTheSameRef_InParallel_DoNotShareTemporaryFiles()
    {
        Server.ArchiveDelay = TimeSpan.FromMilliseconds(300);
        var hub = new Hub();
        var request = new RepositoryRequest { TrustRepo = true };
        var specs = new[] { "acme/zoo:main", "acme/other:main", "acme/many:main", "acme/evil:main" };
        var repos = await Task.WhenAll(specs.Select(s => Task.Run(() => hub.GetRepository(RepoSpec.Parse(s), request))));
        Assert.Contains("model_v2", File.ReadAllText(Path.Combine(repos[0].Directory, "hubconf.py")));
        Assert.Contains("other", File.ReadAllText(Path.Combine(repos[1].Directory, "hubconf.py")));
        Assert.Contains("many", File.ReadAllText(Path.Combine(repos[2].Directory, "hubconf.py")));
        Assert.Contains("evil", File.ReadAllText(Path.Combine(repos[3].Directory, "hubconf.py")));
        Assert.Equal(4, Server.ArchiveRequestCount);
    }

    [Fact]
    public async Task SameRepository_FromThreads_DownloadsOnce()
    {
        Server.ArchiveDelay = TimeSpan.FromMilliseconds(500);
        var hub = new Hub();
        var request = new RepositoryRequest { TrustRepo = true };
        var repos = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => hub.GetRepository(RepoSpec.Parse("acme/zoo:v1"), request))));
        Assert.Single(repos.Select(r => r.Directory).Distinct());
        Assert.Equal(1, repos.Count(r => !r.FromCache));
        Assert.Equal(1, Server.ArchiveRequestCount);
    }

    [Fact]
    public void ProxyFromTheEnvironment_IsUsed()
    {
        // A host that does not resolve, reachable only through the proxy (the stand-in answers
        // absolute-form requests too). HttpClient reads http_proxy once per process: hence a child.
        var (code, output) = Finish(Start("acme/zoo:v1",
            ("GITHUB_API_URL", "http://github.proxied.invalid/api"),
            ("GITHUB_SERVER_URL", "http://github.proxied.invalid"),
            ("http_proxy", Server.ProxyUrl.ToString()),
            ("HTTP_PROXY", null), ("no_proxy", null), ("NO_PROXY", null)));
        Assert.True(code == 0, output);
        Assert.True(File.Exists(Path.Combine(CacheFolder("acme_zoo_v1"), "hubconf.py")));
        var api = Server.Requests.Where(r => !r.ArchiveHost).ToList();
        Assert.NotEmpty(api);
        Assert.All(api, r => Assert.StartsWith("http://github.proxied.invalid/", r.RawTarget));
    }

    /// <summary>
    /// A hub directory the process cannot write (mounted read-only, as a shared cache in a
    /// container image is): the lock file cannot be created, which is an error at once, not
    /// "Waiting for another process" forever. Root ignores file modes, so the folder is made
    /// read-only for real: bubblewrap bind-mounts it read-only for the child alone.
    /// </summary>
    [BubblewrapFact]
    public void ReadOnlyHubDirectory_FailsAtOnceWithLockUnavailable_AndWritesNothing()
    {
        var (seeded, seedOutput) = Finish(Start("acme/zoo:v1")); // a cache with something in it
        Assert.True(seeded == 0, seedOutput);
        var before = Snapshot();
        var archives = Server.ArchiveRequestCount;

        var clock = Stopwatch.StartNew();
        var (code, output) = Finish(Start(["bwrap", "--dev-bind", "/", "/", "--ro-bind", HubDir, HubDir, "--"], "acme/zoo:v2"));
        clock.Stop();

        Assert.Equal(1, code);
        Assert.StartsWith("ERR LockUnavailable ", output);
        Assert.Contains("not another process", output);
        Assert.DoesNotContain("Waiting", output);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
        Assert.Equal(before, Snapshot());                       // nothing written, nothing removed
        Assert.Equal(archives, Server.ArchiveRequestCount);     // nothing downloaded that could not be kept

        // The same folder, writable again, works: the failure left nothing in the way.
        var (again, againOutput) = Finish(Start("acme/zoo:v2"));
        Assert.True(again == 0, againOutput);
    }

    private string[] Snapshot() => HubFiles()
        .Select(p => $"{p} {(File.Exists(p) ? new FileInfo(p).Length : -1)} {File.GetLastWriteTimeUtc(p):O}")
        .Order(StringComparer.Ordinal).ToArray();
}
