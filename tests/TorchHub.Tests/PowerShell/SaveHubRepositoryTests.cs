using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using TorchHub.Repositories;
using TorchHub.Tests.Hosting;
using TorchHub.Tests.Servers;
using Xunit;

namespace TorchHub.Tests.PowerShell;

/// <summary>Save-HubRepository against the GitHub stand-in: fetch, cache, refs, validation, request counts.</summary>
public sealed class SaveHubRepositoryTests : GitHubTestBase
{
    public SaveHubRepositoryTests(GitHubFixture fixture) : base(fixture) { }

    [Fact]
    public void Tag_IsDownloadedExtractedAndTrusted_ThenServedFromCacheWithoutAnyRequest()
    {
        using var ps = new PowerShellSession();
        var first = ps.Run("Save-HubRepository acme/zoo:v1 -TrustRepo -Verbose").ThrowIfFailed();
        var repo = first.Objects<HubRepository>().Single();
        var folder = CacheFolder("acme_zoo_v1");
        Assert.Equal(folder, repo.Directory);
        Assert.False(repo.FromCache);
        Assert.Equal(Fixture.ZooV1, repo.Commit);
        Assert.Equal("v1", repo.Ref);
        Assert.Contains("def model_v1", File.ReadAllText(Path.Combine(folder, "hubconf.py")));
        Assert.Equal(new[] { "acme_zoo" }, File.ReadAllLines(Path.Combine(HubDir, "trusted_list")));
        Assert.Contains(first.Verbose, v => v.StartsWith("Downloading: \"", StringComparison.Ordinal) && v.Contains("/acme/zoo/zipball/v1"));
        Assert.True(Server.ApiRequestCount > 0);    // validation on a miss
        Assert.Equal(1, Server.ArchiveRequestCount);
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(HubDir, ".torchhub", "tmp")));

        Server.ResetCounts();
        var second = ps.Run("Save-HubRepository acme/zoo:v1 -Verbose").ThrowIfFailed();
        var cached = second.Objects<HubRepository>().Single();
        Assert.True(cached.FromCache);
        Assert.Equal(folder, cached.Directory);
        Assert.Contains($"Using cache found in {folder}", second.Verbose);
        Assert.Equal(0, Server.TotalRequestCount);
    }

    [Fact]
    public void NoRef_UsesTheRealDefaultBranch_RemembersIt_AndForceLooksAgain()
    {
        using var ps = new PowerShellSession();
        var repo = ps.Run("Save-HubRepository acme/develop -TrustRepo").ThrowIfFailed().Objects<HubRepository>().Single();
        Assert.Equal(CacheFolder("acme_develop_develop"), repo.Directory); // not torch's main/master guess
        Assert.Equal("develop", repo.Ref);
        Assert.Contains(Server.Requests, r => r.Path == "/api/repos/acme/develop");
        Assert.DoesNotContain(Server.Requests, r => r.Path.Contains("/branches")); // the default branch needs no validation

        Server.ResetCounts();
        var again = ps.Run("Save-HubRepository acme/develop").ThrowIfFailed().Objects<HubRepository>().Single();
        Assert.True(again.FromCache);
        Assert.Equal(0, Server.TotalRequestCount); // torch probes GitHub here on every call

        Server.ResetCounts();
        var forced = ps.Run("Save-HubRepository acme/develop -Force").ThrowIfFailed().Objects<HubRepository>().Single();
        Assert.False(forced.FromCache);
        Assert.Equal(1, Server.ApiRequestCount);
        Assert.Equal(1, Server.ArchiveRequestCount);
    }

    [Fact]
    public void BranchWithSlash_GoesToTorchsFolderName()
    {
        using var ps = new PowerShellSession();
        var repo = ps.Run("Save-HubRepository acme/zoo:feature/x -TrustRepo").ThrowIfFailed().Objects<HubRepository>().Single();
        Assert.Equal(CacheFolder("acme_zoo_feature_x"), repo.Directory);
        Assert.True(File.Exists(Path.Combine(repo.Directory, "feature.txt")));
        Assert.Equal(Fixture.ZooFeature, repo.Commit);
    }

    [Fact]
    public void OlderCommitOfTheRepository_IsAccepted_ThroughCompare()
    {
        using var ps = new PowerShellSession();
        var sha = Fixture.ZooFirst;
        var repo = ps.Run($"Save-HubRepository acme/zoo:{sha} -TrustRepo").ThrowIfFailed().Objects<HubRepository>().Single();
        Assert.Equal(CacheFolder("acme_zoo_" + sha), repo.Directory);
        Assert.True(File.Exists(Path.Combine(repo.Directory, "README.md")));
        Assert.False(File.Exists(Path.Combine(repo.Directory, "hubconf.py")));
        Assert.Contains(Server.Requests, r => r.Path.Contains("/compare/"));
        Assert.Equal(sha, repo.Commit);
    }

    [Fact]
    public void ShortShaOfABranchHead_IsAcceptedLikeTorch()
    {
        using var ps = new PowerShellSession();
        var shortSha = Fixture.ZooV2.Substring(0, 7);
        var repo = ps.Run($"Save-HubRepository acme/zoo:{shortSha} -TrustRepo").ThrowIfFailed().Objects<HubRepository>().Single();
        Assert.Contains("model_v2", File.ReadAllText(Path.Combine(repo.Directory, "hubconf.py")));
        Assert.DoesNotContain(Server.Requests, r => r.Path.Contains("/compare/"));
    }

    [Fact]
    public void ForkCommitServedUnderTheParentsName_IsRefused()
    {
        using var ps = new PowerShellSession();
        var result = ps.Run($"Save-HubRepository acme/zoo:{Fixture.ForkCommit} -TrustRepo");
        var error = Assert.Single(result.AllErrors);
        Assert.Equal("RefNotFound" + Fqid, error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.StartsWith($"Cannot find {Fixture.ForkCommit} in {Server.WebUrl}acme/zoo. If it's a commit from a forked repo", error.Exception.Message);
        Assert.Contains(Server.Requests, r => r.Path.Contains("/compare/")); // it was compared, and found diverged/ahead
        Assert.Equal(0, Server.ArchiveRequestCount);
        Assert.False(Directory.Exists(CacheFolder("acme_zoo_" + Fixture.ForkCommit)));

        // The same commit downloads with -SkipValidation: it is the validation that guards.
        var skipped = ps.Run($"Save-HubRepository acme/zoo:{Fixture.ForkCommit} -TrustRepo -SkipValidation").ThrowIfFailed().Objects<HubRepository>().Single();
        Assert.Equal("import os\n", File.ReadAllText(Path.Combine(skipped.Directory, "hubconf.py")));
    }

    [Fact]
    public void UnknownRef_IsObjectNotFound_WithTorchsMeaning_AndNoFolder()
    {
        using var ps = new PowerShellSession();
        var result = ps.Run("Save-HubRepository acme/zoo:no-such-ref -TrustRepo");
        var error = Assert.Single(result.AllErrors);
        Assert.Equal("RefNotFound" + Fqid, error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Contains("Cannot find no-such-ref in", error.Exception.Message);
        Assert.False(Directory.Exists(CacheFolder("acme_zoo_no-such-ref")));
    }

    [Fact]
    public void NameThatIsBothBranchAndTag_TheBranchWins_WithAWarning()
    {
        using var ps = new PowerShellSession();
        var result = ps.Run("Save-HubRepository acme/zoo:dup -TrustRepo").ThrowIfFailed();
        var repo = result.Objects<HubRepository>().Single();
        Assert.Equal("branch\n", File.ReadAllText(Path.Combine(repo.Directory, "which.txt")));
        Assert.Contains(result.Warnings, w => w.Contains("ambiguous") && w.Contains("refs/tags/dup"));
        Assert.Contains(Server.Requests, r => r.Path.EndsWith("/zipball/refs/heads/dup", StringComparison.Ordinal));
    }

    [Fact]
    public void ExplicitRefsTags_ChoosesTheTag()
    {
        using var ps = new PowerShellSession();
        var repo = ps.Run("Save-HubRepository acme/zoo:refs/tags/dup -TrustRepo").ThrowIfFailed().Objects<HubRepository>().Single();
        Assert.Equal(CacheFolder("acme_zoo_refs_tags_dup"), repo.Directory);
        Assert.False(File.Exists(Path.Combine(repo.Directory, "which.txt")));
        Assert.Contains("model_v1", File.ReadAllText(Path.Combine(repo.Directory, "hubconf.py")));
    }

    [Fact]
    public void Validation_FollowsPages_ToFindABranchOnPageTwo()
    {
        using var ps = new PowerShellSession();
        ps.Run("Save-HubRepository acme/many:b149 -TrustRepo").ThrowIfFailed();
        var pages = Server.Requests.Where(r => r.Path == "/api/repos/acme/many/branches").Select(r => r.Query).ToList();
        Assert.Equal(2, pages.Count);
        Assert.Contains(pages, q => q.Contains("page=2"));
        Assert.All(pages, q => Assert.Contains("per_page=100", q));
    }

    [Fact]
    public void SkipValidation_SendsNoApiRequest()
    {
        using var ps = new PowerShellSession();
        ps.Run("Save-HubRepository acme/zoo:v2 -TrustRepo -SkipValidation").ThrowIfFailed();
        Assert.Equal(0, Server.ApiRequestCount);
        Assert.Equal(1, Server.ArchiveRequestCount);
    }

    [Fact]
    public void Force_ReplacesTheFolder_AndLeavesNoTemporaryFiles()
    {
        using var ps = new PowerShellSession();
        var repo = ps.Run("Save-HubRepository acme/zoo:v2 -TrustRepo").ThrowIfFailed().Objects<HubRepository>().Single();
        var marker = Path.Combine(repo.Directory, "local-edit.txt");
        File.WriteAllText(marker, "tampered");
        var forced = ps.Run("Save-HubRepository acme/zoo:v2 -Force").ThrowIfFailed().Objects<HubRepository>().Single();
        Assert.False(forced.FromCache);
        Assert.False(File.Exists(marker));
        Assert.True(File.Exists(Path.Combine(forced.Directory, "pkg", "util.py")));
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(HubDir, ".torchhub", "tmp")));
    }

    [Fact]
    public void WhatIf_DownloadsNothing()
    {
        using var ps = new PowerShellSession();
        var result = ps.Run("Save-HubRepository acme/zoo:v1 -TrustRepo -WhatIf").ThrowIfFailed();
        Assert.Empty(result.Output);
        Assert.Equal(0, Server.TotalRequestCount);
        Assert.False(Directory.Exists(HubDir));
    }

    [Fact]
    public void Progress_IsWrittenForDownloadAndExtraction_AndClosed()
    {
        using var ps = new PowerShellSession();
        var result = ps.Run("Save-HubRepository acme/zoo:v2 -TrustRepo").ThrowIfFailed();
        var download = result.Progress.Where(p => p.Activity.StartsWith("Downloading acme/zoo:v2", StringComparison.Ordinal)).ToList();
        var extract = result.Progress.Where(p => p.Activity.StartsWith("Extracting acme/zoo:v2", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(download);
        Assert.NotEmpty(extract);
        Assert.Equal(ProgressRecordType.Completed, download.Last().RecordType);
        Assert.Equal(ProgressRecordType.Completed, extract.Last().RecordType);
    }

    [Fact]
    public void RepositoriesByPropertyName_AreSavedInOnePipeline()
    {
        using var ps = new PowerShellSession();
        var result = ps.Run("@([pscustomobject]@{ Repository = 'acme/zoo:v1' }, [pscustomobject]@{ Repository = 'acme/other:main' }) | Save-HubRepository -TrustRepo").ThrowIfFailed();
        var repos = result.Objects<HubRepository>();
        Assert.Equal(new[] { CacheFolder("acme_zoo_v1"), CacheFolder("acme_other_main") }, repos.Select(r => r.Directory));
    }

    [Fact]
    public void InvalidSpec_IsInvalidArgument()
    {
        using var ps = new PowerShellSession();
        var error = Assert.Single(ps.Run("Save-HubRepository 'acme/zoo:a:b'").AllErrors);
        Assert.Equal("InvalidRepositorySpec" + Fqid, error.FullyQualifiedErrorId);
        Assert.Equal(0, Server.TotalRequestCount);
    }

    [Fact]
    public void CacheWrittenByTorch_IsUsedAsIs()
    {
        // torch.hub's layout: <hub>/owner_repo_ref/ with the archive's top folder renamed into place.
        Directory.CreateDirectory(CacheFolder("acme_zoo_main"));
        File.WriteAllText(Path.Combine(CacheFolder("acme_zoo_main"), "hubconf.py"), "# from torch\n");
        using var ps = new PowerShellSession();
        var repo = ps.Run("Save-HubRepository acme/zoo:main").ThrowIfFailed().Objects<HubRepository>().Single();
        Assert.True(repo.FromCache); // trusted by torch's legacy rule: its folder is cached
        Assert.Equal(0, Server.TotalRequestCount);
    }
}
