using System.Management.Automation;
using TorchHub.Entrypoints;
using TorchHub.PowerShell.Completers;
using TorchHub.PowerShell.Infrastructure;
using TorchHub.Repositories;

namespace TorchHub.PowerShell.Commands;

/// <summary>
/// torch.hub.help: an entrypoint's docstring (raw, as Python up to 3.12 keeps __doc__, and
/// cleaned as inspect.cleandoc gives it), signature, file and line.
/// </summary>
/// <remarks>
/// Piped HubEntrypoint objects bind to <see cref="InputObject"/> (their own parameter set):
/// binding them by property name alone fails for local entrypoints, whose null Repository
/// property PowerShell would try to bind to the mandatory -Repository. Other objects with
/// Name plus Repository or LocalPath properties still bind by property name.
/// </remarks>
[Cmdlet(VerbsCommon.Get, "HubHelp", DefaultParameterSetName = RepositorySet)]
[OutputType(typeof(HubHelp))]
[OutputType(typeof(string))]
public sealed class GetHubHelpCommand : RepositoryCmdlet
{
    private const string EntrypointSet = "Entrypoint";

    /// <summary>The entrypoint's exact name.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true, ParameterSetName = RepositorySet)]
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true, ParameterSetName = PathSet)]
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true, ParameterSetName = LiteralPathSet)]
    [ArgumentCompleter(typeof(EntrypointNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    /// <summary>An entrypoint from Get-HubEntrypoint; its repository folder is read again (no network).</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = EntrypointSet)]
    [ValidateNotNull]
    public HubEntrypoint? InputObject { get; set; }

    /// <summary>Which hubconf to read when the folder has both hubconf.py and hubconf.cs (bound from a Language property).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = RepositorySet)]
    [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = PathSet)]
    [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = LiteralPathSet)]
    public HubconfLanguage Language { get; set; }

    /// <summary>Write only the raw docstring (torch.hub.help's return value); nothing when there is none.</summary>
    [Parameter]
    public SwitchParameter Raw { get; set; }

    private Hub? _hub;

    protected override void ProcessRecord()
    {
        Invoke(() =>
        {
            HubRepository repository;
            string name;
            HubconfLanguage? language;
            if (ParameterSetName == EntrypointSet)
            {
                var entry = InputObject!;
                // PowerShell also converts other objects (e.g. [pscustomobject]@{ Name; LocalPath })
                // to HubEntrypoint; those carry no RepositoryPath, so use what they name.
                if (entry.LocalPath is { Length: > 0 } local)
                    repository = HubRepository.OpenLocal(SessionState.Path.GetUnresolvedProviderPathFromPSPath(local));
                else if (entry.Repository is { Length: > 0 } spec)
                    repository = string.IsNullOrEmpty(entry.RepositoryPath)
                        ? CreateHub().GetRepository(RepoSpec.Parse(spec), new RepositoryRequest(), CancellationToken)
                        : new HubRepository(entry.RepositoryPath, RepositorySource.GitHub, RepoSpec.Parse(spec));
                else if (!string.IsNullOrEmpty(entry.RepositoryPath))
                    repository = HubRepository.OpenLocal(entry.RepositoryPath);
                else
                    throw new TorchHub.Errors.HubException(TorchHub.Errors.HubErrorIds.RepositoryPathNotFound, TorchHub.Errors.HubErrorCategory.InvalidArgument,
                        $"The input object for '{entry.Name}' names no repository: give it a LocalPath or Repository property.", entry);
                name = entry.Name;
                language = entry.Language;
            }
            else
            {
                repository = ResolveRepository();
                name = Name;
                language = MyInvocation.BoundParameters.ContainsKey(nameof(Language)) ? Language : null;
            }

            _hub ??= new Hub(new HubOptions { Feedback = new OnceFeedback(Feedback) });
            var help = _hub.Help(repository, name, language, CancellationToken);
            if (!Raw)
            {
                WriteObject(help);
                return;
            }
            foreach (var note in help.Notes) WriteVerbose($"{help.Name}: {note}");
            if (help.Docstring is not null) WriteObject(help.Docstring);
        }, terminating: false);
    }
}
