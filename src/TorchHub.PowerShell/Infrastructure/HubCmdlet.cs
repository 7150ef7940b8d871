using System;
using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Threading;
using TorchHub.Errors;

namespace TorchHub.PowerShell.Infrastructure;

/// <summary>
/// Base of every TorchHub cmdlet: a cancellation token tied to Ctrl+C (StopProcessing),
/// the engine's feedback mapped to PowerShell streams, and engine exceptions mapped to
/// error records with their stable ids and categories.
/// </summary>
public abstract class HubCmdlet : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private CmdletFeedback? _feedback;

    /// <summary>Cancelled when the user presses Ctrl+C.</summary>
    protected CancellationToken CancellationToken => _stop.Token;

    /// <summary>Feedback that writes to this cmdlet's streams (call from the pipeline thread).</summary>
    internal CmdletFeedback Feedback => _feedback ??= new CmdletFeedback(this);

    /// <summary>A Hub wired to this cmdlet's streams.</summary>
    protected Hub CreateHub() => new(new HubOptions { Feedback = Feedback });

    protected override void StopProcessing() => _stop.Cancel();

    /// <summary>Runs one engine call; turns its failure into a terminating or non-terminating error.</summary>
    protected void Invoke(Action action, bool terminating = false)
    {
        try
        {
            action();
        }
        catch (Exception ex) when (ToErrorRecord(ex) is { } record)
        {
            if (terminating) ThrowTerminatingError(record);
            else WriteError(record);
        }
    }

    /// <summary>Maps engine exceptions to error records; other exceptions propagate as they are.</summary>
    internal ErrorRecord? ToErrorRecord(Exception ex)
    {
        switch (ex)
        {
            case HubException hub:
                var record = new ErrorRecord(hub, hub.ErrorId, MapCategory(hub.Category), hub.Target);
                if (hub.RecommendedAction is not null)
                    record.ErrorDetails = new ErrorDetails(hub.Message) { RecommendedAction = hub.RecommendedAction };
                return record;
            case OperationCanceledException when _stop.IsCancellationRequested:
                return null; // PowerShell is stopping the pipeline; it reports that itself.
            default:
                return null;
        }
    }

    /// <summary>
    /// Resolves a -Path value (wildcards allowed) to file-system paths through the PowerShell
    /// provider; a path that matches nothing or is not on the file system fails with
    /// <paramref name="notFoundErrorId"/>.
    /// </summary>
    protected Collection<string> ResolveFileSystemPaths(string path, string notFoundErrorId, string what)
    {
        Collection<string> resolved;
        ProviderInfo provider;
        try
        {
            resolved = GetResolvedProviderPathFromPSPath(path, out provider);
        }
        catch (ItemNotFoundException ex)
        {
            throw new HubException(notFoundErrorId, HubErrorCategory.ObjectNotFound, $"{what} '{path}' does not exist.", path, ex);
        }
        if (provider.Name != "FileSystem")
            throw new HubException(notFoundErrorId, HubErrorCategory.InvalidArgument, $"'{path}' is not a file system path.", path);
        return resolved;
    }

    internal static ErrorCategory MapCategory(HubErrorCategory category) =>
        Enum.TryParse<ErrorCategory>(category.ToString(), out var mapped) ? mapped : ErrorCategory.NotSpecified;

    public void Dispose()
    {
        _stop.Dispose();
        GC.SuppressFinalize(this);
    }
}
