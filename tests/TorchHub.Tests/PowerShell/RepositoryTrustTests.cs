using System.IO;
using System.Linq;
using System.Management.Automation;
using TorchHub.Repositories;
using TorchHub.Repositories.Trust;
using TorchHub.Tests.Hosting;
using TorchHub.Tests.Servers;
using Xunit;

namespace TorchHub.Tests.PowerShell;

/// <summary>Trust (torch's trust_repo="check" default) through the host's prompt (default No), the TestHost and non-interactive runs.</summary>
public sealed class RepositoryTrustTests : GitHubTestBase
{
    private const string TorchQuestion = "The repository acme_zoo does not belong to the list of trusted repositories and as such cannot be downloaded. Do you trust this repository and wish to add it to the trusted list of repositories?";

    public RepositoryTrustTests(GitHubFixture fixture) : base(fixture) { }

    private string TrustedList => Path.Combine(HubDir, "trusted_list");

    [Fact]
    public void Yes_IsRecorded_AndNotAskedAgain()
    {
        var host = new TestHost("Yes");
        using var ps = new PowerShellSession(host);
        ps.Run("Save-HubRepository acme/zoo:v1").ThrowIfFailed();
        Assert.Equal(TorchQuestion, host.Prompts.Single().Split(": ", 2)[1]);
        Assert.Equal(new[] { "acme_zoo" }, File.ReadAllLines(TrustedList));

        ps.Run("Save-HubRepository acme/zoo:v2").ThrowIfFailed(); // another ref: trusted by the list
        Assert.Single(host.Prompts);
    }

    [Fact]
    public void No_IsUntrustedRepository_AndNothingIsDownloaded()
    {
        var host = new TestHost("No");
        using var ps = new PowerShellSession(host);
        var error = Assert.Single(ps.Run("Save-HubRepository acme/zoo:v1").AllErrors);
        Assert.Equal("UntrustedRepository" + Fqid, error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.SecurityError, error.CategoryInfo.Category);
        Assert.Contains("the answer was no", error.Exception.Message);
        Assert.Contains("-TrustRepo", error.ErrorDetails!.RecommendedAction);
        Assert.Equal(0, Server.TotalRequestCount);
        Assert.False(File.Exists(TrustedList) && File.ReadAllText(TrustedList).Contains("acme_zoo"));
        Assert.False(Directory.Exists(CacheFolder("acme_zoo_v1")));
    }

    [Fact]
    public void Enter_IsNo_AsTorchsYN_AndRecordsNothing()
    {
        var host = new TestHost(""); // Enter: the prompt's default
        using var ps = new PowerShellSession(host);
        var error = Assert.Single(ps.Run("Save-HubRepository acme/zoo:v1").AllErrors);
        Assert.Equal("UntrustedRepository" + Fqid, error.FullyQualifiedErrorId);
        Assert.Contains("Add-HubTrust acme/zoo", error.ErrorDetails!.RecommendedAction);
        Assert.Single(host.Prompts);
        Assert.Equal(0, Server.TotalRequestCount);
        Assert.False(File.Exists(TrustedList) && File.ReadAllText(TrustedList).Contains("acme_zoo"));
    }

    [Fact]
    public void NonInteractive_FailsFast_NamingTrustRepo_EvenWithConfirmFalse()
    {
        using var ps = new PowerShellSession(); // no host: nobody can answer
        foreach (var script in new[] { "Save-HubRepository acme/zoo:v1", "Save-HubRepository acme/zoo:v1 -Confirm:$false" })
        {
            var error = Assert.Single(ps.Run(script).AllErrors);
            Assert.Equal("UntrustedRepository" + Fqid, error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.SecurityError, error.CategoryInfo.Category);
            Assert.Contains("nobody can answer", error.Exception.Message);
            Assert.Contains("-TrustRepo", error.ErrorDetails!.RecommendedAction);
            Assert.Contains("Add-HubTrust acme/zoo", error.ErrorDetails!.RecommendedAction);
        }
        Assert.Equal(0, Server.TotalRequestCount);
        Assert.False(Directory.Exists(CacheFolder("acme_zoo_v1")));
    }

    [Fact]
    public void TrustRepo_RecordsWithoutAsking()
    {
        var host = new TestHost();
        using var ps = new PowerShellSession(host);
        ps.Run("Save-HubRepository acme/zoo:v1 -TrustRepo").ThrowIfFailed();
        Assert.Empty(host.Prompts);
        Assert.Equal(new[] { "acme_zoo" }, File.ReadAllLines(TrustedList));
    }

    [Fact]
    public void ConfirmTrust_AsksEvenWhenTrusted_AndNoFails()
    {
        File.WriteAllText(Path.Combine(Directory.CreateDirectory(HubDir).FullName, "trusted_list"), "acme_zoo\n");
        var host = new TestHost("Yes", "No");
        using var ps = new PowerShellSession(host);
        ps.Run("Save-HubRepository acme/zoo:v1 -ConfirmTrust -Verbose").ThrowIfFailed();
        Assert.Single(host.Prompts);
        Assert.Equal(new[] { "acme_zoo" }, File.ReadAllLines(TrustedList)); // not written twice

        var error = Assert.Single(ps.Run("Save-HubRepository acme/zoo:v1 -ConfirmTrust").AllErrors); // cached, still asked
        Assert.Equal("UntrustedRepository" + Fqid, error.FullyQualifiedErrorId);
        Assert.Equal(2, host.Prompts.Count);
    }

    [Fact]
    public void ConfirmTrustWithTrustRepo_IsAnInvalidArgument()
    {
        using var ps = new PowerShellSession();
        var error = Assert.Single(ps.Run("Save-HubRepository acme/zoo:v1 -ConfirmTrust -TrustRepo").AllErrors);
        Assert.Equal("ConflictingTrustOptions" + Fqid, error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
    }

    [Fact]
    public void TorchsTrustedOwner_IsNotAsked_AndNotWritten()
    {
        using var ps = new PowerShellSession(); // non-interactive: would fail if asked
        ps.Run("Save-HubRepository pytorch/tiny:main").ThrowIfFailed();
        Assert.False(File.Exists(TrustedList));
    }

    [Fact]
    public void LegacyRule_ACachedFolderOfThisRef_IsTrusted_ButNotAnotherRef()
    {
        using (var trusting = new PowerShellSession())
            trusting.Run("Save-HubRepository acme/zoo:v1 -TrustRepo").ThrowIfFailed();
        File.Delete(TrustedList);

        using var ps = new PowerShellSession();
        ps.Run("Save-HubRepository acme/zoo:v1").ThrowIfFailed();
        var error = Assert.Single(ps.Run("Save-HubRepository acme/zoo:v2").AllErrors); // as torch: only this ref's folder
        Assert.Equal("UntrustedRepository" + Fqid, error.FullyQualifiedErrorId);
        Assert.False(File.Exists(TrustedList));
    }

    [Fact]
    public void TrustedListWithoutTrailingNewline_GetsALineOfItsOwn()
    {
        Directory.CreateDirectory(HubDir);
        File.WriteAllText(TrustedList, "  other_repo  ");
        using var ps = new PowerShellSession();
        ps.Run("Save-HubRepository acme/zoo:v1 -TrustRepo").ThrowIfFailed();
        Assert.Equal(new[] { "  other_repo  ", "acme_zoo" }, File.ReadAllLines(TrustedList));
    }

    [Fact]
    public void NoRef_Untrusted_WritesNothing_AndDownloadsNothing()
    {
        using var ps = new PowerShellSession();
        var error = Assert.Single(ps.Run("Save-HubRepository acme/develop").AllErrors);
        Assert.Equal("UntrustedRepository" + Fqid, error.FullyQualifiedErrorId);
        Assert.Equal(0, Server.ArchiveRequestCount);
        Assert.Equal(1, Server.ApiRequestCount); // the default branch, needed to name the folder (torch probes too)
        Assert.Empty(HubFiles());
    }
}
