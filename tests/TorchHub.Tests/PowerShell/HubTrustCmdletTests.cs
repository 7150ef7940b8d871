using System.IO;
using System.Linq;
using TorchHub.Tests.Hosting;
using TorchHub.Tests.Servers;
using TorchHub.Repositories.Trust;
using Xunit;

namespace TorchHub.Tests.PowerShell;

/// <summary>Get-HubTrust, Add-HubTrust and Remove-HubTrust: trust granted by a script instead of a prompt.</summary>
public sealed class HubTrustCmdletTests : GitHubTestBase
{
    public HubTrustCmdletTests(GitHubFixture fixture) : base(fixture) { }

    private string ListPath => Path.Combine(HubDir, "trusted_list");

    [Fact]
    public void AddedTrust_LetsANonInteractiveFetchRun_WithoutTrustRepo()
    {
        using var ps = new PowerShellSession();
        ps.Run("Add-HubTrust acme/zoo:v1, acme/other").ThrowIfFailed();
        Assert.Equal(new[] { "acme_zoo", "acme_other" }, File.ReadAllLines(ListPath));

        // No -TrustRepo and nobody to ask: the list answers.
        ps.Run("Save-HubRepository acme/zoo:v1").ThrowIfFailed();

        var entries = ps.Run("Get-HubTrust").ThrowIfFailed().Objects<TrustedRepository>();
        Assert.Equal(new[] { "acme/zoo", "acme/other" }, entries.Select(e => e.Repository));
        Assert.Equal(new[] { "acme/zoo" }, ps.Run("Get-HubTrust 'acme/z*'").ThrowIfFailed().Objects<TrustedRepository>().Select(e => e.Repository));
    }

    [Fact]
    public void WhatIf_ChangesNothing()
    {
        using var ps = new PowerShellSession();
        ps.Run("Add-HubTrust acme/zoo -WhatIf").ThrowIfFailed();
        Assert.False(File.Exists(ListPath));
        ps.Run("Add-HubTrust acme/zoo; Get-HubTrust | Remove-HubTrust -WhatIf").ThrowIfFailed();
        Assert.Equal(new[] { "acme_zoo" }, File.ReadAllLines(ListPath));
    }

    [Fact]
    public void Remove_ByNameOrPipeline_WarnsWhileCached_AndRefusesOwnersAndUnknownNames()
    {
        using var ps = new PowerShellSession();
        ps.Run("Save-HubRepository acme/zoo:v1 -TrustRepo; Add-HubTrust acme/other, acme/many").ThrowIfFailed();

        var removed = ps.Run("Remove-HubTrust acme/zoo -PassThru -Confirm:$false");
        Assert.True(removed.Succeeded);
        Assert.Equal("acme/zoo", removed.Objects<TrustedRepository>().Single().Repository);
        Assert.Contains(removed.Warnings, w => w.Contains("still cached", System.StringComparison.Ordinal) && w.Contains("Remove-HubCache"));

        ps.Run("Get-HubTrust acme/other | Remove-HubTrust -Confirm:$false").ThrowIfFailed();
        Assert.Equal(new[] { "acme_many" }, File.ReadAllLines(ListPath));

        var unknown = ps.Run("Remove-HubTrust acme/nothing -Confirm:$false");
        Assert.Equal("TrustEntryNotFound,TorchHub.PowerShell.Commands.RemoveHubTrustCommand", unknown.Errors.Single().FullyQualifiedErrorId);

        var owner = ps.Run("Get-HubTrust -IncludeTrustedOwners | Where-Object Reason -eq TrustedOwner | Remove-HubTrust -Confirm:$false");
        Assert.All(owner.Errors, e => Assert.Equal("TrustedOwnerNotRemovable,TorchHub.PowerShell.Commands.RemoveHubTrustCommand", e.FullyQualifiedErrorId));
        Assert.Equal(TrustPolicy.TrustedOwners.Length, owner.Errors.Count);
        Assert.Equal(new[] { "acme_many" }, File.ReadAllLines(ListPath));
    }
}
