using System;
using System.Collections.Generic;
using TorchSharp;

namespace TorchHub.Models.Ports;

/// <summary>
/// One pytorch/vision entrypoint and its verified TorchSharp twin: how the twin is built from the
/// entrypoint's keyword arguments, and the weights torchvision publishes for it.
/// </summary>
/// <param name="Name">The entrypoint (torchvision's builder function).</param>
/// <param name="WeightsEnum">torchvision's weights enum, accepted as a prefix of a weights name (<c>ResNet18_Weights.IMAGENET1K_V1</c>).</param>
/// <param name="Arguments">The builder's keyword arguments the port takes, besides weights, progress and pretrained.</param>
/// <param name="Build">Builds the module; reads the arguments through <see cref="PortArguments"/>.</param>
/// <param name="V1">IMAGENET1K_V1's file under torchvision's weights URL (also what legacy <c>pretrained=True</c> loads).</param>
/// <param name="V2">IMAGENET1K_V2's file, where torchvision publishes one (then DEFAULT).</param>
internal sealed record TorchVisionPort(
    string Name,
    string WeightsEnum,
    IReadOnlyList<string> Arguments,
    Func<PortArguments, torch.nn.Module<torch.Tensor, torch.Tensor>> Build,
    string V1,
    string? V2 = null)
{
    /// <summary>Key prefixes the published file holds that torchvision's builder drops after loading (googlenet's auxiliary heads).</summary>
    public IReadOnlyList<string> DroppedKeys { get; init; } = [];

    /// <summary>Arguments the port cannot honour although it takes their name: returns why, or null when it can.</summary>
    public Func<PortArguments, string?>? Refuses { get; init; }

    /// <summary>The weights names torchvision's enum has for this model, DEFAULT last.</summary>
    public IEnumerable<string> WeightsNames => V2 is null ? ["IMAGENET1K_V1", "DEFAULT"] : ["IMAGENET1K_V1", "IMAGENET1K_V2", "DEFAULT"];

    /// <summary>The file of a weights name (without the enum prefix), or null when torchvision publishes none by that name.</summary>
    public string? FileOf(string weights) => weights switch
    {
        "IMAGENET1K_V1" => V1,
        "IMAGENET1K_V2" => V2,
        "DEFAULT" => V2 ?? V1,
        _ => null,
    };
}
