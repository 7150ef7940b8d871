using System;
using System.Collections.Generic;
using System.IO;
using System.Threading.Tasks;
using TorchHub.Cache;
using TorchHub.Errors;
using TorchHub.Feedback;
using TorchHub.Repositories;
using TorchHub.Repositories.Trust;
using TorchHub.Tests.Hosting;
using Xunit;

namespace TorchHub.Tests.Engine.Repositories.Trust;

/// <summary>torch.hub's trust rules (trust_repo None/True/False, trusted owners, trusted_list, the legacy cached-folder rule).</summary>
public sealed class TrustPolicyTests : HubTestBase
{
    /// <summary>Answers every question with <see cref="Answer"/> (or throws NonInteractive when null) and counts them.</summary>
    private sealed class Asker(bool? answer) : IHubFeedback
    {
        public bool? Answer { get; } = answer;
        public List<string> Questions { get; } = new();
        public void Verbose(string message) { }
        public void Warning(string message) { }
        public void Progress(HubProgress progress) { }
        public bool Confirm(string query, string caption)
        {
            Questions.Add(query);
            return Answer ?? throw new NonInteractiveException(query);
        }
    }

    private string TrustedListFile => new CacheLayout(HubDir).TrustedListFile;

    private static RepositoryRequest Default => new();

    [Fact]
    public void UnknownRepository_AsksTorchsQuestion_AndYesRecordsIt()
    {
        var asker = new Asker(true);
        var spec = RepoSpec.Parse("acme/zoo:v1");
        Assert.Equal(TrustDecision.Confirmed, TrustPolicy.Ensure(HubDir, spec, Default, asker));
        Assert.Equal([TrustPolicy.Question(spec)], asker.Questions);
        Assert.Contains("acme_zoo does not belong to the list of trusted repositories", asker.Questions[0]);
        Assert.Equal("acme_zoo\n", File.ReadAllText(TrustedListFile));

        // Recorded: the next call asks nothing.
        var again = new Asker(false);
        Assert.Equal(TrustDecision.TrustedList, TrustPolicy.Ensure(HubDir, RepoSpec.Parse("acme/zoo:v2"), Default, again));
        Assert.Empty(again.Questions);
    }

    [Fact]
    public void No_RefusesWithUntrustedRepository_AndRecordsNothing()
    {
        var ex = Assert.Throws<HubException>(() => TrustPolicy.Ensure(HubDir, RepoSpec.Parse("acme/zoo"), Default, new Asker(false)));
        Assert.Equal(HubErrorIds.UntrustedRepository, ex.ErrorId);
        Assert.Equal(HubErrorCategory.SecurityError, ex.Category);
        Assert.False(File.Exists(TrustedListFile));
    }

    [Fact]
    public void NobodyToAsk_RefusesWithAdvice()
    {
        var ex = Assert.Throws<HubException>(() => TrustPolicy.Ensure(HubDir, RepoSpec.Parse("acme/zoo"), Default, SilentFeedback.Instance));
        Assert.Equal(HubErrorIds.UntrustedRepository, ex.ErrorId);
        Assert.IsType<NonInteractiveException>(ex.InnerException);
        Assert.Contains("-TrustRepo", ex.RecommendedAction);
        Assert.False(File.Exists(TrustedListFile));
    }

    [Fact]
    public void TrustRepo_RecordsWithoutAsking()
    {
        var asker = new Asker(false);
        Assert.Equal(TrustDecision.Confirmed, TrustPolicy.Ensure(HubDir, RepoSpec.Parse("acme/zoo"), new RepositoryRequest { TrustRepo = true }, asker));
        Assert.Empty(asker.Questions);
        Assert.Equal(["acme_zoo"], new TrustedList(TrustedListFile).Read());
    }

    [Fact]
    public void TrustedOwners_AreTrustedWithoutAList_CaseSensitively()
    {
        var asker = new Asker(null);
        foreach (var owner in TrustPolicy.TrustedOwners)
            Assert.Equal(TrustDecision.TrustedOwner, TrustPolicy.Ensure(HubDir, RepoSpec.Parse(owner + "/x"), Default, asker));
        Assert.Empty(asker.Questions);
        Assert.Throws<HubException>(() => TrustPolicy.Ensure(HubDir, RepoSpec.Parse("PyTorch/vision"), Default, asker));
        Assert.False(File.Exists(TrustedListFile));
    }

    [Fact]
    public void LegacyRule_TrustsOnlyTheCachedFolderOfThisRef()
    {
        Directory.CreateDirectory(Path.Combine(HubDir, "acme_zoo_v1"));
        var asker = new Asker(null);
        Assert.Equal(TrustDecision.AlreadyCached, TrustPolicy.Ensure(HubDir, RepoSpec.Parse("acme/zoo:v1"), Default, asker));
        Assert.Throws<HubException>(() => TrustPolicy.Ensure(HubDir, RepoSpec.Parse("acme/zoo:v2"), Default, asker));
        // acme_zoo_v1 must not trust a_cme/zoo_v1-like neighbours whose folder names share the prefix.
        Assert.Throws<HubException>(() => TrustPolicy.Ensure(HubDir, RepoSpec.Parse("acme/zoo_v1:main"), Default, asker));
    }

    [Fact]
    public void ConfirmTrust_AsksEvenWhenTrusted_AndTrustRepoWithConfirmTrustConflict()
    {
        File.WriteAllText(Path.Combine(Directory.CreateDirectory(HubDir).FullName, "trusted_list"), "acme_zoo\n");
        var asker = new Asker(true);
        Assert.Equal(TrustDecision.TrustedList, TrustPolicy.Ensure(HubDir, RepoSpec.Parse("acme/zoo"), new RepositoryRequest { ConfirmTrust = true }, asker));
        Assert.Single(asker.Questions);
        Assert.Equal("acme_zoo\n", File.ReadAllText(TrustedListFile)); // not added twice

        var ex = Assert.Throws<HubException>(() => TrustPolicy.Ensure(HubDir, RepoSpec.Parse("acme/zoo"), new RepositoryRequest { TrustRepo = true, ConfirmTrust = true }, asker));
        Assert.Equal(HubErrorIds.ConflictingTrustOptions, ex.ErrorId);
    }

    [Fact]
    public void TrustedList_ReadsTorchsFormat_AndConcurrentAddsKeepEveryLine()
    {
        Directory.CreateDirectory(HubDir);
        File.WriteAllText(TrustedListFile, "  pytorch_vision  \n\nacme_old"); // no final newline, as a hand edit may leave
        var list = new TrustedList(TrustedListFile);
        Assert.Equal(["pytorch_vision", "acme_old"], list.Read());

        Parallel.For(0, 16, i => new TrustedList(TrustedListFile).Add($"owner{i}_repo"));
        var lines = list.Read();
        Assert.Equal(18, lines.Count);
        for (var i = 0; i < 16; i++) Assert.Contains($"owner{i}_repo", lines);
        Assert.Contains("acme_old", lines); // the missing newline was added before appending
    }
}
