namespace TorchHub.Errors;

/// <summary>
/// Every error id the engine raises, in one place, so ids stay stable and documented.
/// Rooms add theirs here.
/// </summary>
public static class HubErrorIds
{
    // Repository specs and local folders.
    public const string InvalidRepositorySpec = nameof(InvalidRepositorySpec);
    public const string RepositoryPathNotFound = nameof(RepositoryPathNotFound);
    public const string RepositoryPathNotDirectory = nameof(RepositoryPathNotDirectory);
    public const string HubconfNotFound = nameof(HubconfNotFound);

    // Hub directory.
    public const string InvalidHubDirectory = nameof(InvalidHubDirectory);

    // Hubconf reading.
    public const string HubconfParseError = nameof(HubconfParseError);
    public const string EntrypointNotFound = nameof(EntrypointNotFound);

    // GitHub repositories (sources room).
    public const string RefNotFound = nameof(RefNotFound);
    public const string GitHubRepositoryNotFound = nameof(GitHubRepositoryNotFound);
    public const string GitHubRateLimited = nameof(GitHubRateLimited);
    public const string GitHubAuthenticationFailed = nameof(GitHubAuthenticationFailed);
    public const string GitHubRequestFailed = nameof(GitHubRequestFailed);
    public const string GitHubTimeout = nameof(GitHubTimeout);
    public const string ArchiveDownloadFailed = nameof(ArchiveDownloadFailed);
    public const string OfflineCacheMiss = nameof(OfflineCacheMiss);
    public const string ConflictingTrustOptions = nameof(ConflictingTrustOptions);

    // Trust.
    public const string UntrustedRepository = nameof(UntrustedRepository);

    // Archives.
    public const string ArchiveCorrupt = nameof(ArchiveCorrupt);
    public const string UnsafeArchiveEntry = nameof(UnsafeArchiveEntry);
    public const string ArchiveExtractionFailed = nameof(ArchiveExtractionFailed);
}
