using System;
using System.Collections.Generic;
using System.Linq;
using TorchHub.Errors;

namespace TorchHub.Models.Ports;

/// <summary>
/// The arguments of one call of a torchvision builder, read the way torchvision reads them:
/// <c>weights</c> (a name such as <c>IMAGENET1K_V1</c>, <c>DEFAULT</c> or <c>ResNet18_Weights.IMAGENET1K_V1</c>, or null),
/// the legacy <c>pretrained</c> (true: IMAGENET1K_V1), <c>progress</c>, and the model's own keyword
/// arguments. Positional arguments are weights then progress (torchvision's builders are keyword-only
/// apart from that legacy form). Values convert with the caller's converter.
/// </summary>
internal sealed class PortArguments
{
    private readonly TorchVisionPort port;
    private readonly ModelRequest request;
    private readonly Dictionary<string, object?> named = new(StringComparer.Ordinal);

    public PortArguments(TorchVisionPort port, ModelRequest request)
    {
        this.port = port;
        this.request = request;
        string[] positional = ["weights", "progress"];
        if (request.Args.Count > positional.Length)
            throw Invalid($"{port.Name}() takes at most {positional.Length} positional arguments (weights, progress) but {request.Args.Count} were given.");
        for (var i = 0; i < request.Args.Count; i++) named[positional[i]] = request.Args[i];
        foreach (var (key, value) in request.NamedArgs)
        {
            if (!named.TryAdd(key, value)) throw Invalid($"{port.Name}() got multiple values for argument '{key}'.");
        }
    }

    /// <summary>Argument names neither torchvision's weights handling nor the port takes (cheap: nothing converts).</summary>
    public IEnumerable<string> Unsupported() =>
        named.Keys.Where(k => k is not ("weights" or "pretrained" or "progress") && !port.Arguments.Contains(k, StringComparer.Ordinal));

    /// <summary>The weights name asked for (IMAGENET1K_V1, IMAGENET1K_V2), or null for none.</summary>
    public string? Weights
    {
        get
        {
            if (!weightsResolved) (weightsName, weightsResolved) = (ResolveWeights(), true);
            return weightsName;
        }
    }

    private string? weightsName;
    private bool weightsResolved;

    public bool HasWeights => Weights is not null;

    public bool Progress => Bool("progress", true);

    private string? ResolveWeights()
    {
        var hasWeights = named.TryGetValue("weights", out var value);
        if (named.TryGetValue("pretrained", out var pretrained))
        {
            if (hasWeights) throw Invalid($"{port.Name}() got both 'weights' and the deprecated 'pretrained'; pass weights only.");
            return Convert<bool>("pretrained", pretrained) ? "IMAGENET1K_V1" : null;
        }
        switch (value)
        {
            case null: return null;
            case bool legacy: return legacy ? "IMAGENET1K_V1" : null; // torchvision treats a bool as the legacy flag
            case string text:
                var name = text.StartsWith(port.WeightsEnum + ".", StringComparison.Ordinal) ? text[(port.WeightsEnum.Length + 1)..] : text;
                if (name == "legacy") return "IMAGENET1K_V1";
                return port.FileOf(name) is null
                    ? throw new HubException(HubErrorIds.UnknownPortWeights, HubErrorCategory.InvalidArgument,
                        $"torchvision publishes no weights '{text}' for {port.Name}; {port.WeightsEnum} has {string.Join(", ", port.WeightsNames)}.", text)
                    {
                        RecommendedAction = $"Pass weights = '{port.WeightsNames.First()}' (or 'DEFAULT'), or $null for random weights.",
                    }
                    : name == "DEFAULT" ? (port.V2 is null ? "IMAGENET1K_V1" : "IMAGENET1K_V2") : name;
            default:
                throw Invalid($"weights of {port.Name} must be a weights name such as 'IMAGENET1K_V1' or 'DEFAULT', or null; got a {value.GetType().Name}.");
        }
    }

    public int Int(string name, int fallback) => named.TryGetValue(name, out var v) ? Convert<int>(name, v) : fallback;

    public float Float(string name, float fallback) => named.TryGetValue(name, out var v) ? Convert<float>(name, v) : fallback;

    public double Double(string name, double fallback) => named.TryGetValue(name, out var v) ? Convert<double>(name, v) : fallback;

    public bool Bool(string name, bool fallback) => named.TryGetValue(name, out var v) ? Convert<bool>(name, v) : fallback;

    /// <summary>torchvision's _ovewrite_named_param: with weights, num_classes must be the weights' 1000 categories.</summary>
    public void CheckWithWeights()
    {
        if (HasWeights && Int("num_classes", 1000) != 1000)
            throw Invalid($"The parameter 'num_classes' expected value 1000 but got {Int("num_classes", 1000)} instead.");
    }

    private T Convert<T>(string name, object? value)
    {
        try
        {
            return (T)request.Convert(value, typeof(T))!;
        }
        catch (Exception ex) when (ex is not HubException)
        {
            throw new HubException(HubErrorIds.InvalidEntrypointArgument, HubErrorCategory.InvalidArgument,
                $"The argument '{name}' of {port.Name} must be a {typeof(T).Name}: {ex.Message}", name, ex);
        }
    }

    private HubException Invalid(string message) =>
        new(HubErrorIds.InvalidEntrypointArgument, HubErrorCategory.InvalidArgument, message, port.Name);
}
