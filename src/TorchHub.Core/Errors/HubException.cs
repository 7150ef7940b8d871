using System;

namespace TorchHub.Errors;

/// <summary>
/// The one exception the engine throws for anything a user can cause or fix. It carries a
/// stable, PascalCase <see cref="ErrorId"/> (tests and scripts match on it) and a
/// <see cref="Category"/>; the cmdlets turn it into an <c>ErrorRecord</c> unchanged.
/// </summary>
public class HubException : Exception
{
    public HubException(string errorId, HubErrorCategory category, string message, object? target = null, Exception? inner = null)
        : base(message, inner)
    {
        ErrorId = errorId;
        Category = category;
        Target = target;
    }

    /// <summary>Stable identifier, e.g. <c>InvalidRepositorySpec</c>.</summary>
    public string ErrorId { get; }

    public HubErrorCategory Category { get; }

    /// <summary>The object the error is about (a spec, a path, a URI).</summary>
    public object? Target { get; }

    /// <summary>What the user can do about it, when there is something to say.</summary>
    public string? RecommendedAction { get; init; }
}
