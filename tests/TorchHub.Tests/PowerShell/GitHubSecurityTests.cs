using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using TorchHub.Repositories;
using TorchHub.Tests.Hosting;
using TorchHub.Tests.Servers;
using Xunit;

namespace TorchHub.Tests.PowerShell;

/// <summary>Tokens (private repositories, never shown, never sent to the archive host) and malicious or corrupt archives.</summary>
public sealed class GitHubSecurityTests : GitHubTestBase
{
    private const string Token = GitHubFixture.PrivateToken;

    public GitHubSecurityTests(GitHubFixture fixture) : base(fixture) { }

    [Fact]
    public void PrivateRepository_WithoutToken_IsNotFound_WithTheHint()
    {
        using var ps = new PowerShellSession();
        var error = Assert.Single(ps.Run("Save-HubRepository secret/vault -TrustRepo").AllErrors);
        Assert.Equal("GitHubRepositoryNotFound" + Fqid, error.FullyQualifiedErrorId);
        Assert.Contains("GITHUB_TOKEN", error.Exception.Message);
    }

    [Fact]
    public void PrivateRepository_WithGitHubToken_Works_AndTheTokenNeverShows()
    {
        SetEnvironment("GITHUB_TOKEN", Token);
        using var ps = new PowerShellSession();
        var result = ps.Run("Save-HubRepository secret/vault -TrustRepo -Verbose; Save-HubRepository secret/vault:main -Force -Verbose").ThrowIfFailed();
        var repo = result.Objects<HubRepository>().First();
        Assert.Contains("secret", File.ReadAllText(Path.Combine(repo.Directory, "hubconf.py")));
        AssertTokenSentOnlyToGitHub();
        AssertTokenNowhere(result);
    }

    [Fact]
    public void TokenParameter_And_Credential_Work()
    {
        using var ps = new PowerShellSession();
        var result = ps.Run($"$t = [System.Net.NetworkCredential]::new('', '{Token}').SecurePassword; Save-HubRepository secret/vault -TrustRepo -Token $t -Verbose").ThrowIfFailed();
        Assert.Single(result.Objects<HubRepository>());
        var viaCredential = ps.Run($"$c = [pscredential]::new('x', [System.Net.NetworkCredential]::new('', '{Token}').SecurePassword); Save-HubRepository secret/vault:main -Force -Credential $c -Verbose").ThrowIfFailed();
        Assert.False(viaCredential.Objects<HubRepository>().Single().FromCache);
        AssertTokenSentOnlyToGitHub();
        AssertTokenNowhere(result);
        AssertTokenNowhere(viaCredential);
    }

    [Fact]
    public void WrongToken_IsAnAuthenticationError_ThatDoesNotShowIt()
    {
        const string wrong = "ghp_WrongTokenValue_ShouldNeverAppear_123";
        SetEnvironment("GITHUB_TOKEN", wrong);
        using var ps = new PowerShellSession();
        var result = ps.Run("Save-HubRepository secret/vault -TrustRepo -Verbose");
        var error = Assert.Single(result.AllErrors);
        Assert.Equal("GitHubAuthenticationFailed" + Fqid, error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.AuthenticationError, error.CategoryInfo.Category);
        Assert.DoesNotContain(wrong, Everything(result));
    }

    [Theory]
    [InlineData("acme-evil-1234567/../../escaped.txt", null, "'..'")]
    [InlineData("/tmp/torchhub-absolute.txt", null, "absolute")]
    [InlineData("C:/Windows/evil.txt", null, "drive")]
    [InlineData("acme-evil-1234567/link", 0xA1FF, "symbolic link")]
    [InlineData("acme-evil-1234567/fifo", 0x11B6, "special file")]
    public void MaliciousArchive_IsRefused_AndNothingIsWritten(string entry, int? unixMode, string reason)
    {
        var zip = new ZipBuilder()
            .Add("acme-evil-1234567/hubconf.py", "def e():\n    return 1\n")
            .Add(entry, unixMode == 0xA1FF ? "/etc/passwd" : "pwned", unixMode);
        Server.ArchiveOverrides["acme/evil"] = zip.ToArray();
        using var ps = new PowerShellSession();
        var error = Assert.Single(ps.Run("Save-HubRepository acme/evil:main -TrustRepo").AllErrors);
        Assert.Equal("UnsafeArchiveEntry" + Fqid, error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.SecurityError, error.CategoryInfo.Category);
        Assert.Contains(reason, error.Exception.Message);
        Assert.False(Directory.Exists(CacheFolder("acme_evil_main")));
        Assert.False(File.Exists(Path.Combine(Temp.Path, "escaped.txt")));
        Assert.False(File.Exists(Path.Combine(HubDir, "escaped.txt")));
        Assert.False(File.Exists("/tmp/torchhub-absolute.txt"));
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(HubDir, ".torchhub", "tmp")));
    }

    [Fact]
    public void CorruptArchive_IsInvalidData_AndNoFolder()
    {
        var bytes = new byte[4096];
        new Random(7).NextBytes(bytes);
        Server.ArchiveOverrides["acme/evil"] = bytes;
        using var ps = new PowerShellSession();
        var error = Assert.Single(ps.Run("Save-HubRepository acme/evil:main -TrustRepo").AllErrors);
        Assert.Equal("ArchiveCorrupt" + Fqid, error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidData, error.CategoryInfo.Category);
        Assert.False(Directory.Exists(CacheFolder("acme_evil_main")));
    }

    [Fact]
    public void ArchiveCutShort_WithAMatchingLength_IsCorrupt()
    {
        var good = new ZipBuilder().Add("acme-evil-1234567/hubconf.py", new string('x', 20000)).Add("acme-evil-1234567/b.py", new string('y', 20000)).ToArray();
        Server.ArchiveOverrides["acme/evil"] = good.AsSpan(0, good.Length - 200).ToArray();
        using var ps = new PowerShellSession();
        var error = Assert.Single(ps.Run("Save-HubRepository acme/evil:main -TrustRepo").AllErrors);
        Assert.Equal("ArchiveCorrupt" + Fqid, error.FullyQualifiedErrorId);
        Assert.False(Directory.Exists(CacheFolder("acme_evil_main")));
    }

    private void AssertTokenSentOnlyToGitHub()
    {
        Assert.Contains(Server.Requests, r => !r.ArchiveHost && r.Authorization is not null && r.Authorization.EndsWith(Token, StringComparison.Ordinal));
        Assert.Contains(Server.Requests, r => r.ArchiveHost);
        Assert.All(Server.Requests.Where(r => r.ArchiveHost), r => Assert.Null(r.Authorization));
    }

    private void AssertTokenNowhere(PowerShellResult result)
    {
        Assert.DoesNotContain(Token, Everything(result));
        foreach (var file in HubFiles().Where(File.Exists))
        {
            Assert.DoesNotContain(Token, Path.GetFileName(file));
            Assert.DoesNotContain(Token, File.ReadAllText(file));
        }
    }

    private static string Everything(PowerShellResult result)
    {
        var parts = new List<string>();
        parts.AddRange(result.Output.Select(o => o.ToString()));
        parts.AddRange(result.Output.SelectMany(o => o.Properties.Select(p => $"{p.Name}={p.Value}")));
        parts.AddRange(result.Verbose);
        parts.AddRange(result.Warnings);
        parts.AddRange(result.Information);
        parts.AddRange(result.Progress.Select(p => $"{p.Activity} {p.StatusDescription} {p.CurrentOperation}"));
        foreach (var e in result.AllErrors)
        {
            parts.Add(e.ToString());
            parts.Add(e.ErrorDetails?.Message ?? "");
            parts.Add(e.ErrorDetails?.RecommendedAction ?? "");
            parts.Add(e.TargetObject?.ToString() ?? "");
            for (Exception? ex = e.Exception; ex is not null; ex = ex.InnerException) parts.Add(ex.ToString());
        }
        return string.Join("\n", parts);
    }
}
