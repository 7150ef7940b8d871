using System.Management.Automation;
using System.Net;
using System.Security;
using TorchHub.PowerShell.Completers;
using TorchHub.Repositories;

namespace TorchHub.PowerShell.Infrastructure;

/// <summary>
/// A cmdlet about a hub repository named by spec (<c>-Repository owner/repo[:ref]</c>) and how to
/// fetch it: torch.hub's force_reload, trust_repo and skip_validation, plus offline mode and a token.
/// <see cref="RepositoryOrPathCmdlet"/> also takes a folder on disk; Save-HubRepository uses this alone.
/// </summary>
public abstract class RepositoryCmdlet : HubCmdlet
{
    protected const string RepositorySet = "Repository";

    /// <summary>owner/repo[:ref] on GitHub.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = RepositorySet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(RepositorySpecCompleter))]
    public string Repository { get; set; } = "";

    /// <summary>Download the repository again even if it is cached (torch's force_reload).</summary>
    [Parameter(ParameterSetName = RepositorySet)]
    public SwitchParameter Force { get; set; }

    /// <summary>Trust the repository without asking and record it in trusted_list (torch's trust_repo=True).</summary>
    [Parameter(ParameterSetName = RepositorySet)]
    public SwitchParameter TrustRepo { get; set; }

    /// <summary>Ask whether to trust the repository even when it is trusted already (torch's trust_repo=False).</summary>
    [Parameter(ParameterSetName = RepositorySet)]
    public SwitchParameter ConfirmTrust { get; set; }

    /// <summary>Do not check that the ref belongs to the repository (saves GitHub API calls).</summary>
    [Parameter(ParameterSetName = RepositorySet)]
    public SwitchParameter SkipValidation { get; set; }

    /// <summary>Use only the cache; fail fast when something is missing. No request is sent.</summary>
    [Parameter(ParameterSetName = RepositorySet)]
    public SwitchParameter Offline { get; set; }

    /// <summary>A GitHub token for private repositories and a higher rate limit (instead of GITHUB_TOKEN).</summary>
    [Parameter(ParameterSetName = RepositorySet)]
    public SecureString? Token { get; set; }

    /// <summary>A GitHub token as the password of a credential (the user name is ignored).</summary>
    [Parameter(ParameterSetName = RepositorySet)]
    [Credential]
    public PSCredential? Credential { get; set; }

    /// <summary>
    /// Mirror rules for this command: each key is the start of an original URL, its value where such URLs are
    /// requested from instead (TORCHHUB_MIRRORS' rules still apply to other prefixes).
    /// </summary>
    [Parameter(ParameterSetName = RepositorySet)]
    public System.Collections.IDictionary? Mirror { get; set; }

    protected override System.Collections.IDictionary? SuppliedMirrors => Mirror;

    /// <summary>The token from -Token/-Credential, if given (the Hub falls back to GITHUB_TOKEN).</summary>
    protected override string? SuppliedToken =>
        Token is not null ? new NetworkCredential("", Token).Password
        : Credential is not null && Credential != PSCredential.Empty ? Credential.GetNetworkCredential().Password
        : null;

    /// <summary>Fetches (or finds in the cache) the repository named by -Repository.</summary>
    protected HubRepository ResolveGitHubRepository() =>
        CreateHub().GetRepository(RepoSpec.Parse(Repository), new RepositoryRequest
        {
            Force = Force,
            TrustRepo = TrustRepo,
            ConfirmTrust = ConfirmTrust,
            SkipValidation = SkipValidation,
            Offline = Offline,
        }, CancellationToken);
}
