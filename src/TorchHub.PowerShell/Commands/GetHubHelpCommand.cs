using System.Management.Automation;
using TorchHub.Entrypoints;
using TorchHub.PowerShell.Completers;
using TorchHub.PowerShell.Infrastructure;

namespace TorchHub.PowerShell.Commands;

/// <summary>
/// torch.hub.help: an entrypoint's docstring (raw, as Python up to 3.12 keeps __doc__, and
/// cleaned as inspect.cleandoc gives it), signature, file and line. Binds Get-HubEntrypoint's
/// output by property name.
/// </summary>
[Cmdlet(VerbsCommon.Get, "HubHelp", DefaultParameterSetName = RepositorySet)]
[OutputType(typeof(HubHelp))]
[OutputType(typeof(string))]
public sealed class GetHubHelpCommand : RepositoryCmdlet
{
    /// <summary>The entrypoint's exact name.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(EntrypointNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    /// <summary>Which hubconf to read when the folder has both hubconf.py and hubconf.cs (bound from HubEntrypoint.Language).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public HubconfLanguage? Language { get; set; }

    /// <summary>Write only the raw docstring (torch.hub.help's return value); nothing when there is none.</summary>
    [Parameter]
    public SwitchParameter Raw { get; set; }

    private Hub? _hub;

    protected override void ProcessRecord()
    {
        Invoke(() =>
        {
            var repository = ResolveRepository();
            _hub ??= new Hub(new HubOptions { Feedback = new OnceFeedback(Feedback) });
            var help = _hub.Help(repository, Name, Language, CancellationToken);
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
