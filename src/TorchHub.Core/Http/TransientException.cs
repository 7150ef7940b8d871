using System;

namespace TorchHub.Http;

/// <summary>A failure worth retrying (5xx, reset connection, stalled transfer); becomes a <see cref="Errors.HubException"/> when retries run out.</summary>
internal sealed class TransientException : Exception
{
    public TransientException(string message, bool timeout = false, Exception? inner = null) : base(message, inner) => IsTimeout = timeout;

    public bool IsTimeout { get; }
}
