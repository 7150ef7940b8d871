using System;

namespace TorchHub.Feedback;

/// <summary>
/// How the engine talks back to whoever called it: messages, progress, and questions.
/// The cmdlets implement it with WriteVerbose/WriteWarning/WriteProgress and a yes/no prompt whose default is no;
/// a C# program can pass <see cref="SilentFeedback.Instance"/> or its own implementation.
/// Calls may arrive from worker threads; implementations must be thread-safe or marshal.
/// </summary>
public interface IHubFeedback
{
    void Verbose(string message);

    void Warning(string message);

    void Progress(HubProgress progress);

    /// <summary>
    /// Asks the user a yes/no question (e.g. whether to trust a repository) whose default is no,
    /// as torch's <c>(y/N)</c>. Returns false when the answer is no or empty. Throws <see cref="NonInteractiveException"/> when nobody can
    /// answer, so the engine can fail fast with an error that names the bypass switch.
    /// </summary>
    bool Confirm(string query, string caption);
}

/// <summary>Raised by <see cref="IHubFeedback.Confirm"/> when no user can be asked.</summary>
public sealed class NonInteractiveException : Exception
{
    public NonInteractiveException(string message, Exception? inner = null) : base(message, inner) { }
}
