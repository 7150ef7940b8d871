using System.Collections.Generic;
using System.Linq;
using System.Threading;
using TorchHub.Errors;
using TorchHub.Feedback;
using TorchHub.Hubconf.CSharp;
using TorchHub.Models;
using TorchHub.Repositories;
using TorchHub.Tests.Hosting;
using Xunit;

namespace TorchHub.Tests.Engine.Models;

/// <summary>Choosing the route: the first that can, or the one forced; when none can, every route's reason.</summary>
public sealed class ModelLoaderTests : HubTestBase
{
    private sealed class FakeRoute(ModelRouteKind kind, string? reason) : IModelRoute
    {
        public int Loads;

        public ModelRouteKind Kind => kind;

        public string? CannotLoadReason(ModelRequest request) => reason;

        public object? Load(Hub hub, ModelRequest request, CancellationToken cancellationToken)
        {
            Loads++;
            return $"{kind} loaded {request.Name}";
        }
    }

    private sealed class Messages : IHubFeedback
    {
        public List<string> Verbose { get; } = [];
        void IHubFeedback.Verbose(string message) => Verbose.Add(message);
        public void Warning(string message) { }
        public void Progress(HubProgress progress) { }
        public bool Confirm(string query, string caption) => false;
    }

    private HubRepository PythonRepository()
    {
        Temp.Write("repo/hubconf.py", "def known():\n    pass\n");
        return HubRepository.OpenLocal(Temp.Combine("repo"));
    }

    private static ModelRequest Request(HubRepository repository, string name) =>
        new(repository, name, [], new Dictionary<string, object?>(), HubArgumentConverters.Default);

    [Fact]
    public void Auto_TakesTheFirstRouteThatCan_AndSaysWhyItSkippedTheOthers()
    {
        var (csharp, port, python) = (new FakeRoute(ModelRouteKind.CSharp, "no hubconf.cs"), new FakeRoute(ModelRouteKind.Port, null), new FakeRoute(ModelRouteKind.Python, null));
        var messages = new Messages();
        var hub = new Hub(new HubOptions { Feedback = messages });
        var result = new ModelLoader([csharp, port, python]).Load(hub, Request(PythonRepository(), "known"), null, default);
        Assert.Equal("Port loaded known", result.Value);
        Assert.Equal(("known", ModelRouteKind.Port), (result.Entrypoint, result.Route)); // what Import-HubModel shows
        Assert.Equal((0, 1, 0), (csharp.Loads, port.Loads, python.Loads));
        Assert.Contains(messages.Verbose, m => m.Contains("through the Port route (CSharp: no hubconf.cs)"));
    }

    [Fact]
    public void AForcedRoute_IsTheOnlyOneAsked()
    {
        var (port, python) = (new FakeRoute(ModelRouteKind.Port, null), new FakeRoute(ModelRouteKind.Python, null));
        var result = new ModelLoader([port, python]).Load(new Hub(), Request(PythonRepository(), "known"), ModelRouteKind.Python, default);
        Assert.Equal("Python loaded known", result.Value);
        Assert.Equal(ModelRouteKind.Python, result.Route);
        Assert.Equal(0, port.Loads);
    }

    [Fact]
    public void AForcedRouteThatCannot_FailsWithItsReason()
    {
        var loader = new ModelLoader([new FakeRoute(ModelRouteKind.Port, "no verified port of 'known'"), new FakeRoute(ModelRouteKind.Python, null)]);
        var ex = Assert.Throws<HubException>(() => loader.Load(new Hub(), Request(PythonRepository(), "known"), ModelRouteKind.Port, default));
        Assert.Equal(HubErrorIds.ModelRouteNotApplicable, ex.ErrorId);
        Assert.Equal(HubErrorCategory.InvalidOperation, ex.Category);
        Assert.Contains("The Port route cannot load 'known'", ex.Message);
        Assert.Contains("Port: no verified port of 'known'", ex.Message);
    }

    [Fact]
    public void AForcedRouteThisBuildLacks_SaysSo()
    {
        var loader = new ModelLoader([new FakeRoute(ModelRouteKind.CSharp, null)]);
        var ex = Assert.Throws<HubException>(() => loader.Load(new Hub(), Request(PythonRepository(), "known"), ModelRouteKind.Python, default));
        Assert.Equal(HubErrorIds.ModelRouteNotApplicable, ex.ErrorId);
        Assert.Contains("Python: this build of TorchHub has no such route", ex.Message);
    }

    [Fact]
    public void NoRouteCan_TheErrorListsEveryRoutesReason()
    {
        var loader = new ModelLoader([new FakeRoute(ModelRouteKind.CSharp, "no hubconf.cs"), new FakeRoute(ModelRouteKind.Port, "not pytorch/vision"), new FakeRoute(ModelRouteKind.Python, "no python3 with torch found")]);
        var ex = Assert.Throws<HubException>(() => loader.Load(new Hub(), Request(PythonRepository(), "known"), null, default));
        Assert.Equal(HubErrorIds.PythonEntrypointNotRunnable, ex.ErrorId);
        Assert.Contains("CSharp: no hubconf.cs; Port: not pytorch/vision; Python: no python3 with torch found", ex.Message);
    }

    [Fact]
    public void NoRouteCan_AndTheNameIsUnknown_IsTorchsEntrypointNotFound()
    {
        var loader = new ModelLoader([new FakeRoute(ModelRouteKind.Port, "no verified port")]);
        var ex = Assert.Throws<HubException>(() => loader.Load(new Hub(), Request(PythonRepository(), "knwon"), null, default));
        Assert.Equal(HubErrorIds.EntrypointNotFound, ex.ErrorId);
        Assert.Contains("Did you mean 'known'?", ex.Message);
    }

    [Fact]
    public void TheHubsRoutes_AreCSharpThenPort_InThatOrder()
    {
        Assert.Equal([ModelRouteKind.CSharp, ModelRouteKind.Port], ModelLoader.For(new Hub()).Routes.Select(r => r.Kind).Take(2));
    }

    [Fact]
    public void DescribeRoutes_SaysHowEachEntrypointLoads_WithoutLoadingAnything()
    {
        SetEnvironment("TORCHHUB_PYTHON", Temp.Combine("no", "python3")); // the Python route's reason too
        Temp.Write("both/hubconf.py", "def py_only():\n    pass\n\ndef shared():\n    pass\n");
        Temp.Write("both/hubconf.cs", "public static class Hubconf { public static object shared() => 1; }\n");
        var hub = new Hub();
        var repository = HubRepository.OpenLocal(Temp.Combine("both"));
        var described = hub.DescribeRoutes(repository, hub.GetListing(repository).Entrypoints);
        var pyOnly = Assert.Single(described, e => e.Name == "py_only");
        Assert.Null(pyOnly.Route);
        Assert.Contains(pyOnly.RouteReasons, r => r.Route == ModelRouteKind.CSharp && r.Reason == "hubconf.cs has no entrypoint 'py_only'");
        Assert.Contains(pyOnly.RouteReasons, r => r.Route == ModelRouteKind.Port && r.Reason.Contains("pytorch/vision only"));
        Assert.Contains(pyOnly.RouteReasons, r => r.Route == ModelRouteKind.Python && r.Reason.Contains("does not exist"));
        Assert.All(described.Where(e => e.Name == "shared"), e => Assert.Equal(ModelRouteKind.CSharp, e.Route));
        Assert.False(System.IO.Directory.Exists(hub.Cache.CompiledAssembliesFolder)); // nothing compiled
    }
}
