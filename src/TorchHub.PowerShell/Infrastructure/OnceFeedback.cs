using System.Collections.Generic;
using TorchHub.Feedback;

namespace TorchHub.PowerShell.Infrastructure;

/// <summary>
/// Passes feedback on but writes each distinct warning once, for cmdlets that read the same
/// repository for every pipeline input (Get-HubEntrypoint ... | Get-HubHelp).
/// </summary>
internal sealed class OnceFeedback : IHubFeedback
{
    private readonly IHubFeedback _inner;
    private readonly HashSet<string> _warned = [];

    public OnceFeedback(IHubFeedback inner) => _inner = inner;

    public void Verbose(string message) => _inner.Verbose(message);

    public void Warning(string message)
    {
        lock (_warned)
        {
            if (!_warned.Add(message)) return;
        }
        _inner.Warning(message);
    }

    public void Progress(HubProgress progress) => _inner.Progress(progress);

    public bool Confirm(string query, string caption) => _inner.Confirm(query, caption);
}
