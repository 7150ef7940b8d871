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
    public const string HubconfEncodingError = nameof(HubconfEncodingError);
    public const string HubconfTooLarge = nameof(HubconfTooLarge);
    public const string HubconfReadError = nameof(HubconfReadError);
}
