using System.IO;
using System.Linq;
using System.Runtime.Loader;
using TorchHub.Errors;
using TorchHub.Hubconf;
using TorchHub.Hubconf.CSharp;
using TorchHub.Repositories;
using TorchHub.Tests.Hosting;
using Xunit;

namespace TorchHub.Tests.Engine.Hubconf.CSharp;

public sealed class CSharpHubconfReaderTests : HubTestBase
{
    private HubRepository Repo()
    {
        Temp.Write("repo/hubconf.cs", HubconfSamples.Calculator);
        Temp.Write("repo/Helpers.cs", HubconfSamples.CalculatorHelpers);
        return HubRepository.OpenLocal(Temp.Combine("repo"));
    }

    [Fact]
    public void Lists_PublicStaticMethodsOfPublicStaticClasses_Only()
    {
        var listing = new CSharpHubconfReader().Read(Repo());
        Assert.Equal(["combine", "total", "where", "escape", "fails"], listing.Entrypoints.Select(e => e.Name));
        Assert.Equal(["TorchSharp", "System.Text.Json"], listing.Dependencies);
        Assert.All(listing.Entrypoints, e => Assert.Equal(HubconfLanguage.CSharp, e.Language));
    }

    [Fact]
    public void Entrypoint_HasSignatureDefaultsFileLineAndSynopsis()
    {
        var repo = Repo();
        var combine = new CSharpHubconfReader().Read(repo).Entrypoints.Single(e => e.Name == "combine");
        Assert.Equal("Result combine(int a, int b = 10, string label = \"sum\", Mode mode = Mode.Add)", combine.Signature);
        Assert.Equal(["a", "b", "label", "mode"], combine.Parameters.Select(p => p.Name));
        Assert.Null(combine.Parameters[0].Default);
        Assert.False(combine.Parameters[0].IsOptional);
        Assert.Equal("10", combine.Parameters[1].Default);
        Assert.Equal("int", combine.Parameters[1].Type);
        Assert.Equal("hubconf.cs", combine.File);
        var expectedLine = File.ReadAllLines(Path.Combine(repo.Directory, "hubconf.cs")).ToList().FindIndex(l => l.Contains("Result combine(")) + 1;
        Assert.Equal(expectedLine, combine.Line);
        Assert.Equal("Combines two numbers. Second line of the summary.", combine.Synopsis);
        Assert.Equal(repo.Directory, combine.LocalPath);
        Assert.Null(combine.Repository);
        Assert.True(combine.IsCertain);

        var total = new CSharpHubconfReader().Read(repo).Entrypoints.Single(e => e.Name == "total");
        Assert.Equal("int total(params int[] values)", total.Signature);
        Assert.Equal(HubParameterKind.VarPositional, total.Parameters[0].Kind);
        Assert.True(total.Parameters[0].IsOptional);
    }

    [Fact]
    public void Help_ComesFromTheXmlDocComment()
    {
        var help = new CSharpHubconfReader().Read(Repo()).GetHelp("combine");
        Assert.NotNull(help);
        Assert.Equal(
            "Combines two numbers.\nSecond line of the summary.\n\n" +
            "Parameters:\n    a: The first number.\n    b: The second number.\n    label: A label for the Result.\n    mode: How to combine a and b.\n\n" +
            "Returns:\n    The result with its label.\n\n" +
            "Example:\n    Import-HubModel -Path . combine 2 3 -Parameter @{ mode = 'Multiply' }",
            help!.Text);
        Assert.Equal(help.Text, help.ToString());

        var undocumented = new CSharpHubconfReader().Read(Repo()).GetHelp("total");
        Assert.Null(undocumented!.Docstring);
        Assert.Contains("no XML documentation comment", undocumented.Notes);
        Assert.Null(new CSharpHubconfReader().Read(Repo()).GetHelp("_helper"));
    }

    [Fact]
    public void Reading_CompilesNothing_AndRoslynStaysOutOfTheDefaultContext()
    {
        new CSharpHubconfReader().Read(Repo());
        Assert.False(Directory.Exists(Path.Combine(HubDir, ".torchhub")));

        Assert.Equal(RoslynToolchain.LoadContextName, RoslynToolchain.LoadContext!.Name);
        var roslyn = RoslynToolchain.LoadContext.Assemblies.Select(a => a.GetName().Name).ToList();
        Assert.Contains("Microsoft.CodeAnalysis", roslyn);
        Assert.Contains("Microsoft.CodeAnalysis.CSharp", roslyn);
        Assert.Contains(RoslynToolchain.BridgeAssemblyName, roslyn);
        Assert.DoesNotContain(AssemblyLoadContext.Default.Assemblies, a => a.GetName().Name!.StartsWith("Microsoft.CodeAnalysis"));
        // The toolchain's results are TorchHub.Core's own types, shared with the default context.
        Assert.Same(AssemblyLoadContext.Default, AssemblyLoadContext.GetLoadContext(typeof(HubEntrypoint).Assembly));
    }

    [Fact]
    public void SyntaxErrors_AreAParseErrorWithFileAndLine()
    {
        Temp.Write("bad/hubconf.cs", "public static class Hubconf\n{\n    public static int x( => 1;\n}\n");
        var ex = Assert.Throws<HubException>(() => new CSharpHubconfReader().Read(HubRepository.OpenLocal(Temp.Combine("bad"))));
        Assert.Equal(HubErrorIds.HubconfParseError, ex.ErrorId);
        Assert.Equal(HubErrorCategory.ParserError, ex.Category);
        Assert.Contains("hubconf.cs(3,", ex.Message);
    }

    [Fact]
    public void MissingHubconf_IsNotFound()
    {
        Directory.CreateDirectory(Temp.Combine("empty"));
        var ex = Assert.Throws<HubException>(() => new CSharpHubconfReader().Read(HubRepository.OpenLocal(Temp.Combine("empty"))));
        Assert.Equal(HubErrorIds.HubconfNotFound, ex.ErrorId);
    }
}
