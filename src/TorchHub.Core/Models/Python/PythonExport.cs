using System;

namespace TorchHub.Models.Python;

/// <summary>
/// One hubconf.py entrypoint exported to TorchScript by the Python route, as recorded beside the
/// file in the export cache (<c>&lt;hub dir&gt;/.torchhub/exports/&lt;Key&gt;.json</c>).
/// </summary>
internal sealed record PythonExport
{
    /// <summary>The TorchScript file (<c>&lt;Key&gt;.pt</c>).</summary>
    public required string ModelPath { get; init; }

    /// <summary>The cache key: a hash of the repository's commit (or content), the entrypoint, its arguments, the example inputs and the torch version.</summary>
    public required string Key { get; init; }

    public required string Repository { get; init; }

    public required string Entrypoint { get; init; }

    /// <summary>How the model was exported: <c>script</c> (torch.jit.script) or <c>trace</c> (torch.jit.trace on the example inputs).</summary>
    public required string Method { get; init; }

    /// <summary>True when the model returns a Dict: the file returns [key, value, ...] and .NET rebuilds the dictionary.</summary>
    public bool DictOutput { get; init; }

    /// <summary>The torch version that exported it.</summary>
    public required string TorchVersion { get; init; }

    /// <summary>The sandbox the export ran in.</summary>
    public PythonSandboxLevel Sandbox { get; init; }

    /// <summary>What the runner confined itself with besides the sandbox (<c>seccomp</c>, or none with the reason).</summary>
    public string? Confinement { get; init; }

    public DateTimeOffset Created { get; init; }

    /// <summary>True when this load read the cache and started no Python.</summary>
    public bool FromCache { get; init; }
}
