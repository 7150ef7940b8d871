using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using TorchHub.Errors;
using TorchHub.Models;
using TorchSharp;
using TorchHub.PowerShell.Infrastructure;

namespace TorchHub.PowerShell.Commands;

/// <summary>
/// torch.hub.load for .NET: loads the entrypoint through the first route that can (hubconf.cs
/// compiled, a verified built-in port with its published weights, a local PyTorch's export), with
/// the arguments converted by PowerShell's rules, and writes what it returns. Only caches change
/// (compiled hubconf.cs, checkpoints), so there is no ShouldProcess; the trust prompt for GitHub
/// repositories comes from the repository resolution.
/// </summary>
[Cmdlet(VerbsData.Import, "HubModel", DefaultParameterSetName = RepositorySet)]
[OutputType(typeof(object))]
public sealed class ImportHubModelCommand : EntrypointCmdlet
{
    /// <summary>Positional arguments for the entrypoint, in order.</summary>
    [Parameter(Position = 2)]
    [Alias("Args")]
    [AllowNull]
    [AllowEmptyCollection]
    public object?[]? ArgumentList { get; set; }

    /// <summary>Arguments by parameter name (case-insensitive), e.g. @{ pretrained = $true }.</summary>
    [Parameter]
    [Alias("Parameters")]
    public IDictionary? Parameter { get; set; }

    /// <summary>
    /// Which route loads the entrypoint: Auto (default) takes the first that can, in the order
    /// CSharp (hubconf.cs), Port (a verified built-in port), Python (a local PyTorch exports it).
    /// </summary>
    [Parameter]
    [ValidateSet("Auto", nameof(ModelRouteKind.CSharp), nameof(ModelRouteKind.Port), nameof(ModelRouteKind.Python), IgnoreCase = true)]
    public string Route { get; set; } = "Auto";

    /// <summary>
    /// The input torch.jit.trace runs the model on when the Python route cannot script it: a shape
    /// (1,3,224,224, or the string '1,3,224,224', for a float32 tensor of standard-normal values
    /// from a fixed seed) or a TorchSharp tensor; several inputs as several shapes or tensors
    /// (@(1,3,128,128), @(1,3,128,128)). Sent to Python as dtype, shape and bytes, never as code.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public object[]? ExampleInput { get; set; }

    /// <summary>Load downloaded weights without checking them against the SHA-256 prefix in their file name (checked by default, as torchvision does).</summary>
    [Parameter]
    public SwitchParameter SkipHashCheck { get; set; }

    protected override void ProcessRecord() => Invoke(() =>
    {
        var (repository, name) = ResolveEntrypoint();
        var named = new Dictionary<string, object?>();
        if (Parameter is not null)
        {
            foreach (DictionaryEntry pair in Parameter)
                named[pair.Key.ToString() ?? ""] = Unwrap(pair.Value);
        }
        var args = new List<object?>();
        if (ArgumentList is not null)
        {
            foreach (var value in ArgumentList) args.Add(Unwrap(value));
        }
        ModelRouteKind? route = string.Equals(Route, "Auto", StringComparison.OrdinalIgnoreCase)
            ? null
            : Enum.Parse<ModelRouteKind>(Route, ignoreCase: true);
        var loaded = CreateHub().LoadModel(repository, name, args, named, ConvertArgument, route, !SkipHashCheck, ExampleInputs(), CancellationToken);
        if (loaded.Value is not null) WriteObject(Describe(loaded), enumerateCollection: false);
    });

    /// <summary>
    /// The model with where it came from as note properties (Entrypoint, Repository, Route), which
    /// the module's format view shows; they stay with the object in a variable.
    /// </summary>
    private static PSObject Describe(LoadedModel loaded)
    {
        var model = PSObject.AsPSObject(loaded.Value!);
        Add(model, "Entrypoint", loaded.Entrypoint);
        Add(model, "Repository", loaded.Repository.DisplayName);
        Add(model, "Route", loaded.Route);
        return model;
    }

    private static void Add(PSObject model, string name, object value)
    {
        if (model.Properties[name] is null) model.Properties.Add(new PSNoteProperty(name, value));
    }

    /// <summary>
    /// -ExampleInput as tensors: all numbers is one shape (what <c>-ExampleInput 1,3,224,224</c> binds
    /// to); otherwise each item is a tensor, a shape as numbers, or a shape as text.
    /// </summary>
    private List<torch.Tensor>? ExampleInputs()
    {
        if (ExampleInput is null) return null;
        var items = ExampleInput.Select(Unwrap).ToList();
        if (items.All(IsNumber)) return [Models.ExampleInput.Random(Shape(items, ExampleInput))];
        return items.Select(item => item switch
        {
            torch.Tensor tensor => tensor,
            string text => Models.ExampleInput.Random(Shape(text.Split([',', 'x', ' '], StringSplitOptions.RemoveEmptyEntries), text)),
            IEnumerable sizes when sizes.Cast<object?>().Select(Unwrap).ToList() is { } list && list.All(IsNumber) => Models.ExampleInput.Random(Shape(list, item)),
            _ => throw NotAnExample(item),
        }).ToList();
    }

    private static bool IsNumber(object? value) => value is sbyte or byte or short or ushort or int or uint or long or ulong;

    private static long[] Shape(IEnumerable<object?> sizes, object? what)
    {
        try
        {
            return sizes.Select(s => (long)LanguagePrimitives.ConvertTo(s, typeof(long), CultureInfo.InvariantCulture)).ToArray();
        }
        catch (PSInvalidCastException)
        {
            throw NotAnExample(what);
        }
    }

    private static HubException NotAnExample(object? item) =>
        new(HubErrorIds.InvalidExampleInput, HubErrorCategory.InvalidArgument,
            $"-ExampleInput takes shapes (1,3,224,224 or '1,3,224,224') or TorchSharp tensors, not '{item}' ({item?.GetType().Name ?? "null"}).", item)
        {
            RecommendedAction = "Give the model's input shape, e.g. -ExampleInput 1,3,224,224, or a tensor: -ExampleInput ([TorchSharp.torch]::zeros(1, 3, 224, 224)).",
        };

    /// <summary>PowerShell's conversion rules (what a script parameter of that type would accept).</summary>
    private static object? ConvertArgument(object? value, System.Type type) =>
        LanguagePrimitives.ConvertTo(value, type, CultureInfo.InvariantCulture);

    private static object? Unwrap(object? value) =>
        value is PSObject { BaseObject: var inner } && inner is not PSCustomObject ? inner : value;
}
