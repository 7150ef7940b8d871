using System;
using System.Runtime.InteropServices;
using TorchHub.Errors;

namespace TorchHub.Runtime;

/// <summary>
/// The platforms TorchSharp-cpu 0.107 ships native libraries for, as NuGet runtime identifiers,
/// with the file names TorchHub looks for there. Anything else is <see cref="HubErrorIds.RuntimeUnsupportedPlatform"/>.
/// </summary>
public sealed record RuntimePlatform(string Rid, string TorchSharpLibrary, string LibTorchLibrary)
{
    public static readonly RuntimePlatform LinuxX64 = new("linux-x64", "libLibTorchSharp.so", "libtorch_cpu.so");
    public static readonly RuntimePlatform WindowsX64 = new("win-x64", "LibTorchSharp.dll", "torch_cpu.dll");
    public static readonly RuntimePlatform MacOSArm64 = new("osx-arm64", "libLibTorchSharp.dylib", "libtorch_cpu.dylib");

    /// <summary>The platform of this process.</summary>
    public static RuntimePlatform Current => For(CurrentOS(), RuntimeInformation.ProcessArchitecture);

    /// <summary>The platform for an OS and architecture, or RuntimeUnsupportedPlatform.</summary>
    public static RuntimePlatform For(OSPlatform os, Architecture architecture)
    {
        if (os == OSPlatform.Linux && architecture == Architecture.X64) return LinuxX64;
        if (os == OSPlatform.Windows && architecture == Architecture.X64) return WindowsX64;
        if (os == OSPlatform.OSX && architecture == Architecture.Arm64) return MacOSArm64;
        var name = $"{os} {architecture}";
        throw new HubException(HubErrorIds.RuntimeUnsupportedPlatform, HubErrorCategory.NotImplemented,
            $"TorchSharp-cpu {RuntimePackages.TorchSharpVersion} ships no native libraries for {name}; it supports linux-x64, win-x64 and osx-arm64.", name)
        {
            RecommendedAction = "Use a machine of a supported platform, or build libtorch and TorchSharp's native library yourself and set TORCHHUB_LIBTORCH and TORCHHUB_TORCHSHARP_NATIVE to their folders.",
        };
    }

    private static OSPlatform CurrentOS() =>
        RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? OSPlatform.Windows
        : RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? OSPlatform.OSX
        : RuntimeInformation.IsOSPlatform(OSPlatform.Linux) ? OSPlatform.Linux
        : OSPlatform.Create(RuntimeInformation.OSDescription);
}
