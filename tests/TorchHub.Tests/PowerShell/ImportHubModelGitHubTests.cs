using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Runtime.Loader;
using System.Threading.Tasks;
using TorchHub.Hubconf.CSharp;
using TorchHub.Tests.Engine.Hubconf.CSharp;
using TorchHub.Tests.Hosting;
using TorchHub.Tests.Servers;
using Xunit;

namespace TorchHub.Tests.PowerShell;

/// <summary>A .NET hub repository on the GitHub stand-in: tags v1 and v2 define the same types.</summary>
public sealed class DotnetZooFixture : IAsyncLifetime
{
    private readonly TempDirectory _temp = new("torchhub-dotnet-zoo");

    public GitHubStandIn Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var repo = new GitRepo(_temp.Combine("acme-dotnet"));
        repo.Commit("v1", ("hubconf.cs", HubconfSamples.Versioned("v1")));
        repo.Tag("v1");
        repo.Commit("v2", ("hubconf.cs", HubconfSamples.Versioned("v2")));
        repo.Tag("v2");
        Server = await GitHubStandIn.StartAsync(_temp.Combine("zips"));
        Server.AddRepository("acme", "dotnet", repo);
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        _temp.Dispose();
    }
}

public sealed class ImportHubModelGitHubTests : HubTestBase, IClassFixture<DotnetZooFixture>
{
    private const string Cmd = ",TorchHub.PowerShell.Commands.ImportHubModelCommand";

    public ImportHubModelGitHubTests(DotnetZooFixture fixture)
    {
        HubconfRuntime.ForgetAll();
        fixture.Server.ResetCounts();
        UseGitHubStandIn(fixture.Server);
    }

    private bool AnythingCompiled => Directory.Exists(new Hub().Cache.CompiledAssembliesFolder);

    [Fact]
    public void TrustRefused_NothingIsDownloadedOrCompiled()
    {
        using (var nonInteractive = new PowerShellSession())
        {
            var error = Assert.Single(nonInteractive.Run("Import-HubModel acme/dotnet:v1 model").AllErrors);
            Assert.Equal("UntrustedRepository" + Cmd, error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.SecurityError, error.CategoryInfo.Category);
        }
        var host = new TestHost("No");
        using (var refusing = new PowerShellSession(host))
        {
            var error = Assert.Single(refusing.Run("Import-HubModel acme/dotnet:v1 model").AllErrors);
            Assert.Equal("UntrustedRepository" + Cmd, error.FullyQualifiedErrorId);
            Assert.Single(host.Prompts);
        }
        Assert.False(Directory.Exists(Path.Combine(HubDir, "acme_dotnet_v1")));
        Assert.False(AnythingCompiled);
    }

    [Fact]
    public void TrustAccepted_LoadsFromTheCacheFolder()
    {
        var host = new TestHost("Yes");
        using var ps = new PowerShellSession(host);
        var r = ps.Run("(Import-HubModel acme/dotnet:v1 model -Verbose).Version").ThrowIfFailed();
        Assert.Equal("v1", r.Output.Single().BaseObject);
        Assert.Single(host.Prompts);
        Assert.True(File.Exists(Path.Combine(HubDir, "acme_dotnet_v1", "hubconf.cs")));
        Assert.Contains(r.Verbose, v => v.StartsWith("Compiled hubconf.cs of 'acme/dotnet:v1'"));
    }

    [Fact]
    public void TwoRefsOfOneRepository_LoadSideBySide()
    {
        using var ps = new PowerShellSession();
        var r = ps.Run("""
            $a = Import-HubModel acme/dotnet:v1 model -TrustRepo
            $b = Import-HubModel acme/dotnet:v2 model
            $a; $b; $a.Version; $b.Version
            """).ThrowIfFailed();
        var (a, b) = (r.Output[0].BaseObject, r.Output[1].BaseObject);
        Assert.Equal("v1", r.Output[2].BaseObject);
        Assert.Equal("v2", r.Output[3].BaseObject);
        Assert.Equal("Same.Model", a.GetType().FullName);
        Assert.Equal("Same.Model", b.GetType().FullName);
        Assert.NotSame(AssemblyLoadContext.GetLoadContext(a.GetType().Assembly), AssemblyLoadContext.GetLoadContext(b.GetType().Assembly));
        Assert.Contains("acme/dotnet:v1", AssemblyLoadContext.GetLoadContext(a.GetType().Assembly)!.Name);
        Assert.Contains("acme/dotnet:v2", AssemblyLoadContext.GetLoadContext(b.GetType().Assembly)!.Name);

        // v1 again in a new runspace: cache folder and compiled assembly both reused.
        using var again = new PowerShellSession();
        var v1 = again.Run("(Import-HubModel acme/dotnet:v1 model -Verbose).Version").ThrowIfFailed();
        Assert.Equal("v1", v1.Output.Single().BaseObject);
        Assert.Contains(v1.Verbose, v => v.Contains("already loaded in this session (nothing compiled)"));
    }
}
