using System.IO;
using System.Linq;
using System.Management.Automation;
using TorchHub.Hubconf;
using TorchHub.Tests.Engine.Hubconf;
using TorchHub.Tests.Hosting;
using Xunit;

namespace TorchHub.Tests.PowerShell;

public sealed class EntrypointCmdletTests : HubTestBase
{
    private static string Vision => PythonFixtureTests.Fixture("vision");
    private static string Chain => PythonFixtureTests.Fixture("chain");

    private const string EntrypointCommand = "TorchHub.PowerShell.Commands.GetHubEntrypointCommand";
    private const string HelpCommand = "TorchHub.PowerShell.Commands.GetHubHelpCommand";

    [Fact]
    public void GetHubEntrypoint_ListsWhatTorchHubListWould()
    {
        using var ps = new PowerShellSession();
        var entries = ps.Run($"Get-HubEntrypoint -Path '{Vision}'").ThrowIfFailed().Objects<HubEntrypoint>();
        Assert.Equal(["alexnet", "get_model_weights", "get_weight", "raft_large", "raft_small", "resnet18", "resnet50", "wide_resnet50_2"], entries.Select(e => e.Name));
        Assert.All(entries, e =>
        {
            Assert.Equal(Vision, e.LocalPath);
            Assert.Null(e.Repository);
            Assert.Equal(HubconfLanguage.Python, e.Language);
        });
    }

    [Fact]
    public void GetHubEntrypoint_NameTakesWildcards_AndSeveralNames()
    {
        using var ps = new PowerShellSession();
        var entries = ps.Run($"Get-HubEntrypoint -LiteralPath '{Vision}' -Name resnet*, 'RAFT_SMALL'").ThrowIfFailed().Objects<HubEntrypoint>();
        Assert.Equal(["resnet18", "resnet50", "raft_small"], entries.Select(e => e.Name));
    }

    [Fact]
    public void GetHubEntrypoint_RelativePath_ResolvesAgainstPowerShellLocation()
    {
        using var ps = new PowerShellSession();
        var parent = Path.GetDirectoryName(Vision)!;
        var result = ps.Run($"$null = $ExecutionContext.SessionState.Path.SetLocation('{parent}'); Get-HubEntrypoint -Path ./vision alexnet").ThrowIfFailed();
        Assert.Equal("alexnet", result.Objects<HubEntrypoint>().Single().Name);
    }

    [Fact]
    public void GetHubEntrypoint_OneBadRepositoryInThePipeline_DoesNotStopTheOthers()
    {
        var empty = Directory.CreateDirectory(Temp.Combine("no-hubconf")).FullName;
        using var ps = new PowerShellSession();
        var result = ps.Run($"[pscustomobject]@{{ LiteralPath = '{empty}' }}, [pscustomobject]@{{ LiteralPath = '{Vision}' }} | Get-HubEntrypoint -Name alexnet");
        Assert.Equal("alexnet", result.Objects<HubEntrypoint>().Single().Name);
        var error = Assert.Single(result.AllErrors);
        Assert.Equal($"HubconfNotFound,{EntrypointCommand}", error.FullyQualifiedErrorId);
    }

    [Fact]
    public void GetHubEntrypoint_ACauseEveryInputShares_StopsTheCommand()
    {
        using var ps = new PowerShellSession();
        var result = ps.Run("[pscustomobject]@{ Repository = 'acme/a:v1' }, [pscustomobject]@{ Repository = 'acme/b:v1' } | Get-HubEntrypoint -TrustRepo -ConfirmTrust; 'next statement'");
        var error = Assert.Single(result.AllErrors); // the second repository was never tried
        Assert.Equal($"ConflictingTrustOptions,{EntrypointCommand}", error.FullyQualifiedErrorId);
        Assert.Equal(["next statement"], result.Output.Select(o => o.ToString()));
        Assert.False(Directory.Exists(HubDir));
    }

    [Fact]
    public void GetHubEntrypoint_UnknownExactName_IsANonTerminatingErrorWithSuggestion()
    {
        using var ps = new PowerShellSession();
        var result = ps.Run($"Get-HubEntrypoint -Path '{Vision}' -Name resnet19, alexnet, nothing*");
        Assert.Equal("alexnet", result.Objects<HubEntrypoint>().Single().Name);
        var error = Assert.Single(result.AllErrors);
        Assert.Equal($"EntrypointNotFound,{EntrypointCommand}", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Contains("Cannot find callable resnet19 in hubconf", error.Exception.Message);
        Assert.Contains("Did you mean 'resnet18'", error.Exception.Message);
    }

    [Fact]
    public void PipelineToGetHubHelp_BindsByPropertyName_ForLocalRepositories()
    {
        using var ps = new PowerShellSession();
        var help = ps.Run($"Get-HubEntrypoint -Path '{Vision}' -Name resnet* | Get-HubHelp").ThrowIfFailed().Objects<HubHelp>();
        Assert.Equal(["resnet18", "resnet50"], help.Select(h => h.Name));
        Assert.StartsWith("ResNet-18 from `Deep Residual Learning", help[0].ToString());
        Assert.Contains("\n    Args:\n", help[0].Docstring); // raw __doc__, indentation kept
        Assert.Contains("\nArgs:\n", help[0].Text);           // inspect.cleandoc form
        Assert.Equal(Vision, help[0].LocalPath);
    }

    [Fact]
    public void GetHubHelp_BindsOtherObjectsByPropertyName()
    {
        using var ps = new PowerShellSession();
        var help = ps.Run($"[pscustomobject]@{{ Name = 'alexnet'; LocalPath = '{Vision}' }} | Get-HubHelp").ThrowIfFailed().Objects<HubHelp>();
        Assert.Equal("alexnet", help.Single().Name);
        var raw = ps.Run($"[pscustomobject]@{{ Name = 'raft_small'; LocalPath = '{Vision}' }} | Get-HubHelp -Raw").ThrowIfFailed();
        Assert.StartsWith("RAFT \"small\" model", raw.Output.Single().BaseObject.ToString());
    }

    [Fact]
    public void GetHubHelp_ToStringIsTheDocstring_AndRawWritesJustTheString()
    {
        using var ps = new PowerShellSession();
        var text = ps.Run($"(Get-HubHelp -Path '{Chain}' -Name mnist).ToString()").ThrowIfFailed().Output.Single().BaseObject;
        Assert.Equal("\n    MNIST classifier.\n\n        pretrained (bool): load weights trained on MNIST\n        progress (bool): show a progress bar\n    ", text);
        var raw = ps.Run($"Get-HubHelp -Path '{Chain}' -Name tiny -Raw").ThrowIfFailed().Output.Single().BaseObject;
        Assert.Equal("    Tiny network, with a docstring that starts with an escaped newline.\n    ", raw);
        var none = ps.Run($"Get-HubHelp -Path '{Chain}' -Name lam -Raw -Verbose").ThrowIfFailed();
        Assert.Empty(none.Output);
        Assert.Contains(none.Verbose, v => v.Contains("no docstring"));
    }

    [Fact]
    public void GetHubHelp_UnknownName_IsEntrypointNotFound()
    {
        using var ps = new PowerShellSession();
        var result = ps.Run($"Get-HubHelp -Path '{Vision}' -Name alexnett");
        var error = Assert.Single(result.AllErrors);
        Assert.Equal($"EntrypointNotFound,{HelpCommand}", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Contains("Did you mean 'alexnet'", error.Exception.Message);
    }

    [Fact]
    public void AsListing_ExposesDependenciesAndWarnings()
    {
        using var ps = new PowerShellSession();
        var listing = ps.Run($"Get-HubEntrypoint -Path '{Chain}' -AsListing").ThrowIfFailed().Objects<HubconfListing>().Single();
        Assert.Equal(["torch", "numpy"], listing.Dependencies);
        Assert.Equal(HubconfLanguage.Python, listing.Language);
        Assert.Contains(listing.Entrypoints, e => e.Name == "mnist");
        var deps = ps.Run($"(Get-HubEntrypoint -Path '{Chain}' -AsListing).Dependencies").ThrowIfFailed().Output.Select(o => o.BaseObject);
        Assert.Equal(["torch", "numpy"], deps);
    }

    [Fact]
    public void ReaderWarnings_GoToTheWarningStream_OncePerPipeline()
    {
        var dir = Temp.Combine("warned");
        Temp.Write("warned/hubconf.py", "model = build()\nfrom elsewhere import *\ndef a():\n    'A.'\ndef b():\n    'B.'\n");
        using var ps = new PowerShellSession();
        var result = ps.Run($"Get-HubEntrypoint -Path '{dir}' | Get-HubHelp").ThrowIfFailed();
        Assert.Equal(2, result.Output.Count);
        Assert.Equal(2, result.Warnings.Count(w => w.Contains("'model'"))); // once from each cmdlet, not once per entrypoint
        Assert.Contains(result.Warnings, w => w.Contains("from elsewhere import *"));
    }

    [Fact]
    public void Errors_HaveStableIdsAndCategories()
    {
        var file = Temp.Write("a-file.txt", "x");
        var empty = Temp.Combine("empty");
        Directory.CreateDirectory(empty);
        var broken = Temp.Combine("broken");
        Temp.Write("broken/hubconf.py", "def f(:\n    pass\n");
        var latin = Temp.Combine("latin");
        Directory.CreateDirectory(latin);
        File.WriteAllBytes(Path.Combine(latin, "hubconf.py"), [(byte)'#', (byte)' ', 0xE9, (byte)'\n']);

        using var ps = new PowerShellSession();
        void Check(string path, string id, ErrorCategory category, string? messagePart = null)
        {
            var result = ps.Run($"Get-HubEntrypoint -LiteralPath '{path}'");
            var error = Assert.Single(result.AllErrors);
            Assert.Equal($"{id},{EntrypointCommand}", error.FullyQualifiedErrorId);
            Assert.Equal(category, error.CategoryInfo.Category);
            if (messagePart is not null) Assert.Contains(messagePart, error.Exception.Message);
        }
        Check(file, "RepositoryPathNotDirectory", ErrorCategory.InvalidArgument);
        Check(Temp.Combine("missing"), "RepositoryPathNotFound", ErrorCategory.ObjectNotFound);
        Check(empty, "HubconfNotFound", ErrorCategory.ObjectNotFound);
        Check(broken, "HubconfParseError", ErrorCategory.ParserError, "hubconf.py', line 1");
        Check(latin, "HubconfEncodingError", ErrorCategory.InvalidData, "line 1");
    }

    [Fact]
    public void NameCompletion_ReadsTheLocalRepository()
    {
        using var ps = new PowerShellSession();
        string[] Complete(string line)
        {
            var result = ps.Run("(TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches | ForEach-Object { $_.CompletionText }",
                new System.Collections.Generic.Dictionary<string, object?> { ["line"] = line }).ThrowIfFailed();
            return result.Output.Select(o => o.BaseObject.ToString()!).ToArray();
        }
        Assert.Equal(["resnet18", "resnet50"], Complete($"Get-HubEntrypoint -Path '{Vision}' -Name res"));
        Assert.Equal(["raft_large", "raft_small"], Complete($"Get-HubHelp -LiteralPath '{Vision}' -Name RA"));
        Assert.Equal(["wide_resnet50_2"], Complete($"Get-HubHelp -LocalPath '{Vision}' wide"));
        Assert.Empty(Complete($"Get-HubHelp -Path '{Temp.Combine("nowhere")}' -Name a"));
    }

    [Fact]
    public void NameCompletion_ForRepository_UsesTheCacheFolderOnly()
    {
        var cached = Path.Combine(HubDir, "acme_zoo_main");
        Directory.CreateDirectory(cached);
        File.Copy(Path.Combine(Chain, "hubconf.py"), Path.Combine(cached, "hubconf.py"));
        File.WriteAllText(Path.Combine(cached, "extra.py"), "");
        using var ps = new PowerShellSession();
        var line = "Get-HubHelp -Repository acme/zoo -Name mn";
        var result = ps.Run("(TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches | ForEach-Object { $_.CompletionText }",
            new System.Collections.Generic.Dictionary<string, object?> { ["line"] = line }).ThrowIfFailed();
        Assert.Equal(["mnist"], result.Output.Select(o => o.BaseObject.ToString()));
        var uncached = "Get-HubHelp -Repository acme/other -Name mn";
        var none = ps.Run("(TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches",
            new System.Collections.Generic.Dictionary<string, object?> { ["line"] = uncached }).ThrowIfFailed();
        Assert.Empty(none.Output);
    }

    [Fact]
    public void Views_LoadAndCoverTheOutputTypes_OneViewOfEachKindPerType()
    {
        // The hosted engine has no Format-* cmdlets; FormatTable parses the views as pwsh does and throws on errors.
        var files = Directory.GetFiles(Path.Combine(RepoPaths.Root, "module"), "*.Format.ps1xml");
        _ = new System.Management.Automation.Runspaces.FormatTable(files);
        var manifest = File.ReadAllText(RepoPaths.ModuleManifest);
        Assert.All(files, f => Assert.Contains(Path.GetFileName(f), manifest));

        // Two table views of one type in two files: pwsh silently uses the first (issue 11 found a
        // Certain column that never showed), so each type has at most one view of each kind.
        var views = files.SelectMany(f => System.Xml.Linq.XDocument.Load(f).Descendants("View"))
            .SelectMany(v => v.Element("ViewSelectedBy")!.Elements("TypeName").Select(t => (Type: t.Value,
                Kind: v.Elements().Single(e => e.Name.LocalName.EndsWith("Control", System.StringComparison.Ordinal)).Name.LocalName)))
            .ToList();
        Assert.Contains(("TorchHub.Hubconf.HubEntrypoint", "TableControl"), views);
        Assert.Contains(("TorchHub.Hubconf.HubHelp", "CustomControl"), views);
        Assert.Empty(views.GroupBy(v => v).Where(g => g.Count() > 1).Select(g => g.Key));
    }

    [Fact]
    public void CmdletsAreExported_WithOutputTypes()
    {
        using var ps = new PowerShellSession();
        var names = ps.Run("(Get-Command -Module TorchHub).Name").ThrowIfFailed().Output.Select(o => o.BaseObject.ToString());
        Assert.Contains("Get-HubEntrypoint", names);
        Assert.Contains("Get-HubHelp", names);
        var types = ps.Run("(Get-Command Get-HubHelp).OutputType.Name").ThrowIfFailed().Output.Select(o => o.BaseObject.ToString());
        Assert.Contains("TorchHub.Hubconf.HubHelp", types);
    }
}
