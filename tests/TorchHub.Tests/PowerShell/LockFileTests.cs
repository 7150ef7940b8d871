using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using TorchHub.Cache;
using TorchHub.Tests.Hosting;
using TorchHub.Tests.Servers;
using Xunit;

namespace TorchHub.Tests.PowerShell;

/// <summary>
/// torchhub.lock.json: Save-HubRepository/Save-HubFile -LockFile record, Restore-HubCache reproduces
/// the cache in other hub directories (a second run sends no request), Export-HubLockFile composes.
/// </summary>
public sealed class LockFileTests : GitHubTestBase
{
    private const string Restore = "TorchHub.PowerShell.Commands.RestoreHubCacheCommand";
    private readonly FileServer _files;
    private readonly byte[] _weights = FileServer.RandomBytes(300_000, seed: 7);

    public LockFileTests(GitHubFixture fixture) : base(fixture)
    {
        _files = FileServer.StartAsync().GetAwaiter().GetResult();
        _files.Add("models/tiny-net.pth", _weights);
        SetEnvironment("TORCHHUB_DOWNLOAD_RETRY_DELAY_MS", "10");
    }

    public override void Dispose()
    {
        _files.DisposeAsync().AsTask().GetAwaiter().GetResult();
        base.Dispose();
    }

    private string LockPath => Temp.Combine("torchhub.lock.json");

    private Dictionary<string, object?> Vars => new() { ["lock"] = LockPath, ["url"] = _files.Url("models/tiny-net.pth") };

    private void Prefetch(PowerShellSession ps) =>
        ps.Run("Save-HubRepository acme/zoo:v1 -TrustRepo -LockFile $lock; Save-HubRepository acme/zoo:feature/x -LockFile $lock; " +
               "Save-HubFile $url -LockFile $lock", Vars).ThrowIfFailed();

    [Fact]
    public void Prefetch_WritesAVersionedLockFile_AndRestoreReproducesIt_ThenSendsNothing()
    {
        using var ps = new PowerShellSession();
        Prefetch(ps);
        using (var json = JsonDocument.Parse(File.ReadAllText(LockPath)))
        {
            var root = json.RootElement;
            Assert.Equal(1, root.GetProperty("schemaVersion").GetInt32());
            var repos = root.GetProperty("repositories").EnumerateArray().Select(r => (r.GetProperty("spec").GetString()!, r.GetProperty("commit").GetString()!)).ToList();
            Assert.Equal(new[] { ("acme/zoo:feature/x", Fixture.ZooFeature), ("acme/zoo:v1", Fixture.ZooV1) }, repos);
            var file = root.GetProperty("files").EnumerateArray().Single();
            Assert.Equal((_files.Url("models/tiny-net.pth"), "tiny-net.pth", FileServer.Sha256(_weights)),
                (file.GetProperty("url").GetString(), file.GetProperty("fileName").GetString(), file.GetProperty("sha256").GetString()));
        }

        var node = Temp.Combine("node1");
        Server.ResetCounts();
        var first = ps.Run($"Set-HubDirectory '{node}'; Restore-HubCache $lock", Vars).ThrowIfFailed().Objects<RestoredEntry>();
        Assert.Equal(new[] { RestoreOutcome.Added, RestoreOutcome.Added, RestoreOutcome.Added }, first.Select(e => e.Outcome));
        Assert.Equal(2, Server.ArchiveRequestCount);
        Assert.Equal(0, Server.ApiRequestCount); // the commit's archive: no ref validation, no branch lookups
        Assert.Equal(Fixture.ZooV1, ps.Run("Get-HubCache acme/zoo:v1").ThrowIfFailed().Objects<CachedRepository>().Single().Commit);
        Assert.True(File.Exists(Path.Combine(node, "acme_zoo_feature_x", "feature.txt")));
        Assert.Equal(_weights, File.ReadAllBytes(Path.Combine(node, "checkpoints", "tiny-net.pth")));

        Server.ResetCounts();
        var fileRequests = _files.Requests.Count;
        var second = ps.Run("Restore-HubCache $lock", Vars).ThrowIfFailed().Objects<RestoredEntry>();
        Assert.All(second, e => Assert.Equal(RestoreOutcome.Present, e.Outcome));
        Assert.Equal(3, second.Count);
        Assert.Equal(0, Server.TotalRequestCount);
        Assert.Equal(fileRequests, _files.Requests.Count);
    }

    [Fact]
    public void AMovedBranch_ChangesNothing_AndAnUnreachableCommitIsAClearError()
    {
        // main has moved past v1 since this lock was written: the locked commit is what gets installed.
        File.WriteAllText(LockPath, $$"""
            { "schemaVersion": 1,
              "repositories": [ { "spec": "acme/zoo:main", "commit": "{{Fixture.ZooV1}}" },
                                { "spec": "acme/other:main", "commit": "{{new string('0', 40)}}" } ],
              "files": [] }
            """);
        using var ps = new PowerShellSession();
        var r = ps.Run("Restore-HubCache $lock", Vars);
        Assert.Equal(RestoreOutcome.Added, r.Objects<RestoredEntry>().Single().Outcome);
        Assert.Contains("model_v1", File.ReadAllText(Path.Combine(CacheFolder("acme_zoo_main"), "hubconf.py")));
        var error = r.Errors.Single();
        Assert.Equal("LockedCommitNotFound," + Restore, error.FullyQualifiedErrorId);
        Assert.Contains("no longer reachable", error.Exception.Message);
        Assert.False(Directory.Exists(CacheFolder("acme_other_main")));

        // A folder at another commit is replaced by the locked one.
        Save(ps, "acme/zoo:main", Fixture.ZooV2);
        var replaced = ps.Run("Restore-HubCache $lock -ErrorAction SilentlyContinue", Vars).Objects<RestoredEntry>().Single();
        Assert.Equal(RestoreOutcome.Replaced, replaced.Outcome);
        Assert.Contains("model_v2", File.ReadAllText(Path.Combine(CacheFolder("acme_zoo_main"), "hubconf.py")));
    }

    private void Save(PowerShellSession ps, string spec, string commit) =>
        File.WriteAllText(LockPath, $$"""{ "schemaVersion": 1, "repositories": [ { "spec": "{{spec}}", "commit": "{{commit}}" } ] }""");

    [Fact]
    public void HashDrift_IsRefused_AndWhatIfOnlyListsThePlan()
    {
        var wrong = new string('a', 64);
        File.WriteAllText(LockPath, $$"""{ "schemaVersion": 1, "files": [ { "url": "{{_files.Url("models/tiny-net.pth")}}", "fileName": "tiny-net.pth", "sha256": "{{wrong}}" } ] }""");
        using var ps = new PowerShellSession();

        var plan = ps.Run("Restore-HubCache $lock -WhatIf", Vars).ThrowIfFailed();
        Assert.Empty(plan.Output);
        Assert.Empty(_files.Requests);

        var mismatch = ps.Run("Restore-HubCache $lock", Vars);
        Assert.Equal("HashMismatch," + Restore, mismatch.Errors.Single().FullyQualifiedErrorId);
        Assert.False(File.Exists(Path.Combine(HubDir, "checkpoints", "tiny-net.pth")));

        // A cached file whose hash differs from the lock: drift, unless -Force.
        File.WriteAllText(LockPath, $$"""{ "schemaVersion": 1, "files": [ { "url": "{{_files.Url("models/tiny-net.pth")}}", "fileName": "tiny-net.pth", "sha256": "{{FileServer.Sha256(_weights)}}" } ] }""");
        Directory.CreateDirectory(Path.Combine(HubDir, "checkpoints"));
        File.WriteAllText(Path.Combine(HubDir, "checkpoints", "tiny-net.pth"), "something else");
        var drift = ps.Run("Restore-HubCache $lock", Vars);
        Assert.Equal("LockedFileDrift," + Restore, drift.Errors.Single().FullyQualifiedErrorId);
        Assert.Equal("something else", File.ReadAllText(Path.Combine(HubDir, "checkpoints", "tiny-net.pth")));
        var forced = ps.Run("Restore-HubCache $lock -Force", Vars).ThrowIfFailed().Objects<RestoredEntry>().Single();
        Assert.Equal(RestoreOutcome.Replaced, forced.Outcome);
        Assert.Equal(_weights, File.ReadAllBytes(Path.Combine(HubDir, "checkpoints", "tiny-net.pth")));

        File.WriteAllText(LockPath, """{ "schemaVersion": 2 }""");
        Assert.Equal("InvalidLockFile," + Restore, ps.Run("Restore-HubCache $lock", Vars).AllErrors.Single().FullyQualifiedErrorId);
    }

    [Fact]
    public void GetHubCache_PipedToExportHubLockFile_WritesTheSameLock()
    {
        using var ps = new PowerShellSession();
        Prefetch(ps);
        var exported = Temp.Combine("exported.lock.json");
        var r = ps.Run("Get-HubCache | Export-HubLockFile $out", new Dictionary<string, object?> { ["out"] = exported }).ThrowIfFailed();
        Assert.Equal(exported, r.Objects<FileInfo>().Single().FullName);
        Assert.Equal(File.ReadAllText(LockPath), File.ReadAllText(exported));
    }
}
