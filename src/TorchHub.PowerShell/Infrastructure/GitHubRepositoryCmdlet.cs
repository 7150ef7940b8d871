using System.Management.Automation;
using System.Net;
using System.Security;
using TorchHub.PowerShell.Completers;
using TorchHub.Repositories;

namespace TorchHub.PowerShell.Infrastructure;

/// <summary>
/// Parameters for a GitHub repository (<c>-Repository owner/repo[:ref]</c>) and how to fetch it:
/// torch.hub's force_reload, trust_repo and skip_validation, plus offline mode and a token.
/// <see cref="RepositoryCmdlet"/> adds local folders; Save-HubRepository uses this alone.
/// </summary>
public abstract class GitHubRepositoryCmdlet : HubCmdlet
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

    /// <summary>A Hub wired to this cmdlet's streams, with the token from -Token/-Credential if given.</summary>
    protected Hub CreateGitHubHub()
    {
        string? token = null;
        if (Token is not null) token = new NetworkCredential("", Token).Password;
        else if (Credential is not null && Credential != PSCredential.Empty) token = Credential.GetNetworkCredential().Password;
        return new Hub(new HubOptions { Feedback = Feedback, Http = TorchHub.Http.HttpOptions.FromEnvironment(token) });
    }

    /// <summary>Fetches (or finds in the cache) the repository named by -Repository.</summary>
    protected HubRepository ResolveGitHubRepository() =>
        CreateGitHubHub().GetRepository(RepoSpec.Parse(Repository), new RepositoryRequest
        {
            Force = Force,
            TrustRepo = TrustRepo,
            ConfirmTrust = ConfirmTrust,
            SkipValidation = SkipValidation,
            Offline = Offline,
        }, CancellationToken);
}
