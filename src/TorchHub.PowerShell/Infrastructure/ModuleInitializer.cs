using System.Management.Automation;
using TorchHub.Runtime;
using TorchHub.Tensors;

namespace TorchHub.PowerShell.Infrastructure;

/// <summary>
/// At Import-Module: only registers TorchHub's TorchSharp hook (an AssemblyLoad handler), so
/// that <c>[TorchSharp.torch]::ones(1, 4)</c> works in a session even before any TorchHub
/// command ran. Nothing of TorchSharp or libtorch is loaded here.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer
{
    public void OnImport() => TorchSharpRuntime.InstallHook();
}
