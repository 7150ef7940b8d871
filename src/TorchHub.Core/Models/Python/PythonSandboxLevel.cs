namespace TorchHub.Models.Python;

/// <summary>How strongly the child Python that exports a hubconf.py entrypoint is isolated, strongest first.</summary>
internal enum PythonSandboxLevel
{
    /// <summary>
    /// bubblewrap: its own mount, network, PID and IPC namespaces; sees only the system folders
    /// Python needs (read-only), the repository (read-only), the checkpoints folder (read-only),
    /// its output folder and a private /tmp; dies with its parent.
    /// </summary>
    Bubblewrap,

    /// <summary><c>unshare</c>: its own user, network and PID namespaces (no network); the host's files stay visible.</summary>
    Unshare,

    /// <summary>A plain process (<c>python3 -I</c>, empty environment, temporary HOME): no isolation from the host's files.</summary>
    Process,
}
