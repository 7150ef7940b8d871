using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using TorchHub.Entrypoints;
using TorchHub.PowerShell.Completers;
using TorchHub.PowerShell.Infrastructure;
using TorchHub.Repositories;

namespace TorchHub.PowerShell.Commands;

/// <summary>
/// torch.hub.load for .NET: compiles a repository's hubconf.cs (or takes it from the compile
/// cache), calls the entrypoint with the arguments converted by PowerShell's rules, and writes
/// what it returns. Nothing but the compile cache changes, so there is no ShouldProcess; the
/// trust prompt for GitHub repositories comes from the repository resolution.
/// </summary>
/// <remarks>
/// Piped HubEntrypoint objects bind to <see cref="InputObject"/> (their own parameter set), as in
/// Get-HubHelp: binding them by property name alone fails for local entrypoints, whose null
/// Repository property PowerShell would try to bind to the mandatory -Repository.
/// </remarks>
[Cmdlet(VerbsData.Import, "HubModel", DefaultParameterSetName = RepositorySet)]
[OutputType(typeof(object))]
public sealed class ImportHubModelCommand : RepositoryCmdlet
{
    private const string EntrypointSet = "Entrypoint";

    /// <summary>The entrypoint: a public static method of a public static class in hubconf.cs.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true, ParameterSetName = RepositorySet)]
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true, ParameterSetName = PathSet)]
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true, ParameterSetName = LiteralPathSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(EntrypointNameCompleter))]
    public string Name { get; set; } = "";

    /// <summary>An entrypoint from Get-HubEntrypoint (its repository is resolved again: trust rules apply).</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = EntrypointSet)]
    [ValidateNotNull]
    public HubEntrypoint? InputObject { get; set; }

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

    protected override void ProcessRecord() => Invoke(() =>
    {
        var (repository, name) = InputObject is { } entry ? (ResolveEntrypoint(entry), entry.Name) : (ResolveRepository(), Name);
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
        var result = CreateHub().Load(repository, name, args, named, ConvertArgument, CancellationToken);
        if (result is not null) WriteObject(result, enumerateCollection: false);
    });

    private HubRepository ResolveEntrypoint(HubEntrypoint entry) =>
        entry.Source == RepositorySource.GitHub && entry.Repository is not null
            ? CreateHub().GetRepository(RepoSpec.Parse(entry.Repository), new RepositoryRequest(), CancellationToken)
            : HubRepository.OpenLocal(entry.LocalPath ?? entry.RepositoryPath);

    /// <summary>PowerShell's conversion rules (what a script parameter of that type would accept).</summary>
    private static object? ConvertArgument(object? value, System.Type type) =>
        LanguagePrimitives.ConvertTo(value, type, CultureInfo.InvariantCulture);

    private static object? Unwrap(object? value) =>
        value is PSObject { BaseObject: var inner } && inner is not PSCustomObject ? inner : value;
}
