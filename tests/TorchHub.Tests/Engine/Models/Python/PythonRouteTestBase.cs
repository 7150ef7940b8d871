using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using TorchHub.Feedback;
using TorchHub.Hubconf.CSharp;
using TorchHub.Models;
using TorchHub.Models.Python;
using TorchHub.Repositories;
using TorchHub.Tests.Hosting;
using TorchHub.Tests.Interop;
using Xunit;
using static TorchSharp.torch;

namespace TorchHub.Tests.Engine.Models.Python;

/// <summary>
/// Shared parts of the Python route's tests: the fixture repositories (copied, so each test owns
/// its folder), a hub that records its feedback, requests, and eager PyTorch outputs of the same
/// entrypoints computed by Debian's torch outside TorchHub. These tests need /usr/bin/python3
/// with torch, torchvision and bubblewrap, which CI installs: they fail, never skip, without them.
/// </summary>
public abstract class PythonRouteTestBase : HubTestBase
{
    /// <summary>The input every output comparison uses.</summary>
    protected static readonly float[] InputValues = [0.1f, -0.2f, 0.3f, 0.4f, -0.5f, 0.6f, -0.7f, 0.8f];

    protected const string InputPython = "torch.tensor([[0.1, -0.2, 0.3, 0.4], [-0.5, 0.6, -0.7, 0.8]])";

    protected PythonRouteTestBase()
    {
        TorchHub.Runtime.TorchSharpRuntime.EnsureLoaded();
        Hub = new Hub(new HubOptions { Feedback = Feedback });
    }

    protected RecordingFeedback Feedback { get; } = new();

    protected Hub Hub { get; }

    protected static Tensor Input() => tensor(InputValues, [2, 4]);

    protected static string FixturePath(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "python-route", name);

    /// <summary>A private copy of a fixture repository.</summary>
    protected string CopyFixture(string name, string? as_ = null)
    {
        var target = Temp.Combine("repos", as_ ?? name);
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(FixturePath(name)))
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        return target;
    }

    private protected static ModelRequest Request(string repository, string name, IReadOnlyDictionary<string, object?>? named = null, params Tensor[] examples) =>
        new(HubRepository.OpenLocal(repository), name, [], named ?? new Dictionary<string, object?>(), HubArgumentConverters.Default)
        {
            ExampleInputs = examples.Length == 0 ? null : examples,
        };

    private protected static PythonModelRoute Route(PythonSandboxPolicy sandbox = PythonSandboxPolicy.Auto, TimeSpan? timeout = null, long? memory = null, string? python = null)
    {
        var options = new PythonRouteOptions { Sandbox = sandbox, Python = python };
        if (timeout is { } t) options = options with { Timeout = t };
        if (memory is { } m) options = options with { MemoryLimit = m };
        return new PythonModelRoute(options);
    }

    /// <summary>The entrypoint's eager output in PyTorch (torch.hub.load, source='local'), flattened: a list, a dict of lists, or a list of lists/nulls.</summary>
    protected static JsonElement Eager(string repository, string name, string kwargsPython = "{}", string? afterLoad = null)
    {
        var script = string.Join('\n',
            "import json, torch",
            $"m = torch.hub.load({TorchPython.Quote(repository)}, {TorchPython.Quote(name)}, source='local', **{kwargsPython})",
            afterLoad ?? "",
            "m.eval()",
            "def flat(o):",
            "    if o is None: return None",
            "    if isinstance(o, torch.Tensor): return o.reshape(-1).tolist()",
            "    if isinstance(o, dict): return {k: flat(v) for k, v in o.items()}",
            "    return [flat(v) for v in o]",
            "with torch.no_grad():",
            $"    print('RESULT ' + json.dumps(flat(m({InputPython}))))");
        var (code, output) = TorchPython.Run(script);
        Assert.True(code == 0, output);
        var line = output.Split('\n').Single(l => l.StartsWith("RESULT ", StringComparison.Ordinal));
        return JsonDocument.Parse(line["RESULT ".Length..]).RootElement.Clone();
    }

    protected static void AssertClose(JsonElement expected, Tensor actual, double tolerance = 1e-5)
    {
        var want = expected.EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var got = actual.to_type(ScalarType.Float64).reshape(-1).data<double>().ToArray();
        Assert.Equal(want.Length, got.Length);
        for (var i = 0; i < want.Length; i++)
            Assert.True(Math.Abs(want[i] - got[i]) <= tolerance * Math.Max(1, Math.Abs(want[i])), $"element {i}: PyTorch {want[i]}, TorchSharp {got[i]}");
    }

    protected sealed class RecordingFeedback : IHubFeedback
    {
        public List<string> Verbose { get; } = [];
        public List<string> Warnings { get; } = [];

        void IHubFeedback.Verbose(string message)
        {
            lock (Verbose) Verbose.Add(message);
        }

        public void Warning(string message)
        {
            lock (Warnings) Warnings.Add(message);
        }

        public void Progress(HubProgress progress) { }

        public bool Confirm(string query, string caption) => false;
    }
}
