using System.IO;
using System.Linq;
using System.Management.Automation;
using TorchHub.Cache;
using TorchHub.Repositories;
using TorchHub.Tests.Hosting;
using Xunit;

namespace TorchHub.Tests.PowerShell.Help;

/// <summary>
/// The -Repository completer through PowerShell's real completion (TabExpansion2) on a parameter
/// that carries the same [ArgumentCompleter] as RepositoryCmdlet.Repository.
/// </summary>
public sealed class CompletionTests : HubTestBase
{
    private const string Probe = "function Test-Repo { param([ArgumentCompleter([TorchHub.PowerShell.Completers.RepositorySpecCompleter])][string]$Repository) }";

    private static string[] Complete(PowerShellSession ps, string line) =>
        ps.Run($"{Probe}\n(TabExpansion2 -inputScript '{line.Replace("'", "''")}' -cursorColumn {line.Length}).CompletionMatches | ForEach-Object {{ $_.CompletionText }}")
            .ThrowIfFailed().Output.Select(o => o.ToString()).ToArray();

    [Fact]
    public void RepositoryParameter_UsesTheCompleter()
    {
        using var ps = new PowerShellSession();
        var found = ps.Run("[TorchHub.PowerShell.Infrastructure.RepositoryCmdlet].GetProperty('Repository').GetCustomAttributes([System.Management.Automation.ArgumentCompleterAttribute], $true) | ForEach-Object { $_.Type.FullName }")
            .ThrowIfFailed().Output.Select(o => o.ToString()).ToArray();
        Assert.Equal(["TorchHub.PowerShell.Completers.RepositorySpecCompleter"], found);
    }

    [Fact]
    public void OffersRecordedSpecsThenTrustedRepositories_FilteredByPrefix()
    {
        RepositorySpecIndex.Record(HubDir, RepoSpec.Parse("pytorch/vision:v0.14.1"));
        RepositorySpecIndex.Record(HubDir, RepoSpec.Parse("acme/zoo:release/2"));
        RepositorySpecIndex.Record(HubDir, RepoSpec.Parse("pytorch/vision:v0.14.1")); // recorded once
        File.WriteAllText(Path.Combine(HubDir, "trusted_list"), "pytorch_vision\nfacebookresearch_dino_v2\n\n_bad\n");

        using var ps = new PowerShellSession();
        Assert.Equal(["pytorch/vision:v0.14.1", "pytorch/vision"], Complete(ps, "Test-Repo -Repository py"));
        Assert.Equal(["pytorch/vision:v0.14.1", "acme/zoo:release/2", "pytorch/vision", "facebookresearch/dino_v2"], Complete(ps, "Test-Repo -Repository "));
        Assert.Equal(["acme/zoo:release/2"], Complete(ps, "Test-Repo -Repository ACME"));
        Assert.Equal(["acme/zoo:release/2"], Complete(ps, "Test-Repo -Repository 'acme/"));
    }

    [Fact]
    public void QuotesSpecsPowerShellWouldSplit()
    {
        RepositorySpecIndex.Record(HubDir, RepoSpec.Parse("acme/zoo:fix(1),2"));
        using var ps = new PowerShellSession();
        Assert.Equal(["'acme/zoo:fix(1),2'"], Complete(ps, "Test-Repo -Repository acme"));
    }

    [Fact]
    public void EmptyCache_OffersNothing_AndCreatesNothing()
    {
        using var ps = new PowerShellSession();
        Assert.Empty(Complete(ps, "Test-Repo -Repository py"));
        Assert.False(Directory.Exists(HubDir));
    }

    [Fact]
    public void Index_IgnoresGarbageAndKeepsOrder()
    {
        var path = RepositorySpecIndex.PathIn(HubDir);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "not a spec\nb/c:d\n\0\u00ff\nb/c:d\na/b\n");
        Assert.Equal(["b/c:d", "a/b"], RepositorySpecIndex.Read(HubDir));
        // The index folder never looks like a cached repository to torch's legacy trust rule (owner_repo_ref).
        Assert.StartsWith(".", CacheLayout.PrivateFolderName);
    }
}
