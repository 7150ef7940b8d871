using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Runtime.Loader;
using TorchHub.Hubconf;
using TorchHub.Hubconf.CSharp;
using TorchHub.Tests.Engine.Hubconf.CSharp;
using TorchHub.Tests.Hosting;
using Xunit;

namespace TorchHub.Tests.PowerShell;

public sealed class ImportHubModelTests : HubTestBase
{
    private const string Cmd = "TorchHub.PowerShell.Commands.ImportHubModelCommand";

    public ImportHubModelTests()
    {
        // Each test starts as a fresh process would: nothing loaded, an empty hub directory.
        HubconfRuntime.ForgetAll();
    }

    private string CalculatorRepo()
    {
        Temp.Write("calc/hubconf.cs", HubconfSamples.Calculator);
        Temp.Write("calc/Helpers.cs", HubconfSamples.CalculatorHelpers);
        // Never compiled: test projects and build output of the repository.
        Temp.Write("calc/tests/BrokenTest.cs", "this is not C#");
        Temp.Write("calc/bin/Old.cs", "neither is this");
        return Temp.Combine("calc");
    }

    private static dynamic Single(PowerShellResult r) => r.ThrowIfFailed().Output.Single().BaseObject;

    [Fact]
    public void Load_BindsByPositionAndByName_WithPowerShellConversions()
    {
        var repo = CalculatorRepo();
        using var ps = new PowerShellSession();

        var r1 = Single(ps.Run($"Import-HubModel -Path '{repo}' combine -ArgumentList 2"));
        Assert.Equal(12, (int)r1.Value); // b defaults to 10
        Assert.Equal("sum", (string)r1.Label);
        Assert.Equal("helpers file", (string)r1.Origin); // Helpers.cs was compiled with hubconf.cs

        // Strings convert to int and to the enum by PowerShell's rules; names are case-insensitive.
        var r2 = Single(ps.Run($"Import-HubModel -Path '{repo}' -Name combine -ArgumentList '3' -Parameter @{{ B = '4'; mode = 'multiply'; label = 'product' }}"));
        Assert.Equal(12, (int)r2.Value);
        Assert.Equal("product", (string)r2.Label);
        Assert.Equal("Multiply", r2.Mode.ToString());

        var total = ps.Run($"Import-HubModel -LiteralPath '{repo}' total 1,2,'3'").ThrowIfFailed().Objects<int>().Single();
        Assert.Equal(6, total);
        Assert.Equal(0, ps.Run($"Import-HubModel -Path '{repo}' total").ThrowIfFailed().Objects<int>().Single());
    }

    [Fact]
    public void GetHubEntrypoint_AndGetHubHelp_ReadHubconfCs_WithoutCompiling()
    {
        var repo = CalculatorRepo();
        using var ps = new PowerShellSession();
        var entries = ps.Run($"Get-HubEntrypoint -Path '{repo}'").ThrowIfFailed().Objects<HubEntrypoint>();
        Assert.Equal(["combine", "total", "where", "escape", "fails"], entries.Select(e => e.Name));
        Assert.All(entries, e => Assert.Equal(HubconfLanguage.CSharp, e.Language));

        var help = ps.Run($"Get-HubHelp -Path '{repo}' combine").ThrowIfFailed().Objects<HubHelp>().Single();
        Assert.StartsWith("Combines two numbers.", help.Text);
        Assert.Equal("Result combine(int a, int b = 10, string label = \"sum\", Mode mode = Mode.Add)", help.Signature);
        Assert.False(Directory.Exists(new Hub().Cache.CompiledAssembliesFolder));

        // An entrypoint object pipes into Import-HubModel (LocalPath -> -LiteralPath, Name -> -Name).
        var piped = ps.Run($"Get-HubEntrypoint -Path '{repo}' total | Import-HubModel -ArgumentList 1,2").ThrowIfFailed();
        Assert.Equal(3, piped.Objects<int>().Single());
    }

    [Fact]
    public void HubContext_GivesTheRepositoryFolder_AndRefusesPathsOutsideIt()
    {
        var repo = CalculatorRepo();
        using var ps = new PowerShellSession();
        Assert.Equal(repo, ps.Run($"Import-HubModel -Path '{repo}' where").ThrowIfFailed().Objects<string>().Single());
        var error = Assert.Single(ps.Run($"Import-HubModel -Path '{repo}' escape").AllErrors);
        Assert.Equal("InvalidEntrypointArgument," + Cmd, error.FullyQualifiedErrorId);
    }

    [Fact]
    public void MissingRequiredParameter_ShowsTheSignature()
    {
        var repo = CalculatorRepo();
        using var ps = new PowerShellSession();
        var error = Assert.Single(ps.Run($"Import-HubModel -Path '{repo}' combine").AllErrors);
        Assert.Equal("MissingEntrypointArgument," + Cmd, error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Contains("'a'", error.Exception.Message);
        Assert.Contains("Signature: Result combine(int a, int b = 10, string label = \"sum\", Mode mode = Mode.Add)", error.Exception.Message);
    }

    [Fact]
    public void UnknownParameter_AndTooManyArguments_AreClearErrors()
    {
        var repo = CalculatorRepo();
        using var ps = new PowerShellSession();
        var unknown = Assert.Single(ps.Run($"Import-HubModel -Path '{repo}' combine 1 -Parameter @{{ nope = 1 }}").AllErrors);
        Assert.Equal("UnknownEntrypointArgument," + Cmd, unknown.FullyQualifiedErrorId);
        Assert.Contains("no parameter named 'nope'", unknown.Exception.Message);
        Assert.Contains("Signature: Result combine(", unknown.Exception.Message);

        var tooMany = Assert.Single(ps.Run($"Import-HubModel -Path '{repo}' combine 1,2,'x','Add',5").AllErrors);
        Assert.Equal("UnknownEntrypointArgument," + Cmd, tooMany.FullyQualifiedErrorId);

        var twice = Assert.Single(ps.Run($"Import-HubModel -Path '{repo}' combine 1 -Parameter @{{ a = 2 }}").AllErrors);
        Assert.Equal("InvalidEntrypointArgument," + Cmd, twice.FullyQualifiedErrorId);

        var badValue = Assert.Single(ps.Run($"Import-HubModel -Path '{repo}' combine 'not a number'").AllErrors);
        Assert.Equal("InvalidEntrypointArgument," + Cmd, badValue.FullyQualifiedErrorId);
        Assert.Contains("parameter 'a'", badValue.Exception.Message);
    }

    [Fact]
    public void HelpersAndUnknownNames_AreNotEntrypoints()
    {
        var repo = CalculatorRepo();
        using var ps = new PowerShellSession();
        foreach (var name in new[] { "_helper", "hidden", "alsoHidden", "notAnEntrypoint", "helperNotAnEntrypoint", "Combine" })
        {
            var error = Assert.Single(ps.Run($"Import-HubModel -Path '{repo}' {name}").AllErrors);
            Assert.Equal("EntrypointNotFound," + Cmd, error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
            Assert.Contains("Entrypoints: combine, escape, fails, total, where.", error.Exception.Message);
        }
    }

    [Fact]
    public void EntrypointException_IsReportedWithItsMessage()
    {
        var repo = CalculatorRepo();
        using var ps = new PowerShellSession();
        var error = Assert.Single(ps.Run($"Import-HubModel -Path '{repo}' fails").AllErrors);
        Assert.Equal("EntrypointFailed," + Cmd, error.FullyQualifiedErrorId);
        Assert.Contains("boom from the entrypoint", error.Exception.Message);
        Assert.IsType<InvalidOperationException>(error.Exception.InnerException);
    }

    [Fact]
    public void CompileError_ListsFileLineAndMessage_AndCachesNothing()
    {
        Temp.Write("broken/hubconf.cs", HubconfSamples.Broken);
        using var ps = new PowerShellSession();
        var error = Assert.Single(ps.Run($"Import-HubModel -Path '{Temp.Combine("broken")}' ok").AllErrors);
        Assert.Equal("HubconfCompileError," + Cmd, error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidData, error.CategoryInfo.Category);
        Assert.Contains("hubconf.cs(5,35): error CS0103: The name 'undefinedName' does not exist in the current context", error.Exception.Message);
        Assert.False(Directory.Exists(new Hub().Cache.CompiledAssembliesFolder) && Directory.EnumerateFiles(new Hub().Cache.CompiledAssembliesFolder).Any());
    }

    [Fact]
    public void MissingDependencies_AreNamedAsTorchDoes()
    {
        Temp.Write("deps/hubconf.cs", HubconfSamples.MissingDependency);
        using var ps = new PowerShellSession();
        var error = Assert.Single(ps.Run($"Import-HubModel -Path '{Temp.Combine("deps")}' model").AllErrors);
        Assert.Equal("MissingDependencies," + Cmd, error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.NotInstalled, error.CategoryInfo.Category);
        Assert.Equal("Missing dependencies: No.Such.Assembly, Another.Missing", error.Exception.Message);
    }

    [Fact]
    public void PythonOnlyRepository_WithoutAPythonWithTorch_SaysWhatWorksInstead()
    {
        SetEnvironment("TORCHHUB_PYTHON", Temp.Combine("no", "python3"));
        Temp.Write("py/hubconf.py", "def model():\n    pass\n");
        using var ps = new PowerShellSession();
        var error = Assert.Single(ps.Run($"Import-HubModel -Path '{Temp.Combine("py")}' model").AllErrors);
        Assert.Equal("PythonEntrypointNotRunnable," + Cmd, error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.NotImplemented, error.CategoryInfo.Category);
        var advice = error.ErrorDetails.RecommendedAction;
        foreach (var hint in new[] { "Get-HubEntrypoint", "Get-HubHelp", "Save-HubFile", "TorchScript", "hubconf.cs" })
            Assert.Contains(hint, advice);
        Assert.Contains("Python: The Python", error.Exception.Message);
    }

    [Fact]
    public void PythonOnlyRepository_LoadsThroughThePythonRoute_InTheSandbox()
    {
        var repo = System.IO.Path.Combine(System.AppContext.BaseDirectory, "Fixtures", "python-route", "models");
        using var ps = new PowerShellSession();
        var r = ps.Run($"Import-HubModel -Path '{repo}' -Name mlp -Parameter @{{ width = 16 }} -Verbose").ThrowIfFailed();
        Assert.Equal("TorchSharp.torch+jit+ScriptModule", Assert.Single(r.Output).BaseObject.GetType().FullName);
        Assert.Contains(r.Verbose, v => v.Contains("through the Python route"));
        Assert.Contains(r.Verbose, v => v.Contains("in the Bubblewrap sandbox"));
    }

    [Fact]
    public void TwoFolders_WithTheSameTypeNames_LoadSideBySide()
    {
        Temp.Write("v1/hubconf.cs", HubconfSamples.Versioned("v1"));
        Temp.Write("v2/hubconf.cs", HubconfSamples.Versioned("v2"));
        using var ps = new PowerShellSession();
        var r = ps.Run($"$a = Import-HubModel -Path '{Temp.Combine("v1")}' model; $b = Import-HubModel -Path '{Temp.Combine("v2")}' model; $a; $b; $a.Version; $b.Version").ThrowIfFailed();
        var (a, b) = (r.Output[0].BaseObject, r.Output[1].BaseObject);
        Assert.Equal("v1", r.Output[2].BaseObject);
        Assert.Equal("v2", r.Output[3].BaseObject);
        Assert.Equal(a.GetType().FullName, b.GetType().FullName); // Same.Model twice...
        Assert.NotSame(a.GetType(), b.GetType());                 // ...from two load contexts
        var contexts = new[] { AssemblyLoadContext.GetLoadContext(a.GetType().Assembly)!, AssemblyLoadContext.GetLoadContext(b.GetType().Assembly)! };
        Assert.All(contexts, c => Assert.True(c.IsCollectible));
        Assert.NotSame(contexts[0], contexts[1]);
        Assert.Contains(Temp.Combine("v1"), contexts[0].Name);
    }

    [Fact]
    public void SecondLoad_CompilesNothing_AcrossRunspacesAndAfterTheProcessForgets()
    {
        var repo = CalculatorRepo();
        string dll;
        using (var first = new PowerShellSession())
        {
            var r = first.Run($"Import-HubModel -Path '{repo}' total 1 -Verbose").ThrowIfFailed();
            Assert.Contains(r.Verbose, v => v.StartsWith("Compiled hubconf.cs of '" + repo + "' with 1 other C# file (hubconf.cs, Helpers.cs)"));
            dll = Assert.Single(Directory.GetFiles(new Hub().Cache.CompiledAssembliesFolder, "*.dll"));
            Assert.True(File.Exists(Path.ChangeExtension(dll, ".txt")));
        }
        var written = File.GetLastWriteTimeUtc(dll);

        using (var second = new PowerShellSession())
        {
            var r = second.Run($"Import-HubModel -Path '{repo}' total 2 -Verbose").ThrowIfFailed();
            Assert.Contains(r.Verbose, v => v.Contains("already loaded in this session (nothing compiled)"));
            Assert.DoesNotContain(r.Verbose, v => v.StartsWith("Compiled"));
        }

        HubconfRuntime.ForgetAll(); // what a new process sees: only the disk cache
        using (var third = new PowerShellSession())
        {
            var r = third.Run($"Import-HubModel -Path '{repo}' total 3 -Verbose").ThrowIfFailed();
            Assert.Equal(3, r.Objects<int>().Single());
            Assert.Contains(r.Verbose, v => v.Contains($"from the compile cache '{dll}' (nothing compiled)"));
            Assert.DoesNotContain(r.Verbose, v => v.StartsWith("Compiled"));
        }
        Assert.Equal(written, File.GetLastWriteTimeUtc(dll));
        Assert.Single(Directory.GetFiles(new Hub().Cache.CompiledAssembliesFolder, "*.dll"));
        Assert.Single(Directory.GetFiles(new Hub().Cache.CompiledAssembliesFolder, "*.txt"));

        // A changed source compiles again, into a new cache entry.
        File.AppendAllText(Path.Combine(repo, "Helpers.cs"), "\n// changed\n");
        using var fourth = new PowerShellSession();
        var changed = fourth.Run($"Import-HubModel -Path '{repo}' total 4 -Verbose").ThrowIfFailed();
        Assert.Contains(changed.Verbose, v => v.StartsWith("Compiled"));
        Assert.Equal(2, Directory.GetFiles(new Hub().Cache.CompiledAssembliesFolder, "*.dll").Length);
    }

    [Fact]
    public void Roslyn_IsIsolatedFromTheDefaultContext_InThePowerShellSession()
    {
        var repo = CalculatorRepo();
        using var ps = new PowerShellSession();
        ps.Run($"Import-HubModel -Path '{repo}' total 1").ThrowIfFailed();
        var r = ps.Run("""
            $default = [System.Runtime.Loader.AssemblyLoadContext]::Default.Assemblies | Where-Object { $_.GetName().Name -like 'Microsoft.CodeAnalysis*' }
            $private = [System.Runtime.Loader.AssemblyLoadContext]::All | Where-Object { $_.Name -eq 'TorchHub.Roslyn' }
            @($default).Count
            @($private.Assemblies | Where-Object { $_.GetName().Name -eq 'Microsoft.CodeAnalysis.CSharp' }).Count
            """).ThrowIfFailed();
        Assert.Equal(0, (int)r.Output[0].BaseObject);
        Assert.Equal(1, (int)r.Output[1].BaseObject);
    }

    [Fact]
    public void Name_CompletesFromTheFoldersHubconf()
    {
        var repo = CalculatorRepo();
        using var ps = new PowerShellSession();
        var line = $"Import-HubModel -Path '{repo}' -Name to";
        var r = ps.Run($"(TabExpansion2 -inputScript '{line.Replace("'", "''")}' -cursorColumn {line.Length}).CompletionMatches | ForEach-Object {{ $_.CompletionText }}").ThrowIfFailed();
        Assert.Equal(["total"], r.Objects<string>());
    }
}
