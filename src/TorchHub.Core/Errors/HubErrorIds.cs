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
    public const string InvalidEntrypointName = nameof(InvalidEntrypointName);
    public const string HubconfEncodingError = nameof(HubconfEncodingError);
    public const string HubconfTooLarge = nameof(HubconfTooLarge);
    public const string HubconfReadError = nameof(HubconfReadError);
    public const string HubconfNotAFile = nameof(HubconfNotAFile);

    // hubconf.cs: compiling and running .NET entrypoints (Import-HubModel).
    public const string HubconfCompileError = nameof(HubconfCompileError);
    public const string CSharpCompilerNotAvailable = nameof(CSharpCompilerNotAvailable);
    public const string PythonEntrypointNotRunnable = nameof(PythonEntrypointNotRunnable);
    public const string MissingDependencies = nameof(MissingDependencies);
    public const string MissingEntrypointArgument = nameof(MissingEntrypointArgument);
    public const string UnknownEntrypointArgument = nameof(UnknownEntrypointArgument);
    public const string InvalidEntrypointArgument = nameof(InvalidEntrypointArgument);
    public const string EntrypointFailed = nameof(EntrypointFailed);
    public const string HubContextNotAvailable = nameof(HubContextNotAvailable);

    // Models: choosing a route, and the built-in ports.
    public const string ModelRouteNotApplicable = nameof(ModelRouteNotApplicable);
    public const string UnsupportedPortArgument = nameof(UnsupportedPortArgument);
    public const string UnknownPortWeights = nameof(UnknownPortWeights);

    // Downloads (Save-HubFile, DownloadUrlToFile, checkpoints).
    public const string InvalidUri = nameof(InvalidUri);
    public const string UnsupportedUriScheme = nameof(UnsupportedUriScheme);
    public const string InvalidFileName = nameof(InvalidFileName);
    public const string InvalidHashPrefix = nameof(InvalidHashPrefix);
    public const string NoHashInFileName = nameof(NoHashInFileName);
    public const string HashMismatch = nameof(HashMismatch);
    public const string DestinationIsDirectory = nameof(DestinationIsDirectory);
    public const string DestinationNotWritable = nameof(DestinationNotWritable);
    public const string DiskFull = nameof(DiskFull);
    public const string DownloadNotFound = nameof(DownloadNotFound);
    public const string DownloadHttpError = nameof(DownloadHttpError);
    public const string DownloadFailed = nameof(DownloadFailed);
    public const string UnexpectedDownloadError = nameof(UnexpectedDownloadError);
    public const string DownloadIncomplete = nameof(DownloadIncomplete);
    public const string DownloadStalled = nameof(DownloadStalled);
    public const string UnexpectedHtmlResponse = nameof(UnexpectedHtmlResponse);
    public const string InsecureRedirect = nameof(InsecureRedirect);
    public const string DestinationNotRegularFile = nameof(DestinationNotRegularFile);
    public const string TooManyRedirects = nameof(TooManyRedirects);
    public const string RemoteFileChanged = nameof(RemoteFileChanged);
    public const string CheckpointNameConflict = nameof(CheckpointNameConflict);
    public const string CachedFileHashMismatch = nameof(CachedFileHashMismatch);

    // Tensors: TorchSharp start-up, checkpoint readers, TorchScript.
    public const string TorchSharpUnavailable = nameof(TorchSharpUnavailable);
    public const string UnsafePickle = nameof(UnsafePickle);
    public const string CheckpointFileNotFound = nameof(CheckpointFileNotFound);
    public const string CorruptCheckpoint = nameof(CorruptCheckpoint);
    public const string UnsupportedCheckpoint = nameof(UnsupportedCheckpoint);
    public const string CheckpointTooLarge = nameof(CheckpointTooLarge);
    public const string StateDictMismatch = nameof(StateDictMismatch);
    public const string NotATorchSharpModule = nameof(NotATorchSharpModule);
    public const string TorchScriptLoadFailed = nameof(TorchScriptLoadFailed);

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
    public const string TrustEntryNotFound = nameof(TrustEntryNotFound);
    public const string TrustedOwnerNotRemovable = nameof(TrustedOwnerNotRemovable);

    // Cache operations (Get-HubCache, Remove-HubCache).
    public const string CacheSelectorRequired = nameof(CacheSelectorRequired);

    // Lock files (Save-* -LockFile, Restore-HubCache, Export-HubLockFile).
    public const string InvalidLockFile = nameof(InvalidLockFile);
    public const string LockedCommitNotFound = nameof(LockedCommitNotFound);
    public const string LockedCommitMismatch = nameof(LockedCommitMismatch);
    public const string LockedFileDrift = nameof(LockedFileDrift);
    public const string CommitUnknown = nameof(CommitUnknown);

    // Mirrors (TORCHHUB_MIRRORS, -Mirror).
    public const string InvalidMirrorRule = nameof(InvalidMirrorRule);

    // The cache: locks.
    public const string LockUnavailable = nameof(LockUnavailable);
    public const string InvalidLockSetting = nameof(InvalidLockSetting);

    // Archives.
    public const string ArchiveCorrupt = nameof(ArchiveCorrupt);
    public const string UnsafeArchiveEntry = nameof(UnsafeArchiveEntry);
    public const string ArchiveExtractionFailed = nameof(ArchiveExtractionFailed);
    public const string ArchiveTooLarge = nameof(ArchiveTooLarge);

    // Native runtime (Install-HubRuntime, TorchSharp start-up).
    public const string RuntimeFeedUnavailable = nameof(RuntimeFeedUnavailable);
    public const string RuntimePackageNotFound = nameof(RuntimePackageNotFound);
    public const string RuntimePackageHashMismatch = nameof(RuntimePackageHashMismatch);
    public const string RuntimeFolderNotWritable = nameof(RuntimeFolderNotWritable);
    public const string RuntimeUnsupportedPlatform = nameof(RuntimeUnsupportedPlatform);
    public const string TorchSharpStartFailed = nameof(TorchSharpStartFailed);
    // The Python route (Models/Python): a hubconf.py entrypoint exported to TorchScript by a local PyTorch.
    public const string PythonNotFound = nameof(PythonNotFound);
    public const string InvalidPythonRouteSetting = nameof(InvalidPythonRouteSetting);
    public const string PythonSandboxUnavailable = nameof(PythonSandboxUnavailable);
    public const string PythonArgumentNotSupported = nameof(PythonArgumentNotSupported);
    public const string PythonImportFailed = nameof(PythonImportFailed);
    public const string PythonCallFailed = nameof(PythonCallFailed);
    public const string PythonResultNotAModule = nameof(PythonResultNotAModule);
    public const string PythonScriptFailed = nameof(PythonScriptFailed);
    public const string PythonTraceFailed = nameof(PythonTraceFailed);
    public const string InvalidExampleInput = nameof(InvalidExampleInput);
    public const string PythonSaveFailed = nameof(PythonSaveFailed);
    public const string PythonExportLoadFailed = nameof(PythonExportLoadFailed);
    public const string PythonTimeout = nameof(PythonTimeout);
    public const string PythonProcessFailed = nameof(PythonProcessFailed);
}
