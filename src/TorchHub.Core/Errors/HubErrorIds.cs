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

    // hubconf.cs: compiling and running .NET entrypoints (Import-HubModel).
    public const string HubconfCompileError = nameof(HubconfCompileError);
    public const string CSharpCompilerNotAvailable = nameof(CSharpCompilerNotAvailable);
    public const string PythonEntrypointNotRunnable = nameof(PythonEntrypointNotRunnable);
    public const string MissingDependencies = nameof(MissingDependencies);
    public const string MissingEntrypointArgument = nameof(MissingEntrypointArgument);
    public const string UnknownEntrypointArgument = nameof(UnknownEntrypointArgument);
    public const string InvalidEntrypointArgument = nameof(InvalidEntrypointArgument);
    public const string AmbiguousEntrypoint = nameof(AmbiguousEntrypoint);
    public const string EntrypointFailed = nameof(EntrypointFailed);
    public const string HubContextNotAvailable = nameof(HubContextNotAvailable);
}
