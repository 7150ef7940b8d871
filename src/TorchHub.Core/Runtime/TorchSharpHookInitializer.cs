using System.Runtime.CompilerServices;

namespace TorchHub.Runtime;

internal static class TorchSharpHookInitializer
{
    /// <summary>As soon as TorchHub.Core is used, TorchSharp (when it loads) finds its native side through us.</summary>
#pragma warning disable CA2255 // Deliberate: registering the hook must precede any TorchSharp use, and it only adds an event handler.
    [ModuleInitializer]
    internal static void Install() => TorchSharpRuntime.InstallHook();
#pragma warning restore CA2255
}
