namespace TorchHub.Errors;

/// <summary>
/// What kind of failure a <see cref="HubException"/> is. The names match PowerShell's
/// <c>ErrorCategory</c> members so the cmdlets can map them by name, while the engine stays
/// free of any PowerShell reference.
/// </summary>
public enum HubErrorCategory
{
    NotSpecified,
    InvalidArgument,
    InvalidData,
    InvalidOperation,
    InvalidResult,
    ObjectNotFound,
    ResourceUnavailable,
    ConnectionError,
    PermissionDenied,
    SecurityError,
    OperationStopped,
    OperationTimeout,
    ReadError,
    WriteError,
    ResourceExists,
    ResourceBusy,
    QuotaExceeded,
    NotImplemented,
    LimitsExceeded,
    ParserError,
    SyntaxError,
    MetadataError,
    NotInstalled,
    ProtocolError,
    AuthenticationError,
}
