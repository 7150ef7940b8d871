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

    // Tensors: TorchSharp start-up, checkpoint readers, TorchScript.
    public const string TorchSharpUnavailable = nameof(TorchSharpUnavailable);
    public const string UnsafePickle = nameof(UnsafePickle);
    public const string CheckpointFileNotFound = nameof(CheckpointFileNotFound);
    public const string CorruptCheckpoint = nameof(CorruptCheckpoint);
    public const string UnsupportedCheckpoint = nameof(UnsupportedCheckpoint);
    public const string StateDictMismatch = nameof(StateDictMismatch);
    public const string TorchScriptLoadFailed = nameof(TorchScriptLoadFailed);
}
