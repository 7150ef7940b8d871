using System.Collections;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using TorchHub.Tensors;
using TorchHub.Tests.Engine.Tensors;
using TorchHub.Tests.Hosting;
using TorchHub.Tests.Servers;
using Xunit;
using static TorchSharp.torch;

namespace TorchHub.Tests.PowerShell;

public sealed class TensorCmdletTests : HubTestBase
{
    private const string StateDictCmd = "TorchHub.PowerShell.Commands.ImportHubStateDictCommand";
    private const string ScriptCmd = "TorchHub.PowerShell.Commands.ImportHubTorchScriptCommand";

    private static Dictionary<string, object?> Vars(params (string, object?)[] pairs) => pairs.ToDictionary(p => p.Item1, p => p.Item2);

    private static ErrorRecord SingleError(PowerShellResult r) => Assert.Single(r.AllErrors);

    [Fact]
    public void ImportingTheModuleLoadsNoTorchSharpAndTheHookMakesDirectUseWork()
    {
        var output = ChildProcessEntry.RunProbe("import-probe");
        Assert.Contains("IMPORT ASSEMBLIES []", output);
        Assert.Contains("IMPORT NATIVE []", output);
        Assert.Contains("ONES 4", output); // [TorchSharp.torch]::ones(1, 4) with no TorchHub command before it
        var after = output.Split('\n').Single(l => l.StartsWith("AFTER NATIVE"));
        Assert.Contains("libLibTorchSharp.so", after);
        Assert.DoesNotContain("libtorch_cpu.so.", after); // never a system libtorch (Debian's python3-torch ships libtorch_cpu.so.1.13)
    }

    [Fact]
    public void MissingLibTorch_IsOneClearNotInstalledError()
    {
        var empty = Temp.Combine("empty-nuget");
        Directory.CreateDirectory(empty);
        var output = ChildProcessEntry.RunProbe("load-probe", TorchFixtures.PathOf("tiny_state.pth"),
            new Dictionary<string, string> { ["NUGET_PACKAGES"] = empty, ["TORCHHUB_NATIVE_CACHE"] = Temp.Combine("native") });
        Assert.Contains("ERROR TorchSharpUnavailable," + StateDictCmd + " NotInstalled", output);
        var message = output.Split('\n').Single(l => l.StartsWith("MESSAGE "));
        Assert.Contains("libtorch 2.10.0", message);
        Assert.Contains("Restore the NuGet package TorchSharp-cpu", message); // the remedy, on the same line
    }

    [Fact]
    public void BrokenLibTorch_NamesTheArchitectureRemedy()
    {
        var fake = Temp.Combine("fake-libtorch");
        Directory.CreateDirectory(fake);
        foreach (var name in new[] { "libc10.so", "libtorch_cpu.so", "libtorch.so" })
            File.WriteAllText(Path.Combine(fake, name), "not an ELF file"); // what a wrong-architecture or damaged copy looks like to dlopen
        var output = ChildProcessEntry.RunProbe("load-probe", TorchFixtures.PathOf("tiny_state.pth"),
            new Dictionary<string, string> { ["TORCHHUB_LIBTORCH"] = fake, ["TORCHHUB_NATIVE_CACHE"] = Temp.Combine("native") });
        Assert.Contains("ERROR TorchSharpUnavailable," + StateDictCmd + " NotInstalled", output);
        Assert.Contains("matches this machine's architecture", output);
    }

    [Fact]
    public void FreshNativeCache_IsRebuiltAndStillLoads()
    {
        // A new cache folder: the patched copy is written again (and the shim found in the build output).
        var cache = Temp.Combine("native");
        var output = ChildProcessEntry.RunProbe("load-probe", TorchFixtures.PathOf("tiny_state.pth"),
            new Dictionary<string, string> { ["TORCHHUB_NATIVE_CACHE"] = cache });
        Assert.Contains("OK", output);
        var systemIsOld = !System.Text.Encoding.ASCII.GetString(File.ReadAllBytes("/lib/x86_64-linux-gnu/libstdc++.so.6")).Contains("GLIBCXX_3.4.32");
        Assert.Equal(systemIsOld, Directory.Exists(cache) && Directory.GetFiles(cache, "libLibTorchSharp.so", SearchOption.AllDirectories).Length == 1);
    }

    [Theory]
    [InlineData("tiny_state.pth")]
    [InlineData("tiny_state_legacy_format.pth")]
    [InlineData("tiny_state_zipped.zip")]
    [InlineData("tiny_state.safetensors")]
    public void ImportHubStateDict_ReadsEveryFormat(string fixture)
    {
        using var ps = new PowerShellSession();
        var r = ps.Run("Import-HubStateDict -Path $p", Vars(("p", TorchFixtures.PathOf(fixture)))).ThrowIfFailed();
        var state = Assert.IsType<OrderedDictionary>(Assert.Single(r.Output).BaseObject);
        TorchFixtures.AssertTinyState(state);
    }

    [Fact]
    public void ImportHubStateDict_TakesFilesFromThePipelineAndWildcards()
    {
        using var ps = new PowerShellSession();
        var byName = ps.Run("[IO.FileInfo]::new($p) | Import-HubStateDict", Vars(("p", TorchFixtures.PathOf("tiny_state.pth")))).ThrowIfFailed();
        TorchFixtures.AssertTinyState(Assert.IsType<OrderedDictionary>(Assert.Single(byName.Output).BaseObject));
        var wild = ps.Run("Import-HubStateDict -Path \"$d/tiny_state.s*\"", Vars(("d", TorchFixtures.Folder))).ThrowIfFailed();
        TorchFixtures.AssertTinyState(Assert.IsType<OrderedDictionary>(Assert.Single(wild.Output).BaseObject));
    }

    [Fact]
    public void WholeCheckpoint_IsOrdinaryPowerShellData()
    {
        using var ps = new PowerShellSession();
        var r = ps.Run("""
            $c = Import-HubStateDict -Path $p
            $c.epoch; $c.arch; $c.best_acc; ($c.tags -join ','); $c.nested.lr; $c.nested.betas[1]; ($c.model.Keys -join ',')
            $c.model['fc.bias'].shape[0]
            """, Vars(("p", TorchFixtures.PathOf("checkpoint_nested.pth")))).ThrowIfFailed();
        Assert.Equal(new object[] { 7L, "tiny", 0.91, "a,b", 0.1, 0.999, "fc.weight,fc.bias", 2L }, r.Output.Select(o => o.BaseObject).ToArray());
    }

    [Fact]
    public void EveryDtype_ComesThroughPowerShell()
    {
        using var ps = new PowerShellSession();
        var r = ps.Run("Import-HubStateDict -LiteralPath $p", Vars(("p", TorchFixtures.PathOf("mixed_dtypes.pth")))).ThrowIfFailed();
        var state = Assert.IsType<OrderedDictionary>(Assert.Single(r.Output).BaseObject);
        foreach (var spec in TorchFixtures.Expected.GetProperty("mixed_dtypes").EnumerateObject())
        {
            var tensor = Assert.IsAssignableFrom<Tensor>(state[spec.Name]);
            Assert.Equal(TorchFixtures.DTypes[spec.Value.GetProperty("dtype").GetString()!], tensor.dtype);
            Assert.Equal(spec.Value.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()), tensor.shape);
            TorchFixtures.AssertTensor(spec.Value.GetProperty("values"), tensor);
        }
    }

    [Theory]
    [InlineData("malicious.pth")]
    [InlineData("malicious_zip.pth")]
    public void MaliciousCheckpoint_IsASecurityErrorAndDoesNotRun(string fixture)
    {
        File.Delete(TorchFixtures.PwnedMarker);
        using var ps = new PowerShellSession();
        var r = ps.Run("Import-HubStateDict -Path $p", Vars(("p", TorchFixtures.PathOf(fixture))));
        var error = SingleError(r);
        Assert.Equal("UnsafePickle," + StateDictCmd, error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.SecurityError, error.CategoryInfo.Category);
        Assert.Empty(r.Output);
        Assert.False(File.Exists(TorchFixtures.PwnedMarker));
    }

    [Fact]
    public void BadFiles_GiveClearErrors()
    {
        using var ps = new PowerShellSession();
        var truncated = Temp.Combine("truncated.pth");
        var bytes = File.ReadAllBytes(TorchFixtures.PathOf("tiny_state_legacy_format.pth"));
        File.WriteAllBytes(truncated, bytes[..(bytes.Length - 20)]);
        var text = Temp.Write("notes.txt", "not a model");

        var cases = new (string Path, string Id, ErrorCategory Category)[]
        {
            (truncated, "CorruptCheckpoint", ErrorCategory.InvalidData),
            (text, "UnsupportedCheckpoint", ErrorCategory.InvalidData),
            (Temp.Combine("missing.pth"), "CheckpointFileNotFound", ErrorCategory.ObjectNotFound),
        };
        foreach (var (path, id, category) in cases)
        {
            var r = ps.Run("Import-HubStateDict -LiteralPath $p", Vars(("p", path)));
            var error = SingleError(r);
            Assert.Equal(id + "," + StateDictCmd, error.FullyQualifiedErrorId);
            Assert.Equal(category, error.CategoryInfo.Category);
        }
        var wild = ps.Run("Import-HubStateDict -Path $p", Vars(("p", Temp.Combine("nothing-*.pth"))));
        Assert.Empty(wild.Output); // a wildcard matching nothing is not an error, as with Get-Content
    }

    [Fact]
    public void HostileCheckpoints_DeepNestingLoads_AndAHugePickleIsAClearError()
    {
        using var ps = new PowerShellSession();
        var deep = HostileCheckpointTests.TorchZip(Temp, "deep.pth", HostileCheckpointTests.NestedListsPickle(50_000));
        var r = ps.Run("Import-HubStateDict -LiteralPath $p", Vars(("p", deep))).ThrowIfFailed();
        Assert.IsType<List<object?>>(Assert.Single(r.Output).BaseObject);

        var huge = HostileCheckpointTests.SparseLegacyCheckpoint(Temp, "huge.pth", 3L << 30);
        var error = SingleError(ps.Run("Import-HubStateDict -LiteralPath $p", Vars(("p", huge))));
        Assert.Equal("CheckpointTooLarge," + StateDictCmd, error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.LimitsExceeded, error.CategoryInfo.Category);
    }

    [Fact]
    public void TorchScript_ForwardOnOnesEqualsPyTorch()
    {
        using var ps = new PowerShellSession();
        var r = ps.Run("""
            $m = Import-HubTorchScript -Path $p
            $y = $m.forward([TorchSharp.torch]::ones(1, 4))
            $y
            """, Vars(("p", TorchFixtures.PathOf("tiny_script.pt")))).ThrowIfFailed();
        var y = Assert.IsAssignableFrom<Tensor>(Assert.Single(r.Output).BaseObject);
        Assert.Equal(new long[] { 1, 2 }, y.shape);
        TorchFixtures.AssertTensor(TorchFixtures.Expected.GetProperty("tiny_forward_ones"), y);
    }

    [Fact]
    public void StateDict_LoadsIntoAModule_ThenForwardEqualsPyTorch()
    {
        using var ps = new PowerShellSession();
        var r = ps.Run("""
            $m = Import-HubTorchScript -Path $script
            foreach ($t in $m.parameters($true)) { $null = $t.detach().zero_() }
            $before = $m.forward([TorchSharp.torch]::ones(1, 4)).sum().item[float]()
            $report = Import-HubStateDict -Path $weights -Module $m
            $before
            $report
            $m.forward([TorchSharp.torch]::ones(1, 4))
            """, Vars(("script", TorchFixtures.PathOf("tiny_script.pt")), ("weights", TorchFixtures.PathOf("tiny_state_legacy_format.pth")))).ThrowIfFailed();
        Assert.Equal(0f, r.Output[0].BaseObject);
        var report = Assert.IsType<StateDictLoadResult>(r.Output[1].BaseObject);
        Assert.True(report.IsComplete);
        Assert.Equal(new[] { "fc.weight", "fc.bias" }, report.LoadedKeys);
        TorchFixtures.AssertTensor(TorchFixtures.Expected.GetProperty("tiny_forward_ones"), (Tensor)r.Output[2].BaseObject);
    }

    [Fact]
    public void LoadIntoModule_ReportsMissingAndUnexpectedKeys()
    {
        using var ps = new PowerShellSession();
        var vars = Vars(("script", TorchFixtures.PathOf("tiny_script.pt")), ("weights", TorchFixtures.PathOf("checkpoint_nested.pth")));
        var strict = ps.Run("$m = Import-HubTorchScript -Path $script; Import-HubStateDict -Path $weights -Module $m", vars);
        var error = SingleError(strict);
        Assert.Equal("StateDictMismatch," + StateDictCmd, error.FullyQualifiedErrorId);
        Assert.Contains("missing keys: \"fc.weight\", \"fc.bias\"", error.Exception.Message);
        Assert.Contains("unexpected keys: \"epoch\"", error.Exception.Message);

        var lenient = ps.Run("$m = Import-HubTorchScript -Path $script; Import-HubStateDict -Path $weights -Module $m -NonStrict", vars).ThrowIfFailed();
        var report = Assert.IsType<StateDictLoadResult>(Assert.Single(lenient.Output).BaseObject);
        Assert.Equal(new[] { "fc.weight", "fc.bias" }, report.MissingKeys);
        Assert.Contains("model", report.UnexpectedKeys);
        Assert.Single(lenient.Warnings);
    }

    [Fact]
    public void ImportHubTorchScript_OnANonScriptFile_IsInvalidData()
    {
        using var ps = new PowerShellSession();
        var r = ps.Run("Import-HubTorchScript -Path $p", Vars(("p", TorchFixtures.PathOf("tiny_state.safetensors"))));
        var error = SingleError(r);
        Assert.Equal("TorchScriptLoadFailed," + ScriptCmd, error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidData, error.CategoryInfo.Category);
    }

    [Fact]
    public async Task ImportHubStateDict_Uri_DownloadsIntoCheckpointsOnce()
    {
        await using var server = await FileServer.StartAsync();
        var content = File.ReadAllBytes(TorchFixtures.PathOf("tiny_state.pth"));
        server.Add("tiny_state.pth", content);
        using var ps = new PowerShellSession();
        var r = ps.Run("Import-HubStateDict -Uri $u", Vars(("u", server.Url("tiny_state.pth")))).ThrowIfFailed();
        TorchFixtures.AssertTinyState(Assert.IsType<OrderedDictionary>(Assert.Single(r.Output).BaseObject));
        Assert.True(File.Exists(Path.Combine(HubDir, "checkpoints", "tiny_state.pth")));

        // Cached: a second import makes no request.
        ps.Run("Import-HubStateDict -Uri $u", Vars(("u", server.Url("tiny_state.pth")))).ThrowIfFailed();
        Assert.Equal(1, server.RequestCount("tiny_state.pth"));

        // -FileName and -ModelDirectory, as torch's file_name and model_dir.
        var models = Temp.Combine("models");
        var script = ps.Run("Import-HubTorchScript -Uri $u -ModelDirectory $d -FileName 'tiny.pt'",
            Vars(("u", server.Url("tiny_script.pt")), ("d", models)));
        Assert.False(script.Succeeded); // not served: a clear download error, nothing left behind
        Assert.False(File.Exists(Path.Combine(models, "tiny.pt")));
        server.Add("tiny_script.pt", File.ReadAllBytes(TorchFixtures.PathOf("tiny_script.pt")));
        ps.Run("Import-HubTorchScript -Uri $u -ModelDirectory $d -FileName 'tiny.pt'",
            Vars(("u", server.Url("tiny_script.pt")), ("d", models))).ThrowIfFailed();
        Assert.True(File.Exists(Path.Combine(models, "tiny.pt")));
    }

    [Fact]
    public async Task ImportHubStateDict_Uri_CheckHash()
    {
        await using var server = await FileServer.StartAsync();
        var content = File.ReadAllBytes(TorchFixtures.PathOf("tiny_state.pth"));
        var name = "tiny_state-" + FileServer.Sha256(content)[..8] + ".pth";
        server.Add(name, content);
        server.Add("tiny_state-deadbeef.pth", content);
        using var ps = new PowerShellSession();
        var r = ps.Run("Import-HubStateDict -Uri $u -CheckHash", Vars(("u", server.Url(name)))).ThrowIfFailed();
        TorchFixtures.AssertTinyState(Assert.IsType<OrderedDictionary>(Assert.Single(r.Output).BaseObject));
        var mismatch = ps.Run("Import-HubStateDict -Uri $u -CheckHash", Vars(("u", server.Url("tiny_state-deadbeef.pth"))));
        Assert.Equal("HashMismatch," + StateDictCmd, SingleError(mismatch).FullyQualifiedErrorId);
        Assert.False(File.Exists(Path.Combine(HubDir, "checkpoints", "tiny_state-deadbeef.pth")));
    }

    [Fact]
    public void ImportHubTorchScript_Uri_WhatIfDownloadsNothing()
    {
        using var ps = new PowerShellSession();
        var r = ps.Run("Import-HubTorchScript -Uri 'http://127.0.0.1:9/tiny_script.pt' -WhatIf").ThrowIfFailed();
        Assert.Empty(r.Output);
        Assert.False(Directory.Exists(Path.Combine(HubDir, "checkpoints")));
    }
}
