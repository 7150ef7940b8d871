using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using TorchHub.Cache;
using TorchHub.Tests.Hosting;
using TorchHub.Tests.Servers;
using Xunit;

namespace TorchHub.Tests.PowerShell;

/// <summary>Get-HubCache's rows (spec and commit of what TorchHub fetched) and Remove-HubCache against real fetches.</summary>
public sealed class HubCacheCmdletTests : GitHubTestBase
{
    private const string Cmd = "TorchHub.PowerShell.Commands.RemoveHubCacheCommand";

    public HubCacheCmdletTests(GitHubFixture fixture) : base(fixture) { }

    [Fact]
    public void TrustedOwnerFetchedWithARef_IsListedWithItsSpecAndFullCommit()
    {
        using var ps = new PowerShellSession();
        ps.Run("Save-HubRepository pytorch/tiny:main; Save-HubRepository acme/zoo:v1 -TrustRepo; Save-HubRepository acme/zoo:v2 -SkipValidation").ThrowIfFailed();
        Server.ResetCounts();

        var rows = ps.Run("Get-HubCache -Kind Repository").ThrowIfFailed().Objects<CachedRepository>();
        Assert.Equal(0, Server.TotalRequestCount);
        var tiny = rows.Single(r => r.FolderName == "pytorch_tiny_main");
        Assert.Equal(("pytorch/tiny", "pytorch/tiny:main"), (tiny.Repository, tiny.Spec)); // no trusted_list line, still named
        Assert.Matches("^[0-9a-f]{40}$", tiny.Commit);
        Assert.Equal(Fixture.ZooV1, rows.Single(r => r.FolderName == "acme_zoo_v1").Commit);     // from validation
        Assert.Equal(Fixture.ZooV2, rows.Single(r => r.FolderName == "acme_zoo_v2").Commit);     // from the archive's comment
        Assert.All(rows, r => Assert.True(r.Size > 0));
    }

    [Fact]
    public void RemoveByName_WhatIfFirst_ThenReportsWhatItFreed()
    {
        using var ps = new PowerShellSession();
        ps.Run("Save-HubRepository acme/zoo:v1 -TrustRepo; Save-HubRepository acme/zoo:v2").ThrowIfFailed();

        ps.Run("Remove-HubCache -Name acme_zoo_v* -WhatIf").ThrowIfFailed();
        Assert.True(Directory.Exists(CacheFolder("acme_zoo_v1")));

        var freed = ps.Run("Remove-HubCache -Name acme_zoo_v1 -Confirm:$false").ThrowIfFailed().Objects<CacheRemoval>().Single();
        Assert.Equal((CacheEntryKind.Repository, CacheRemovalOutcome.Removed), (freed.Kind, freed.Outcome));
        Assert.True(freed.FreedBytes > 0);
        Assert.False(Directory.Exists(CacheFolder("acme_zoo_v1")));

        var piped = ps.Run("Get-HubCache acme/zoo | Remove-HubCache -Confirm:$false").ThrowIfFailed().Objects<CacheRemoval>();
        Assert.Equal("acme_zoo_v2", piped.Single().FileName);
        Assert.Empty(ps.Run("Get-HubCache -Kind Repository").ThrowIfFailed().Output);

        var none = ps.Run("Remove-HubCache -Confirm:$false");
        Assert.Equal("CacheSelectorRequired," + Cmd, none.AllErrors.Single().FullyQualifiedErrorId);
    }

    [Fact]
    public void AFolderAnotherProcessIsFetching_IsSkippedWithAWarning()
    {
        using var ps = new PowerShellSession();
        ps.Run("Save-HubRepository acme/zoo:v1 -TrustRepo").ThrowIfFailed();
        Server.ResetCounts();
        Server.ArchiveDelay = TimeSpan.FromSeconds(4);

        // A real second process re-fetches (force) and holds the folder's lock meanwhile.
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(TestProcessDll);
        start.ArgumentList.Add(HubDir);
        start.ArgumentList.Add("acme/zoo:v1");
        start.ArgumentList.Add("force");
        using var child = Process.Start(start)!;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (Server.ArchiveRequestCount == 0 && DateTime.UtcNow < deadline) Thread.Sleep(50);
        Assert.True(Server.ArchiveRequestCount > 0, "the child never asked for the archive");

        var result = ps.Run("Remove-HubCache -Repository acme/zoo:v1 -Confirm:$false").ThrowIfFailed();
        Assert.Empty(result.Output);
        Assert.Contains(result.Warnings, w => w.Contains("another process holds its lock", StringComparison.Ordinal));
        Assert.True(child.WaitForExit(60_000));
        Assert.Equal(0, child.ExitCode);
        Assert.True(File.Exists(Path.Combine(CacheFolder("acme_zoo_v1"), "hubconf.py")));
    }

    private static string TestProcessDll
    {
        get
        {
            var tfm = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            return Path.Combine(RepoPaths.Root, "tests", "TorchHub.TestProcess", "bin", tfm.Parent!.Name, tfm.Name, "TorchHub.TestProcess.dll");
        }
    }
}
