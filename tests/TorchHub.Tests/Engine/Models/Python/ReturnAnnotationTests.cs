using System.Linq;
using TorchHub.Hubconf;
using TorchHub.Models;
using TorchHub.Models.Python;
using TorchHub.Repositories;
using TorchHub.Tests.Hosting;
using Xunit;

namespace TorchHub.Tests.Engine.Models.Python;

/// <summary>
/// The Python route is not offered for hubconf.py functions that are certainly not model builders
/// (pytorch/vision's get_weight, get_model_weights, list_models, get_model_builder): their return
/// annotation, as the static reader read it, says so.
/// </summary>
public sealed class ReturnAnnotationTests : HubTestBase
{
    private static HubEntrypoint Entry(string signature) => new() { Name = "f", RepositoryPath = "/x", Signature = signature };

    [Theory]
    [InlineData("f(name: str) -> WeightsEnum", "WeightsEnum")]                      // torchvision's get_weight
    [InlineData("f(name: Union[Callable, str]) -> Type[WeightsEnum]", "Type[WeightsEnum]")]
    [InlineData("f(module: Optional[ModuleType] = None) -> List[str]", "List[str]")]   // list_models
    [InlineData("f(name: str) -> Callable[..., nn.Module]", "Callable[..., nn.Module]")] // get_model_builder: a builder, not a model
    [InlineData("f() -> typing.Dict[str, int]", "typing.Dict[str, int]")]
    [InlineData("f() -> Optional[str]", "Optional[str]")]
    [InlineData("f() -> str | None", "str | None")]
    [InlineData("f() -> \"str\"", "\"str\"")]
    [InlineData("f() -> enum.Enum", "enum.Enum")]
    public void AnnotationThatIsNoModule_IsNotAModel(string signature, string annotation)
    {
        Assert.Equal($"'f' returns {annotation} (its return annotation), not a model (a torch.nn.Module)", ReturnAnnotation.NotAModelReason(Entry(signature)));
    }

    [Theory]
    [InlineData("f(*, weights=None, progress: bool = True, **kwargs: Any) -> ResNet")] // a class the reader does not follow
    [InlineData("f() -> nn.Module")]
    [InlineData("f() -> \"torch.nn.Module\"")]
    [InlineData("f() -> Optional[nn.Module]")]
    [InlineData("f() -> Any")]
    [InlineData("f(pretrained=False)")]                                              // no annotation: the route tries
    public void AnnotationThatMayBeAModule_LeavesThePythonRouteToTry(string signature)
    {
        Assert.Null(ReturnAnnotation.NotAModelReason(Entry(signature)));
    }

    [Fact]
    public void DescribeRoutes_OffersPythonForModelBuildersOnly()
    {
        Temp.Write("repo/hubconf.py", string.Join('\n',
            "dependencies = ['torch']",
            "from enum import Enum",
            "from typing import Callable, List",
            "import torch",
            "class WeightsEnum(Enum):",
            "    V1 = 'v1'",
            "def get_weight(name: str) -> WeightsEnum:",
            "    return WeightsEnum(name)",
            "def list_models() -> List[str]:",
            "    return ['mlp']",
            "def get_model_builder(name: str) -> Callable[..., torch.nn.Module]:",
            "    return mlp",
            "def mlp() -> torch.nn.Module:",
            "    return torch.nn.Linear(4, 3)",
            "def unannotated():",
            "    return torch.nn.Linear(4, 3)",
            ""));
        var hub = new Hub();
        var repository = HubRepository.OpenLocal(Temp.Combine("repo"));
        var routes = hub.DescribeRoutes(repository, hub.GetListing(repository).Entrypoints).ToDictionary(e => e.Name);

        Assert.Equal(ModelRouteKind.Python, routes["mlp"].Route);
        Assert.Equal(ModelRouteKind.Python, routes["unannotated"].Route);
        foreach (var name in new[] { "get_weight", "list_models", "get_model_builder" })
        {
            Assert.Null(routes[name].Route);
            var python = Assert.Single(routes[name].RouteReasons, r => r.Route == ModelRouteKind.Python);
            Assert.Contains("not a model", python.Reason);
        }
        Assert.Contains("returns WeightsEnum", routes["get_weight"].RouteReasons.Last().Reason);
    }
}
