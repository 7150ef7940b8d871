namespace TorchHub.Feedback;

/// <summary>
/// Feedback for unattended callers: drops messages and answers every question "no" by
/// throwing <see cref="NonInteractiveException"/> (so trust must be granted explicitly).
/// </summary>
public sealed class SilentFeedback : IHubFeedback
{
    public static readonly SilentFeedback Instance = new();

    public void Verbose(string message) { }

    public void Warning(string message) { }

    public void Progress(HubProgress progress) { }

    public bool Confirm(string query, string caption) =>
        throw new NonInteractiveException("No user can be asked: " + caption);
}
