using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;

namespace TorchHub.Runtime;

/// <summary>
/// Where TorchSharp's native library (libLibTorchSharp) and libtorch live. The module may carry
/// them (a bundled build puts them in <c>runtimes/&lt;rid&gt;/native</c> next to the
/// assemblies); otherwise they are read in place from the NuGet package folder, which is where
/// a development build or a test run finds them. Environment overrides come first so a user can
/// point at any libtorch/TorchSharp pair.
/// </summary>
internal sealed record NativeLocations(string TorchSharpDirectory, string LibTorchDirectory)
{
    /// <summary>Overrides: a folder holding libLibTorchSharp, and one holding libtorch_cpu.</summary>
    public const string TorchSharpNativeVariable = "TORCHHUB_TORCHSHARP_NATIVE";
    public const string LibTorchVariable = "TORCHHUB_LIBTORCH";

    public static string Rid
    {
        get
        {
            var os = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "win"
                : RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? "osx"
                : RuntimeInformation.IsOSPlatform(OSPlatform.Linux) ? "linux" : "unknown";
            return $"{os}-{RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant()}";
        }
    }

    public static string TorchSharpFileName =>
        RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "LibTorchSharp.dll"
        : RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? "libLibTorchSharp.dylib" : "libLibTorchSharp.so";

    public static string LibTorchCpuFileName =>
        RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "torch_cpu.dll"
        : RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? "libtorch_cpu.dylib" : "libtorch_cpu.so";

    /// <summary>The NuGet global packages folder (NUGET_PACKAGES or ~/.nuget/packages).</summary>
    public static string NuGetPackagesFolder =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } env
            ? env
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    /// <summary>Finds both folders, or returns null with the places searched.</summary>
    public static NativeLocations? Find(string torchSharpVersion, string libTorchVersion, out IReadOnlyList<string> searched)
    {
        var rid = Rid;
        var moduleDirs = new[]
        {
            Path.GetDirectoryName(typeof(NativeLocations).Assembly.Location),
            Path.GetDirectoryName(typeof(TorchSharp.torch).Assembly.Location),
        }.Where(d => !string.IsNullOrEmpty(d)).Distinct().Cast<string>().ToArray();

        var torchSharpCandidates = new List<string>();
        var libTorchCandidates = new List<string>();
        if (Environment.GetEnvironmentVariable(TorchSharpNativeVariable) is { Length: > 0 } ts) torchSharpCandidates.Add(ts);
        if (Environment.GetEnvironmentVariable(LibTorchVariable) is { Length: > 0 } lt) libTorchCandidates.Add(lt);
        foreach (var dir in moduleDirs)
        {
            torchSharpCandidates.Add(Path.Combine(dir, "runtimes", rid, "native"));
            libTorchCandidates.Add(Path.Combine(dir, "runtimes", rid, "native"));
        }
        var nuget = NuGetPackagesFolder;
        torchSharpCandidates.Add(Path.Combine(nuget, "torchsharp", torchSharpVersion, "runtimes", rid, "native"));
        libTorchCandidates.Add(Path.Combine(nuget, $"libtorch-cpu-{rid}", libTorchVersion, "runtimes", rid, "native"));

        searched = torchSharpCandidates.Concat(libTorchCandidates).Distinct().ToArray();
        var torchSharpDir = torchSharpCandidates.FirstOrDefault(d => File.Exists(Path.Combine(d, TorchSharpFileName)));
        var libTorchDir = libTorchCandidates.FirstOrDefault(d => File.Exists(Path.Combine(d, LibTorchCpuFileName)));
        return torchSharpDir is null || libTorchDir is null ? null : new NativeLocations(torchSharpDir, libTorchDir);
    }
}
