using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using TorchHub.Models;
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
        var loaded = CreateHub().LoadModel(repository, name, args, named, ConvertArgument, route, !SkipHashCheck, CancellationToken);
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

    /// <summary>PowerShell's conversion rules (what a script parameter of that type would accept).</summary>
    private static object? ConvertArgument(object? value, System.Type type) =>
        LanguagePrimitives.ConvertTo(value, type, CultureInfo.InvariantCulture);

    private static object? Unwrap(object? value) =>
        value is PSObject { BaseObject: var inner } && inner is not PSCustomObject ? inner : value;
}
