using System.Management.Automation;
using TorchHub.Hubconf;
using TorchHub.PowerShell.Infrastructure;

namespace TorchHub.PowerShell.Commands;

/// <summary>
/// torch.hub.help: an entrypoint's docstring (raw, as Python up to 3.12 keeps __doc__, and
/// cleaned as inspect.cleandoc gives it), signature, file and line.
/// </summary>
[Cmdlet(VerbsCommon.Get, "HubHelp", DefaultParameterSetName = RepositorySet)]
[OutputType(typeof(HubHelp))]
[OutputType(typeof(string))]
public sealed class GetHubHelpCommand : EntrypointCmdlet
{
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
            var (repository, name) = ResolveEntrypoint();
            HubconfLanguage? language = InputObject is { } entry ? entry.Language
                : MyInvocation.BoundParameters.ContainsKey(nameof(Language)) ? Language : null;

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
