using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using TorchHub.Hubconf;
using TorchHub.Hubconf.Python;
using TorchHub.Repositories;
using TorchHub.Tests.Hosting;
using Xunit;

namespace TorchHub.Tests.Engine.Hubconf;

/// <summary>
/// The static reader against real torch.hub: each fixture repository has an expected.json made
/// by Fixtures/hubconf/make-expected.py with Python 3.11 and torch 1.13 (torch.hub.list's names,
/// each entrypoint's __doc__ and inspect.cleandoc of it). No Python is needed to run these.
/// </summary>
public sealed class PythonFixtureTests
{
    // The torchvision-like repository is also what users try the help examples on, so it lives once,
    // in examples/vision; its torch.hub answers stay with the other fixtures' (<name>.expected.json).
    private static readonly string[] FromExamples = ["vision"];

    internal static string Fixture(string name) => FromExamples.Contains(name)
        ? Path.Combine(RepoPaths.Root, "examples", name)
        : Path.Combine(RepoPaths.Fixtures, "hubconf", name);

    private static string ExpectedJson(string name) => FromExamples.Contains(name)
        ? Path.Combine(RepoPaths.Fixtures, "hubconf", name + ".expected.json")
        : Path.Combine(Fixture(name), "expected.json");

    internal static HubconfListing Read(string name) => new PythonHubconfReader().Read(HubRepository.OpenLocal(Fixture(name)));

    private sealed record Expected(List<string> List, Dictionary<string, string?> Help, Dictionary<string, string?> Cleandoc, List<string>? Dependencies);

    private static Expected LoadExpected(string name)
    {
        var json = File.ReadAllText(ExpectedJson(name));
        return JsonSerializer.Deserialize<Expected>(json, new JsonSerializerOptions { PropertyNameCaseInsensitive = true })!;
    }

    [Theory]
    [InlineData("vision")]
    [InlineData("chain")]
    [InlineData("docstrings")]
    [InlineData("crlf_bom")]
    [InlineData("latin1")]
    [InlineData("instances")]
    [InlineData("importerror")]
    [InlineData("runtime")]
    [InlineData("noise")]
    [InlineData("dataclass_doc")]
    [InlineData("syspath")]
    [InlineData("doc_decorators")]
    public void Listing_MatchesTorchHub_AndDifferencesCarryNotes(string fixture)
    {
        var expected = LoadExpected(fixture);
        var listing = Read(fixture);
        var ours = listing.Entrypoints.ToDictionary(e => e.Name);

        // Everything torch.hub.list returns is listed, in dir() order; a name the reader cannot
        // see is allowed only when the listing says it is incomplete.
        foreach (var name in expected.List)
            Assert.True(ours.ContainsKey(name) || !listing.IsComplete, $"{fixture}: '{name}' is listed by torch.hub.list but not by the reader, whose listing claims to be complete");
        var common = listing.Entrypoints.Select(e => e.Name).Where(expected.List.Contains).ToList();
        Assert.Equal(expected.List.Where(ours.ContainsKey), common);

        // Anything extra is flagged as uncertain, never silently wrong.
        foreach (var extra in ours.Keys.Except(expected.List))
            Assert.False(ours[extra].IsCertain, $"{fixture}: '{extra}' is listed without a note but torch.hub.list does not list it");

        // Docstrings: exact __doc__ and cleandoc wherever the reader claims certainty.
        foreach (var name in expected.List.Where(ours.ContainsKey))
        {
            var entry = ours[name];
            var help = listing.GetHelp(name)!;
            if (!entry.IsCertain) continue;
            Assert.Equal(expected.Help[name], help.Docstring);
            Assert.Equal(expected.Cleandoc[name] ?? "", help.Text);
        }
        Assert.Equal(expected.Dependencies ?? [], listing.Dependencies);
    }

    [Fact]
    public void Vision_FollowsPackageReExportsAndDecorators()
    {
        var listing = Read("vision");
        Assert.Equal(
            ["alexnet", "get_model_weights", "get_weight", "raft_large", "raft_small", "resnet18", "resnet50", "wide_resnet50_2"],
            listing.Entrypoints.Select(e => e.Name));
        var resnet = listing.Entrypoints.Single(e => e.Name == "resnet18");
        Assert.Equal("torchvision/models/resnet.py", resnet.File);
        Assert.Equal(39, resnet.Line); // the first decorator's line, as Python's co_firstlineno
        Assert.True(resnet.IsCertain, string.Join("; ", resnet.Notes));
        Assert.Equal("resnet18(*, weights=None, progress: bool = True, **kwargs: Any) -> ResNet", resnet.Signature);
        Assert.Equal("ResNet-18 from `Deep Residual Learning for Image Recognition <https://arxiv.org/pdf/1512.03385.pdf>`__.", resnet.Synopsis);
        Assert.Equal(HubParameterKind.KeywordOnly, resnet.Parameters[0].Kind);
        Assert.Equal(HubParameterKind.VarKeyword, resnet.Parameters[2].Kind);
        Assert.Equal(["torch"], listing.Dependencies);
        Assert.Empty(listing.Warnings);
    }

    [Fact]
    public void Chain_ListsTorchSemantics()
    {
        var listing = Read("chain");
        var byName = listing.Entrypoints.ToDictionary(e => e.Name);

        // hubconf's own __all__ does not filter; private, modules, values and deleted names are out.
        Assert.Contains("mnist", byName.Keys);
        Assert.Contains("tiny", byName.Keys);
        foreach (var absent in new[] { "_hidden", "_private_helper", "os", "torch", "functools", "CONSTANT", "NAMES", "dependencies", "main_only", "_register" })
            Assert.DoesNotContain(absent, byName.Keys);

        // Imported from outside the repository: listed, with a note.
        Assert.Contains(byName["Path"].Notes, n => n.Contains("'pathlib'"));
        Assert.Contains(byName["load_state_dict_from_url"].Notes, n => n.Contains("'torch.hub'"));
        Assert.Null(byName["Path"].File);

        // Signatures as written.
        Assert.Equal("mnist(pretrained=False, *args, progress: bool = True, **kwargs) -> \"torch.nn.Module\"", byName["mnist"].Signature);
        Assert.Equal("fetcher(url, /, timeout=10, *, retries=3)", byName["fetcher"].Signature);
        Assert.Equal("Segmenter(num_classes: int = 21, backbone='resnet50')", byName["Segmenter"].Signature);
        Assert.Equal("nodoc(a, b=(1, 2), c={\"k\": [1, 2]})", byName["nodoc"].Signature);
        Assert.Equal("lam(x, y=2)", byName["lam"].Signature);
        Assert.Equal("big = functools.partial(mnist, pretrained=True)", byName["big"].Signature);

        // Undecidable things are flagged.
        Assert.Contains(byName["timed_model"].Notes, n => n.Contains("functools.wraps"));
        Assert.False(byName["legacy"].IsCertain);
        Assert.False(byName["modern"].IsCertain);
        Assert.Contains(byName["fast_net"].Notes, n => n.Contains("except"));
        Assert.True(byName["under_torch"].IsCertain);
        Assert.Contains(byName["big"].Notes, n => n.Contains("functools.partial"));

        // Re-export chain: zoo/__init__ -> zoo/nets/__init__ (__all__) -> small.py / large.py.
        Assert.Equal("zoo/nets/small.py", byName["small_net"].File);
        Assert.Equal("zoo/nets/large.py", byName["LargeNet"].File);
        Assert.True(byName["small_net"].IsCertain, string.Join("; ", byName["small_net"].Notes)); // @register returns its argument

        // __doc__ assigned after the def.
        Assert.Equal("Docstring assigned later.", listing.GetHelp("nodoc")!.Docstring);
        Assert.Equal(["torch", "numpy"], listing.Dependencies);
    }

    [Fact]
    public void Docstrings_EveryLiteralForm()
    {
        var listing = Read("docstrings");
        string? Doc(string n) => listing.GetHelp(n)!.Docstring;
        Assert.Equal("Escapes: tab\tnewline\nbell\a backspace\b formfeed\f vtab\v cr\r quote' dquote\" backslash\\ octalA\a hexA u\u00e9 U\U0001F600 name\u2022\u00b0 unknown\\q end.", Doc("escapes"));
        Assert.Equal("Raw: \\n stays, \\\\ stays, \\\" stays.", Doc("raw_string"));
        Assert.Equal("Implicit concatenation of three\n    literals.", Doc("implicit_concat"));
        Assert.Equal("Line continuation inside the literal.", Doc("continuation"));
        Assert.Null(Doc("f_string_is_not_doc"));
        Assert.Null(Doc("bytes_is_not_doc"));
        Assert.Null(Doc("not_first_statement"));
        Assert.Null(Doc("Undocumented"));
        Assert.Equal("", Doc("empty_doc"));
        Assert.Equal("\uac01 \u4e00 \u00e0", Doc("hangul_and_cjk"));
        Assert.Contains(listing.GetHelp("bytes_is_not_doc")!.Notes, n => n.Contains("no docstring"));
        Assert.Equal("Documented(x, *, y=2)", listing.Entrypoints.Single(e => e.Name == "Documented").Signature);
    }

    [Fact]
    public void Encodings_BomCrlfTabsAndLatin1()
    {
        var crlf = Read("crlf_bom");
        Assert.Equal("\n\tCRLF docstring.\n\n\t\tIndented with tabs.\n\t", crlf.GetHelp("crlf_model")!.Docstring);
        Assert.Equal(["crlf_model", "tabbed"], crlf.Entrypoints.Select(e => e.Name));
        var latin = Read("latin1");
        Assert.Equal("R\u00e9sum\u00e9 in Latin-1: na\u00efve, \u00a7 5.", latin.GetHelp("latin")!.Docstring);
        Assert.Equal("latin(name=\"caf\u00e9\")", latin.Entrypoints[0].Signature);
    }
}
