using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Threading;
using TorchHub.Errors;
using TorchHub.Feedback;

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

    /// <summary>
    /// The one way a cmdlet makes a Hub: wired to this cmdlet's streams (or <paramref name="feedback"/>),
    /// with the token the cmdlet's parameters supply.
    /// </summary>
    protected Hub CreateHub(IHubFeedback? feedback = null) =>
        new(new HubOptions { Feedback = feedback ?? Feedback, Http = Http.HttpOptions.FromEnvironment(SuppliedToken) });

    /// <summary>A GitHub token given as a parameter (-Token/-Credential); null lets the Hub use GITHUB_TOKEN.</summary>
    protected virtual string? SuppliedToken => null;

    /// <summary>
    /// Failures no later input can avoid: they stop the command. Every other failure concerns the
    /// input at hand (one repository, file or URI) and is written as a non-terminating error, so a
    /// pipeline goes on with the next input.
    /// </summary>
    private static readonly HashSet<string> StopTheCommand = new(StringComparer.Ordinal)
    {
        HubErrorIds.InvalidHubDirectory,
        HubErrorIds.InvalidLockSetting,
        HubErrorIds.ConflictingTrustOptions,
        HubErrorIds.DiskFull,
        HubErrorIds.TorchSharpUnavailable,
        HubErrorIds.CSharpCompilerNotAvailable,
        HubErrorIds.GitHubRateLimited,
        HubErrorIds.GitHubAuthenticationFailed,
    };

    protected override void StopProcessing() => _stop.Cancel();

    /// <summary>Runs one engine call for the input at hand; its failure terminates the command only when the cause would fail every input.</summary>
    protected void Invoke(Action action)
    {
        try
        {
            action();
        }
        catch (Exception ex) when (ToErrorRecord(ex) is { } record)
        {
            if (ex is HubException hub && StopTheCommand.Contains(hub.ErrorId)) ThrowTerminatingError(record);
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
