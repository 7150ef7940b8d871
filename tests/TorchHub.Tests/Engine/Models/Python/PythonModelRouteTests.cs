using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using TorchHub.Errors;
using TorchHub.Models;
using TorchHub.Models.Python;
using TorchHub.Tests.Interop;
using TorchHub.Tests.Servers;
using Xunit;
using static TorchSharp.torch;

namespace TorchHub.Tests.Engine.Models.Python;

public sealed class PythonModelRouteTests : PythonRouteTestBase
{
    [Fact]
    public void Mlp_IsScriptedInBubblewrap_AndGivesPyTorchsOutputs()
    {
        var repo = CopyFixture("models");
        var route = Route();
        var request = Request(repo, "mlp", new Dictionary<string, object?> { ["width"] = 16, ["seed"] = 5 });

        var export = route.Export(Hub, request, CancellationToken.None);
        var module = Assert.IsType<jit.ScriptModule>(PythonModelRoute.LoadExport(Hub, export));

        Assert.Equal(ModelRouteKind.Python, route.Kind);
        Assert.Equal(PythonSandboxLevel.Bubblewrap, export.Sandbox);
        Assert.Equal("seccomp", export.Confinement);
        Assert.Equal("script", export.Method);
        Assert.False(export.FromCache);
        Assert.StartsWith(Path.Combine(HubDir, ".torchhub", "exports"), export.ModelPath, StringComparison.Ordinal);
        Assert.Empty(Directory.GetDirectories(Path.GetDirectoryName(export.ModelPath)!, ".work-*"));
        AssertClose(Eager(repo, "mlp", "{'width': 16, 'seed': 5}"), (Tensor)module.call(Input()));
        Assert.Contains(Feedback.Verbose, m => m.Contains("in the Bubblewrap sandbox", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_ThroughTheRouteContract_ReturnsTheModule()
    {
        var repo = CopyFixture("models");
        var loaded = Route().Load(Hub, Request(repo, "mlp"), CancellationToken.None);
        var module = Assert.IsType<jit.ScriptModule>(loaded);
        AssertClose(Eager(repo, "mlp"), (Tensor)module.call(Input()));
    }

    [Fact]
    public void DictReturningModel_ComesBackKeyedAsInPyTorch()
    {
        var repo = CopyFixture("models");
        var loaded = Route().Load(Hub, Request(repo, "heads"), CancellationToken.None);
        var module = Assert.IsType<DictOutputModule>(loaded);

        var output = module.call(Input());
        var eager = Eager(repo, "heads");

        Assert.Equal(eager.EnumerateObject().Select(p => p.Name), output.Keys); // same keys, same order
        AssertClose(eager.GetProperty("out"), output["out"]);
        AssertClose(eager.GetProperty("aux"), output["aux"]);
        module.Dispose(); // must not throw: TorchSharp's own Dispose of a wrapped ScriptModule threw ObjectDisposedException
    }

    [Fact]
    public void TupleWithNone_ComesBackWithNull()
    {
        var repo = CopyFixture("models");
        var module = Assert.IsType<jit.ScriptModule>(Route().Load(Hub, Request(repo, "pair"), CancellationToken.None));

        var (first, second) = Assert.IsType<ValueTuple<object, object>>(module.call(Input()));
        var eager = Eager(repo, "pair");

        AssertClose(eager[0], Assert.IsType<Tensor>(first));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, eager[1].ValueKind);
        Assert.Null(second);
    }

    [Fact]
    public void ModelThatCannotBeScripted_IsTracedOnTheExampleInput()
    {
        var repo = CopyFixture("models");
        var route = Route();

        var withoutExample = Assert.Throws<HubException>(() => route.Export(Hub, Request(repo, "needs_trace"), CancellationToken.None));
        Assert.Equal(HubErrorIds.PythonScriptFailed, withoutExample.ErrorId);
        Assert.Contains("step 'script'", withoutExample.Message, StringComparison.Ordinal);
        Assert.Contains("no example input", withoutExample.Message, StringComparison.Ordinal);

        var export = route.Export(Hub, Request(repo, "needs_trace", examples: zeros(1, 4)), CancellationToken.None);
        Assert.Equal("trace", export.Method);
        var module = Assert.IsType<jit.ScriptModule>(PythonModelRoute.LoadExport(Hub, export));
        AssertClose(Eager(repo, "needs_trace"), (Tensor)module.call(Input()));
    }

    [Fact]
    public void ModelThatCanNeitherBeScriptedNorTraced_FailsAtTheTraceStep()
    {
        var repo = CopyFixture("models");
        var error = Assert.Throws<HubException>(() => Route().Export(Hub, Request(repo, "unexportable", examples: zeros(1, 4)), CancellationToken.None));
        Assert.Equal(HubErrorIds.PythonTraceFailed, error.ErrorId);
        Assert.Contains("step 'trace'", error.Message, StringComparison.Ordinal);
        Assert.Contains("script:", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(Path.Combine(HubDir, ".torchhub", "exports"), "*.pt"));
    }

    [Fact]
    public void FailuresNameTheStep_WithTheRepositorysOwnError()
    {
        var repo = CopyFixture("models");
        var route = Route();

        var call = Assert.Throws<HubException>(() => route.Export(Hub, Request(repo, "broken"), CancellationToken.None));
        Assert.Equal(HubErrorIds.PythonCallFailed, call.ErrorId);
        Assert.Contains("ValueError: broken on purpose", call.Message, StringComparison.Ordinal);
        Assert.Contains("hubconf.py", call.Message, StringComparison.Ordinal); // the traceback's last lines

        var notModule = Assert.Throws<HubException>(() => route.Export(Hub, Request(repo, "not_a_module"), CancellationToken.None));
        Assert.Equal(HubErrorIds.PythonResultNotAModule, notModule.ErrorId);
        Assert.Equal(HubErrorCategory.InvalidResult, notModule.Category);
        Assert.Contains("failed at step 'result'", notModule.Message, StringComparison.Ordinal);
        Assert.Contains("returned builtins.int, not a torch.nn.Module", notModule.Message, StringComparison.Ordinal);
        Assert.Contains("build a model", notModule.RecommendedAction, StringComparison.Ordinal);

        var missing = Assert.Throws<HubException>(() => route.Export(Hub, Request(repo, "no_such_entrypoint"), CancellationToken.None));
        Assert.Equal(HubErrorIds.PythonCallFailed, missing.ErrorId);
        Assert.Contains("Cannot find callable no_such_entrypoint", missing.Message, StringComparison.Ordinal);

        Temp.Write("repos/bad-import/hubconf.py", "dependencies = ['torch']\nimport torchhub_no_such_module\n");
        var import = Assert.Throws<HubException>(() => route.Export(Hub, Request(Temp.Combine("repos", "bad-import"), "anything"), CancellationToken.None));
        Assert.Equal(HubErrorIds.PythonImportFailed, import.ErrorId);
        Assert.Contains("No module named 'torchhub_no_such_module'", import.Message, StringComparison.Ordinal);

        Temp.Write("repos/missing-dependency/hubconf.py", "dependencies = ['torch', 'torchhub_missing_dependency']\n");
        var dependency = Assert.Throws<HubException>(() => route.Export(Hub, Request(Temp.Combine("repos", "missing-dependency"), "anything"), CancellationToken.None));
        Assert.Equal(HubErrorIds.PythonImportFailed, dependency.ErrorId);
        Assert.Contains("Missing dependencies: torchhub_missing_dependency", dependency.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ArgumentsPythonCannotTake_AreRefusedBeforeAnythingRuns()
    {
        var repo = CopyFixture("models");
        var error = Assert.Throws<HubException>(() => Route().Export(Hub, Request(repo, "mlp", new Dictionary<string, object?> { ["width"] = new object() }), CancellationToken.None));
        Assert.Equal(HubErrorIds.PythonArgumentNotSupported, error.ErrorId);
        Assert.False(Directory.Exists(Path.Combine(HubDir, ".torchhub", "exports", "pythons")));
    }

    [Fact]
    public async Task DefaultArgumentThatDownloads_IsServedThroughTheParentsDownloader()
    {
        var repo = CopyFixture("models");
        var weights = Temp.Combine("served", "mlp_weights.pth");
        Directory.CreateDirectory(Path.GetDirectoryName(weights)!);
        var (code, output) = TorchPython.Run(string.Join('\n',
            "import sys, torch",
            $"sys.path.insert(0, {TorchPython.Quote(repo)})",
            "import hubconf",
            $"torch.save(hubconf.mlp(seed=7).state_dict(), {TorchPython.Quote(weights)})"));
        Assert.True(code == 0, output);
        await using var server = await FileServer.StartAsync();
        server.Add("weights/mlp_weights.pth", File.ReadAllBytes(weights));
        File.WriteAllText(Path.Combine(repo, "weights_url.txt"), server.Url("weights/mlp_weights.pth"));

        var export = Route().Export(Hub, Request(repo, "pretrained"), CancellationToken.None);
        var module = Assert.IsType<jit.ScriptModule>(PythonModelRoute.LoadExport(Hub, export));

        Assert.Equal(PythonSandboxLevel.Bubblewrap, export.Sandbox); // no network in the child: the parent fetched it
        Assert.Equal(1, server.RequestCount("weights/mlp_weights.pth"));
        var cached = Path.Combine(HubDir, "checkpoints", "mlp_weights.pth");
        Assert.Equal(File.ReadAllBytes(weights), File.ReadAllBytes(cached));
        Assert.Contains(Feedback.Verbose, m => m.Contains("asks for " + server.Url("weights/mlp_weights.pth"), StringComparison.Ordinal));
        var eager = Eager(repo, "mlp", afterLoad: $"m.load_state_dict(torch.load({TorchPython.Quote(weights)}))");
        AssertClose(eager, (Tensor)module.call(Input()));
    }

    [Fact]
    public void DownloadThatFails_FailsTheLoadWithTheDownloadersError()
    {
        var repo = CopyFixture("models");
        var error = Assert.Throws<HubException>(() => Route().Export(Hub,
            Request(repo, "pretrained", new Dictionary<string, object?> { ["weights_url"] = "ftp://127.0.0.1/x.pth" }), CancellationToken.None));
        Assert.Equal(HubErrorIds.UnsupportedUriScheme, error.ErrorId);
    }

    [Fact]
    public void SecondLoad_ReadsTheExportCache_InANewSession_WithoutStartingPython()
    {
        var repo = CopyFixture("models");
        // A python3 that counts its starts (a plain process, so the count can be written on the host).
        var counter = Temp.Combine("python-starts.txt");
        var python = Temp.Write("bin/python3", $"#!/bin/sh\necho started >> '{counter}'\nexec /usr/bin/python3 \"$@\"\n");
        if (OperatingSystem.IsLinux()) File.SetUnixFileMode(python, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        int Starts() => File.Exists(counter) ? File.ReadAllLines(counter).Length : 0;

        var first = Route(PythonSandboxPolicy.Process, python: python).Export(Hub, Request(repo, "mlp"), CancellationToken.None);
        Assert.Equal(2, Starts()); // the probe (torch's version) and the export
        Assert.False(first.FromCache);
        Assert.Empty(Feedback.Warnings); // a plain process that was asked for is not warned about

        PythonLocator.ForgetProbes(); // a new session: nothing remembered in memory
        var watch = Stopwatch.StartNew();
        var second = Route(PythonSandboxPolicy.Process, python: python).Export(Hub, Request(repo, "mlp"), CancellationToken.None);
        var module = Assert.IsType<jit.ScriptModule>(PythonModelRoute.LoadExport(Hub, second));
        watch.Stop();

        Assert.Equal(2, Starts());
        Assert.True(second.FromCache);
        Assert.Equal(first.ModelPath, second.ModelPath);
        Assert.Equal(PythonSandboxLevel.Process, second.Sandbox);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"warm load took {watch.Elapsed}");
        AssertClose(Eager(repo, "mlp"), (Tensor)module.call(Input()));

        // Other arguments, or a changed repository, export again.
        Route(PythonSandboxPolicy.Process, python: python).Export(Hub, Request(repo, "mlp", new Dictionary<string, object?> { ["seed"] = 1 }), CancellationToken.None);
        Assert.Equal(3, Starts());
        File.AppendAllText(Path.Combine(repo, "hubconf.py"), "\n# changed\n");
        Assert.False(Route(PythonSandboxPolicy.Process, python: python).Export(Hub, Request(repo, "mlp"), CancellationToken.None).FromCache);
        Assert.Equal(4, Starts());
    }

    [Fact]
    public void Timeout_StopsTheChild_WithItsOwnError()
    {
        var repo = CopyFixture("models");
        var watch = Stopwatch.StartNew();
        var error = Assert.Throws<HubException>(() => Route(timeout: TimeSpan.FromSeconds(4)).Export(Hub, Request(repo, "sleeper"), CancellationToken.None));
        Assert.Equal(HubErrorIds.PythonTimeout, error.ErrorId);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"took {watch.Elapsed}");
        Assert.Empty(Directory.GetDirectories(Path.Combine(HubDir, ".torchhub", "exports"), ".work-*"));
    }

    [Fact]
    public void Cancellation_StopsTheChild()
    {
        var repo = CopyFixture("models");
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(4));
        var watch = Stopwatch.StartNew();
        Assert.ThrowsAny<OperationCanceledException>(() => Route().Export(Hub, Request(repo, "sleeper"), cancel.Token));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"took {watch.Elapsed}");
    }

    [Fact]
    public void MemoryLimit_StopsAModelThatAllocatesTooMuch()
    {
        var repo = CopyFixture("models");
        var error = Assert.Throws<HubException>(() => Route(memory: 3L << 30).Export(Hub, Request(repo, "hog"), CancellationToken.None));
        Assert.Equal(HubErrorIds.PythonCallFailed, error.ErrorId);
        Assert.Contains("MemoryError", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheRepositorysPrints_DoNotDisturbTheProtocol()
    {
        var repo = CopyFixture("models");
        var export = Route().Export(Hub, Request(repo, "chatty"), CancellationToken.None);
        Assert.Equal("script", export.Method);
    }

    [Fact]
    public void TorchvisionResnet18_FromALocalHubRepository_GivesPyTorchsOutputs()
    {
        var repo = CopyFixture("vision");
        var export = Route().Export(Hub, Request(repo, "resnet18"), CancellationToken.None);
        var module = Assert.IsType<jit.ScriptModule>(PythonModelRoute.LoadExport(Hub, export));

        var (code, output) = TorchPython.Run(string.Join('\n',
            "import json, torch",
            "torch.manual_seed(0)",
            $"m = torch.hub.load({TorchPython.Quote(repo)}, 'resnet18', source='local').eval()",
            $"m.load_state_dict(torch.jit.load({TorchPython.Quote(export.ModelPath)}).state_dict())",
            "x = torch.linspace(-1, 1, 3 * 64 * 64).reshape(1, 3, 64, 64)",
            "with torch.no_grad(): print('RESULT ' + json.dumps(m(x).reshape(-1).tolist()))"));
        Assert.True(code == 0, output);
        var eager = System.Text.Json.JsonDocument.Parse(output.Split('\n').Single(l => l.StartsWith("RESULT ", StringComparison.Ordinal))[7..]).RootElement;

        using var _ = no_grad();
        var x = linspace(-1, 1, 3 * 64 * 64).reshape(1, 3, 64, 64);
        AssertClose(eager, (Tensor)module.call(x), tolerance: 1e-4);
        Assert.Equal(1000, ((Tensor)module.call(x)).shape[1]);
    }

    [Fact]
    public void CannotLoadReason_LooksOnlyAtFiles()
    {
        var repo = CopyFixture("models");
        Assert.Null(Route().CannotLoadReason(Request(repo, "mlp")));

        Temp.Write("repos/dotnet-only/hubconf.cs", "// no hubconf.py\n");
        Assert.Contains("has no hubconf.py", Route().CannotLoadReason(Request(Temp.Combine("repos", "dotnet-only"), "x")), StringComparison.Ordinal);

        var missingPython = Route(python: Temp.Combine("no", "python3")).CannotLoadReason(Request(repo, "mlp"));
        Assert.Contains("does not exist", missingPython, StringComparison.Ordinal);
    }

    [Fact]
    public void EnvironmentSettings_AreReadOnce_AndBadValuesAreNamed()
    {
        SetEnvironment("TORCHHUB_PYTHON", "/opt/python3");
        SetEnvironment("TORCHHUB_PYTHON_SANDBOX", "bwrap");
        SetEnvironment("TORCHHUB_PYTHON_TIMEOUT", "30");
        SetEnvironment("TORCHHUB_PYTHON_MEMORY_MB", "2048");
        var options = PythonRouteOptions.FromEnvironment();
        Assert.Equal("/opt/python3", options.Python);
        Assert.Equal(PythonSandboxPolicy.Bubblewrap, options.Sandbox);
        Assert.Equal(TimeSpan.FromSeconds(30), options.Timeout);
        Assert.Equal(2048L << 20, options.MemoryLimit);

        SetEnvironment("TORCHHUB_PYTHON_SANDBOX", "chroot");
        var error = Assert.Throws<HubException>(PythonRouteOptions.FromEnvironment);
        Assert.Equal(HubErrorIds.InvalidPythonRouteSetting, error.ErrorId);
        Assert.Contains("TORCHHUB_PYTHON_SANDBOX", error.Message, StringComparison.Ordinal);

        SetEnvironment("TORCHHUB_PYTHON_SANDBOX", null);
        SetEnvironment("TORCHHUB_PYTHON_TIMEOUT", "-3");
        Assert.Equal(HubErrorIds.InvalidPythonRouteSetting, Assert.Throws<HubException>(PythonRouteOptions.FromEnvironment).ErrorId);
    }
}
