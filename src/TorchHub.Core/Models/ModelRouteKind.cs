namespace TorchHub.Models;

/// <summary>How an entrypoint is loaded into .NET.</summary>
public enum ModelRouteKind
{
    /// <summary>A hubconf.cs entrypoint, compiled with Roslyn and called in-process.</summary>
    CSharp,
    /// <summary>A verified built-in .NET port of the entrypoint (TorchSharp's TorchVision), with the published weights.</summary>
    Port,
    /// <summary>The hubconf.py entrypoint run by a local PyTorch in a sandboxed child process and exported to TorchScript.</summary>
    Python,
}
