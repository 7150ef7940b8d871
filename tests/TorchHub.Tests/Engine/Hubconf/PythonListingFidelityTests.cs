using System.Collections.Generic;
using System.IO;
using System.Linq;
using TorchHub.Errors;
using TorchHub.Hubconf;
using TorchHub.Hubconf.Python;
using TorchHub.Repositories;
using TorchHub.Tests.Hosting;
using Xunit;

namespace TorchHub.Tests.Engine.Hubconf;

/// <summary>
/// The constructs issue 12 found in real hub repositories, each in a minimal fixture whose
/// expected.json comes from real torch.hub (see <see cref="PythonFixtureTests"/>).
/// </summary>
public sealed class PythonListingFidelityTests
{
    [Fact]
    public void Instances_OfRepositoryClassesWithCall_AreListed_ThroughLambdasFactoriesAndBases()
    {
        var listing = PythonFixtureTests.Read("instances");
        var byName = listing.Entrypoints.ToDictionary(e => e.Name);

        Assert.Equal(["Plain", "net", "resnet50", "tiny"], listing.Entrypoints.Select(e => e.Name));
        Assert.Equal("resnet50(pretrained=False, **kwargs)", byName["resnet50"].Signature);
        Assert.Equal("models/entry.py", byName["resnet50"].File);
        Assert.True(byName["resnet50"].IsCertain, string.Join("; ", byName["resnet50"].Notes));
        Assert.Equal("Builds a model by name when called.", listing.GetHelp("resnet50")!.Docstring); // the instance's __doc__ is its class's
        Assert.Equal("net(x, *, scale=1.0)", byName["net"].Signature);                              // __call__ from the base class
        Assert.Contains(listing.GetHelp("tiny")!.Notes, n => n.Contains("an instance of '_EntryPoint'"));

        // An object of a class outside the repository is reported, not dropped.
        Assert.DoesNotContain("plain", byName.Keys);
        Assert.Equal(["outside"], listing.PossibleEntrypoints);
        Assert.False(listing.IsComplete);
        Assert.Contains(listing.IncompleteReasons, r => r.Contains("'outside'"));
        Assert.Contains(listing.Warnings, w => w.Contains("'outside'") && w.Contains("pathlib.PurePosixPath"));
    }

    [Fact]
    public void ImportErrorThatIsCertain_TakesTheExceptBinding_AndExceptOnlyNamesAreConditional()
    {
        var listing = PythonFixtureTests.Read("importerror");
        var byName = listing.Entrypoints.ToDictionary(e => e.Name);

        Assert.Equal(["slow_model", "turbo_model"], listing.Entrypoints.Select(e => e.Name));
        Assert.DoesNotContain("fast_model", byName.Keys); // None: pkg has no 'missing'
        Assert.Contains(byName["slow_model"].Notes, n => n.Contains("assumes the try block succeeds")); // the try may work: a fallback, noted
        Assert.False(byName["turbo_model"].IsCertain); // bound by a star import in an except block
        Assert.Contains(byName["turbo_model"].Notes, n => n.Contains("only when the try block before line 20 raises"));
        Assert.True(listing.IsComplete, string.Join("; ", listing.IncompleteReasons));
    }

    [Fact]
    public void RunTimeNames_MakeTheListingIncomplete_WithTheReason()
    {
        var listing = PythonFixtureTests.Read("runtime");
        Assert.Equal(["static_net"], listing.Entrypoints.Select(e => e.Name));
        Assert.False(listing.IsComplete);
        Assert.Contains(listing.IncompleteReasons, r => r.Contains("globals()"));
        Assert.DoesNotContain(listing.Warnings, w => w.Contains("loop variable"));
    }

    [Fact]
    public void PathsFiltersAndLoopVariables_AreNotReportedAsPossibleEntrypoints()
    {
        var listing = PythonFixtureTests.Read("noise");
        Assert.Equal(["model"], listing.Entrypoints.Select(e => e.Name));
        Assert.Empty(listing.Warnings);
        Assert.Empty(listing.PossibleEntrypoints);
        Assert.True(listing.IsComplete, string.Join("; ", listing.IncompleteReasons));
    }

    [Fact]
    public void NameNotFound_InAnIncompleteListing_SaysItMayExistAtRunTime()
    {
        var repo = HubRepository.OpenLocal(PythonFixtureTests.Fixture("runtime"));
        var ex = Assert.Throws<HubException>(() => new Hub().Help(repo, "alpha_net"));
        Assert.Equal(HubErrorIds.EntrypointNotFound, ex.ErrorId);
        Assert.StartsWith("Cannot find callable alpha_net in hubconf", ex.Message);
        Assert.Contains("generates entrypoints at run time", ex.Message);
        Assert.Contains("globals()", ex.Message);
        Assert.Contains("planned", ex.RecommendedAction);

        var complete = Assert.Throws<HubException>(() => new Hub().Help(HubRepository.OpenLocal(PythonFixtureTests.Fixture("noise")), "nothing"));
        Assert.DoesNotContain("run time", complete.Message);
    }

    [Fact]
    public void Cmdlets_ShowTheCompletenessFlag_AndSayWhyANameMayBeMissing()
    {
        using var ps = new PowerShellSession();
        var vars = new Dictionary<string, object?> { ["p"] = PythonFixtureTests.Fixture("runtime") };

        var listing = ps.Run("Get-HubEntrypoint -LiteralPath $p -AsListing", vars).ThrowIfFailed();
        var single = Assert.IsType<HubconfListing>(Assert.Single(listing.Output).BaseObject);
        Assert.False(single.IsComplete);

        var entries = ps.Run("Get-HubEntrypoint -LiteralPath $p", vars);
        Assert.Equal(["static_net"], entries.Objects<HubEntrypoint>().Select(e => e.Name));
        Assert.Contains(entries.Warnings, w => w.Contains("incomplete"));

        var help = ps.Run("Get-HubHelp -LiteralPath $p -Name alpha_net", vars);
        var error = Assert.Single(help.AllErrors);
        Assert.StartsWith("EntrypointNotFound,", error.FullyQualifiedErrorId);
        Assert.Contains("generates entrypoints at run time", error.Exception.Message);

        // Import-HubModel, where no route can run the code (no Python): the same answer, not "no route".
        var import = ps.Run("$env:TORCHHUB_PYTHON = '/nonexistent/python3'; try { Import-HubModel -LiteralPath $p -Name alpha_net } finally { $env:TORCHHUB_PYTHON = $null }", vars);
        Assert.All(import.AllErrors, e => Assert.True(e.FullyQualifiedErrorId.StartsWith("EntrypointNotFound,"), e.FullyQualifiedErrorId + ": " + e.Exception.Message));
        var importError = import.AllErrors.First();
        Assert.Contains("generates entrypoints at run time", importError.Exception.Message);
        Assert.Contains("'alpha_net' may still exist", importError.Exception.Message);
    }

    [Fact]
    public void Dataclasses_GetThe__doc__PythonGenerates_AndTheirFieldsAsParameters()
    {
        var listing = PythonFixtureTests.Read("dataclass_doc");
        var byName = listing.Entrypoints.ToDictionary(e => e.Name);
        Assert.Equal("Options(depth: int = 18, name: str = 'resnet', scale: float = 1.5, pretrained: bool = False, layers: list = <factory>)",
            listing.GetHelp("Options")!.Docstring);
        Assert.Equal("Point(x: int, y: int = 0)", listing.GetHelp("Point")!.Docstring);
        Assert.Equal("A dataclass with its own docstring keeps it.", listing.GetHelp("Documented")!.Docstring);
        Assert.Equal("Point(x: int, y: int = 0)", byName["Point"].Signature);
        Assert.True(byName["Options"].IsCertain, string.Join("; ", byName["Options"].Notes));
        Assert.DoesNotContain(byName["Options"].Parameters, p => p.Name == "registry"); // ClassVar is not a field
    }

    [Fact]
    public void SysPathEdits_InHubconf_MakeTheirFoldersPartOfTheRepository_ForListingAndHelp()
    {
        var listing = PythonFixtureTests.Read("syspath");
        var byName = listing.Entrypoints.ToDictionary(e => e.Name);
        Assert.Equal(["Block", "Path", "fourth_net", "lib_net", "small_net", "third_net", "vendor_net"], listing.Entrypoints.Select(e => e.Name));

        // Each spelling of the folder: os.path.join(dirname(__file__), 'src'), append of
        // str(Path(__file__).parent / 'lib'), abspath(join(...)), Path(...).resolve().parent / 'third',
        // and a name bound to dirname(abspath(__file__)).
        Assert.Equal("src/srcnets/blocks.py", byName["small_net"].File);
        Assert.Equal("src/srcnets/blocks.py", byName["Block"].File);
        Assert.Equal("lib/libnets.py", byName["lib_net"].File);
        Assert.Equal("vendor/pkgs/vendornets.py", byName["vendor_net"].File);
        Assert.Equal("third/thirdnets.py", byName["third_net"].File);
        Assert.Equal("fourth/fourthnets.py", byName["fourth_net"].File);
        foreach (var name in new[] { "Block", "fourth_net", "lib_net", "small_net", "third_net", "vendor_net" })
            Assert.True(byName[name].IsCertain, $"{name}: {string.Join("; ", byName[name].Notes)}");
        Assert.Equal("fourth_net(x, *, y=2)", byName["fourth_net"].Signature);
        Assert.Equal("Block(width=8)", byName["Block"].Signature);
        Assert.Equal("From lib/, appended to sys.path.", listing.GetHelp("lib_net")!.Docstring);

        // A regular package found under src/ decides a failing import as one at the top would.
        Assert.DoesNotContain("fast_net", byName.Keys);
        Assert.Empty(listing.Warnings);
        Assert.True(listing.IsComplete, string.Join("; ", listing.IncompleteReasons));
    }

    [Fact]
    public void SysPathEdits_OutsideTheRepositoryOrUnreadable_AreNotFollowed()
    {
        using var temp = new TempDirectory();
        var repo = temp.Combine("repo");
        Directory.CreateDirectory(Path.Combine(repo, "src"));
        File.WriteAllText(Path.Combine(temp.Path, "outside.py"), "def out_net():\n    \"Outside.\"\n");
        File.WriteAllText(Path.Combine(repo, "src", "inside.py"), "def in_net():\n    \"Inside.\"\n");
        File.WriteAllText(Path.Combine(repo, "hubconf.py"), """
            import os, sys
            sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..'))
            sys.path.insert(0, os.environ.get('SRC', 'src'))
            from outside import out_net
            from inside import in_net
            """);
        var listing = new PythonHubconfReader().Read(HubRepository.OpenLocal(repo));
        var byName = listing.Entrypoints.ToDictionary(e => e.Name);
        Assert.Contains(listing.Warnings, w => w.Contains("line 2") && w.Contains("outside the repository"));
        Assert.Contains(byName["out_net"].Notes, n => n.Contains("imported from 'outside'"));
        Assert.Contains(byName["in_net"].Notes, n => n.Contains("imported from 'inside'")); // a folder from the environment is not followed
    }

    [Fact]
    public void DecoratorsThatEditDocWithStringOperations_AreApplied_OthersLeaveANote()
    {
        var listing = PythonFixtureTests.Read("doc_decorators");
        var byName = listing.Entrypoints.ToDictionary(e => e.Name);
        string? Doc(string n) => listing.GetHelp(n)!.Docstring;

        // Applied exactly (expected.json holds torch.hub.help's answers for the same folder).
        Assert.Equal("Noted model.\n\n    Note: the weights are downloaded on first use.", Doc("noted"));   // += a module constant
        Assert.Equal("Plus. (plus)", Doc("plussed"));                                                       // = __doc__ + "..."
        Assert.Equal("Prefix. ", Doc("prefixed"));                                                          // "..." + (__doc__ or "")
        Assert.Equal("A constant docstring.", Doc("replaced"));                                             // = "constant"
        Assert.Equal("Wrapped model.\n(wrapped)", Doc("wrapped"));                                          // functools.wraps wrapper, then an edit
        Assert.Equal("Checked. [checked]", Doc("checked"));                                                 // if __doc__ is not None: strip() + ...
        Assert.Equal("Undocumented.", Doc("unchecked"));                                                    // ... else: a constant
        Assert.Equal("Local. [local]", Doc("localized"));                                                   // through a local variable
        Assert.Equal("Stacked. (plus)\n\n    Note: the weights are downloaded on first use.", Doc("stacked")); // nearest decorator first
        foreach (var name in new[] { "noted", "plussed", "prefixed", "replaced", "wrapped", "checked", "unchecked", "localized", "stacked" })
        {
            Assert.True(byName[name].IsCertain, $"{name}: {string.Join("; ", byName[name].Notes)}");
            Assert.Contains(listing.GetHelp(name)!.Notes, n => n.StartsWith("__doc__ as changed by @", System.StringComparison.Ordinal));
        }
        Assert.Equal("Noted model.", byName["noted"].Synopsis);

        // Not a plain string operation (a call, a loop, a decorator factory): the docstring as
        // written, with a note that the help may differ from torch.hub.help.
        foreach (var (name, why) in new[] { ("templated", "not a plain string operation"), ("looped", "inside a for statement"), ("made", "decorator factory") })
        {
            Assert.False(byName[name].IsCertain, name);
            Assert.Contains(byName[name].Notes, n => n.Contains(why) && n.Contains("may differ from torch.hub.help"));
        }
        Assert.Equal("Model {name}.", Doc("templated"));
    }
}
