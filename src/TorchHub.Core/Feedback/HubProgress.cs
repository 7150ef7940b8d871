namespace TorchHub.Feedback;

/// <summary>
/// One progress report. <see cref="ActivityId"/> distinguishes concurrent activities (one
/// per file, one overall); <see cref="ParentActivityId"/> nests them. A report with
/// <see cref="Completed"/> set closes the activity.
/// </summary>
public sealed record HubProgress(
    int ActivityId,
    string Activity,
    string Status,
    int PercentComplete = -1,
    int SecondsRemaining = -1,
    int ParentActivityId = -1,
    bool Completed = false,
    string? CurrentOperation = null);
