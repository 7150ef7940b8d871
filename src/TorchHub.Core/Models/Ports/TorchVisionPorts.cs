using System;
using System.Collections.Generic;
using System.Linq;
using static TorchSharp.torchvision;

namespace TorchHub.Models.Ports;

/// <summary>
/// The pytorch/vision entrypoints with a verified TorchSharp port (TorchVision 0.107.0), checked
/// against torchvision 0.14.1 key by key, shape by shape and output by output
/// (tests/TorchHub.Tests/Engine/Models/TorchVisionPortTests.cs, fixtures made by
/// Fixtures/vision/make-vision-fixtures.py). Weight files are those of torchvision's weight enums
/// (<c>url=</c> in torchvision/models/*.py); each name ends in the SHA-256 prefix torch checks.
/// Not here on purpose: resnext101_32x8d and resnext101_64x4d (TorchVision 0.107's ports build
/// 320 of the 626 keys and give other outputs); mobilenet_v3_large (same keys and shapes, but
/// outputs 5e-3 apart relative to torchvision's for the same random weights, where PyTorch's own
/// float32-vs-float64 spread is 1e-6); and every entrypoint TorchVision has no port for. Add an
/// entrypoint only once TORCHHUB_VERIFY_PORTS passes for it (docs/guides/models-ports.md).
/// </summary>
internal static class TorchVisionPorts
{
    /// <summary>The repository whose entrypoints these are (any ref).</summary>
    public const string Owner = "pytorch", Repository = "vision";

    /// <summary>Where torchvision's weight enums point; a mirror rule for it (<see cref="HubOptions.TorchVisionWeightsUrl"/> is one) moves the requests, not the names.</summary>
    public static readonly Uri PublishedWeights = new("https://download.pytorch.org/models/");

    private static readonly string[] Classifier = ["num_classes", "dropout"];
    private static readonly string[] ResNet = ["num_classes", "zero_init_residual"];

    private static int Classes(PortArguments a) => a.Int("num_classes", 1000);

    public static IReadOnlyDictionary<string, TorchVisionPort> All { get; } = new TorchVisionPort[]
    {
        new("alexnet", "AlexNet_Weights", Classifier, a => models.alexnet(Classes(a), a.Float("dropout", 0.5f)), "alexnet-owt-7be5be79.pth"),
        new("vgg11", "VGG11_Weights", Classifier, a => models.vgg11(Classes(a), a.Float("dropout", 0.5f)), "vgg11-8a719046.pth"),
        new("vgg11_bn", "VGG11_BN_Weights", Classifier, a => models.vgg11_bn(Classes(a), a.Float("dropout", 0.5f)), "vgg11_bn-6002323d.pth"),
        new("vgg13", "VGG13_Weights", Classifier, a => models.vgg13(Classes(a), a.Float("dropout", 0.5f)), "vgg13-19584684.pth"),
        new("vgg13_bn", "VGG13_BN_Weights", Classifier, a => models.vgg13_bn(Classes(a), a.Float("dropout", 0.5f)), "vgg13_bn-abd245e5.pth"),
        // torchvision's VGG16_Weights also has IMAGENET1K_FEATURES (a features-only file whose classifier is NaN): not ported.
        new("vgg16", "VGG16_Weights", Classifier, a => models.vgg16(Classes(a), a.Float("dropout", 0.5f)), "vgg16-397923af.pth"),
        new("vgg16_bn", "VGG16_BN_Weights", Classifier, a => models.vgg16_bn(Classes(a), a.Float("dropout", 0.5f)), "vgg16_bn-6c64b313.pth"),
        new("vgg19", "VGG19_Weights", Classifier, a => models.vgg19(Classes(a), a.Float("dropout", 0.5f)), "vgg19-dcbb9e9d.pth"),
        new("vgg19_bn", "VGG19_BN_Weights", Classifier, a => models.vgg19_bn(Classes(a), a.Float("dropout", 0.5f)), "vgg19_bn-c79401a0.pth"),
        new("resnet18", "ResNet18_Weights", ResNet, a => models.resnet18(Classes(a), a.Bool("zero_init_residual", false)), "resnet18-f37072fd.pth"),
        new("resnet34", "ResNet34_Weights", ResNet, a => models.resnet34(Classes(a), a.Bool("zero_init_residual", false)), "resnet34-b627a593.pth"),
        new("resnet50", "ResNet50_Weights", ResNet, a => models.resnet50(Classes(a), a.Bool("zero_init_residual", false)),
            "resnet50-0676ba61.pth", "resnet50-11ad3fa6.pth"),
        new("resnet101", "ResNet101_Weights", ResNet, a => models.resnet101(Classes(a), a.Bool("zero_init_residual", false)),
            "resnet101-63fe2227.pth", "resnet101-cd907fc2.pth"),
        new("resnet152", "ResNet152_Weights", ResNet, a => models.resnet152(Classes(a), a.Bool("zero_init_residual", false)),
            "resnet152-394f9c45.pth", "resnet152-f82ba261.pth"),
        new("wide_resnet50_2", "Wide_ResNet50_2_Weights", ResNet, a => models.wide_resnet50_2(Classes(a), a.Bool("zero_init_residual", false)),
            "wide_resnet50_2-95faca4d.pth", "wide_resnet50_2-9ba9bcbe.pth"),
        new("wide_resnet101_2", "Wide_ResNet101_2_Weights", ResNet, a => models.wide_resnet101_2(Classes(a), a.Bool("zero_init_residual", false)),
            "wide_resnet101_2-32ee1156.pth", "wide_resnet101_2-d733dc28.pth"),
        new("resnext50_32x4d", "ResNeXt50_32X4D_Weights", ResNet, a => models.resnext50_32x4d(Classes(a), a.Bool("zero_init_residual", false)),
            "resnext50_32x4d-7cdf4587.pth", "resnext50_32x4d-1a0047aa.pth"),
        new("mobilenet_v2", "MobileNet_V2_Weights", Classifier, a => models.mobilenet_v2(Classes(a), dropout: a.Double("dropout", 0.2)),
            "mobilenet_v2-b0353104.pth", "mobilenet_v2-7ebf99e0.pth"),
        // TorchVision's MobileNetV3 builder takes no arguments.
        new("mobilenet_v3_small", "MobileNet_V3_Small_Weights", [], _ => models.mobilenet_v3_small(), "mobilenet_v3_small-047dcff4.pth"),
        // With weights, torchvision's builder turns transform_input on unless it is given.
        // The port has no auxiliary heads: it is torchvision's googlenet after loading weights
        // (which drops aux1/aux2 from the published file), or with aux_logits=False.
        new("googlenet", "GoogLeNet_Weights", ["num_classes", "transform_input", "dropout", "aux_logits"],
            a => models.googlenet(Classes(a), a.Bool("transform_input", a.HasWeights), dropout: a.Float("dropout", 0.2f)), "googlenet-1378be20.pth")
        {
            DroppedKeys = ["aux1.", "aux2."],
            Refuses = a => a.Bool("aux_logits", !a.HasWeights)
                ? "the port has no auxiliary heads, which torchvision's googlenet builds with aux_logits=True (its default without weights); pass weights or aux_logits=False"
                : null,
        },
        // The port always has the auxiliary head (AuxLogits), which torchvision's builder keeps with
        // weights unless aux_logits=False; in eval mode it does not change the output.
        new("inception_v3", "Inception_V3_Weights", ["num_classes", "transform_input", "dropout", "aux_logits"],
            a => models.inception_v3(Classes(a), a.Float("dropout", 0.5f), a.Bool("transform_input", a.HasWeights)), "inception_v3_google-0cc3c7bd.pth")
        {
            Refuses = a => a.Bool("aux_logits", true) ? null : "the port always has the auxiliary head (AuxLogits), which aux_logits=False removes",
        },
    }.ToDictionary(p => p.Name, StringComparer.Ordinal);
}
