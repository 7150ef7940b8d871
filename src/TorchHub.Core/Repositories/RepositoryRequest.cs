namespace TorchHub.Repositories;

/// <summary>How to get a GitHub repository into the cache (torch.hub's keyword arguments).</summary>
public sealed record RepositoryRequest
{
    /// <summary>Download again even if cached (torch's <c>force_reload</c>).</summary>
    public bool Force { get; init; }

    /// <summary>Trust without asking and record the repository in <c>trusted_list</c> (torch's <c>trust_repo=True</c>).</summary>
    public bool TrustRepo { get; init; }

    /// <summary>Ask whether to trust the repository even when it is already trusted (torch's <c>trust_repo=False</c>).</summary>
    public bool ConfirmTrust { get; init; }

    /// <summary>Skip the check that the ref belongs to the repository (torch's <c>skip_validation</c>).</summary>
    public bool SkipValidation { get; init; }

    /// <summary>Use only the cache; send no request. <c>TORCHHUB_OFFLINE=1</c> has the same effect.</summary>
    public bool Offline { get; init; }

    /// <summary>
    /// Install exactly this commit (a full SHA from a lock file) into the ref's folder: the archive
    /// of the commit is downloaded, not the ref's (a moved branch changes nothing), the ref is not
    /// validated, and a cached folder recorded at another commit (or at none) is replaced.
    /// </summary>
    public string? Commit { get; init; }
}
