using System;
using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;
using TorchHub.Errors;
using TorchHub.Feedback;
using TorchHub.Tensors.Native;

namespace TorchHub.Tensors;

/// <summary>How TorchSharp's native side was brought up.</summary>
public enum TorchSharpLoadMode
{
    /// <summary>TorchSharp's own loader found everything (Windows, macOS).</summary>
    Default,
    /// <summary>The libraries loaded as they are.</summary>
    Direct,
    /// <summary>libLibTorchSharp needed the GLIBCXX_3.4.32 fix (patched copy plus shim).</summary>
    Patched,
}

/// <summary>What <see cref="TorchSharpRuntime.EnsureLoaded"/> did.</summary>
public sealed record TorchSharpLoadInfo(TorchSharpLoadMode Mode, string? TorchSharpLibrary, string? LibTorchDirectory, string? Shim);

/// <summary>
/// Brings TorchSharp up on first use, never at module import: every entry point that needs a
/// tensor calls <see cref="EnsureLoaded"/> first. On Linux x64 it loads libtorch and
/// libLibTorchSharp itself (from the module or the NuGet package folder), applies the
/// GLIBCXX_3.4.32 fix only when the system's libstdc++ needs it, and points TorchSharp's
/// DllImports at the library it loaded. Anything that still cannot load becomes one
/// <see cref="HubException"/> (TorchSharpUnavailable, NotInstalled) with the remedy.
/// Other rooms (e.g. C# hubconf compilation) call this before touching TorchSharp types.
/// </summary>
public static class TorchSharpRuntime
{
    /// <summary>The libtorch that TorchSharp-cpu 0.107 is built against. Read from here, not from
    /// <c>torch.__version__</c>: touching <c>torch</c>'s members runs its static constructor, which
    /// loads the native side before we can prepare it.</summary>
    public const string LibTorchVersion = "2.10.0";

    private static readonly object Gate = new();
    private static TorchSharpLoadInfo? _loaded;
    private static IntPtr _torchSharpHandle;
    private static IntPtr _torchCpuHandle;

    /// <summary>The result of the first successful load, or null when TorchSharp is not loaded yet.</summary>
    public static TorchSharpLoadInfo? Loaded => _loaded;

    /// <summary>Loads TorchSharp's native side once per process; cheap afterwards.</summary>
    public static TorchSharpLoadInfo EnsureLoaded(IHubFeedback? feedback = null)
    {
        if (_loaded is { } done) return done;
        lock (Gate)
        {
            if (_loaded is { } again) return again;
            feedback ??= SilentFeedback.Instance;
            var info = RuntimeInformation.IsOSPlatform(OSPlatform.Linux) ? LoadLinux(feedback) : new TorchSharpLoadInfo(TorchSharpLoadMode.Default, null, null, null);
            Initialize();
            _loaded = info;
            return info;
        }
    }

    private static TorchSharpLoadInfo LoadLinux(IHubFeedback feedback)
    {
        if (RuntimeInformation.ProcessArchitecture != Architecture.X64)
            throw GlibcxxFix.Unavailable(
                $"TorchSharp-cpu 0.107 ships no native libraries for {NativeLocations.Rid}",
                "Use an x86-64 Linux, Windows x64 or macOS arm64 machine, or point TORCHHUB_TORCHSHARP_NATIVE and TORCHHUB_LIBTORCH at builds for this architecture.");

        var torchSharpVersion = TorchSharpVersion();
        var libTorchVersion = LibTorchVersion;
        var locations = NativeLocations.Find(torchSharpVersion, libTorchVersion, out var searched)
            ?? throw GlibcxxFix.Unavailable(
                $"libtorch {libTorchVersion} or {NativeLocations.TorchSharpFileName} ({torchSharpVersion}) was not found (searched {string.Join(", ", searched)})",
                $"Restore the NuGet package TorchSharp-cpu {torchSharpVersion} (it brings libtorch-cpu-{NativeLocations.Rid} {libTorchVersion}), use a TorchHub build that bundles libtorch, or set {NativeLocations.LibTorchVariable} and {NativeLocations.TorchSharpNativeVariable} to the folders holding libtorch_cpu.so and libLibTorchSharp.so.");
        feedback.Verbose($"TorchSharp: libtorch from {locations.LibTorchDirectory}, {NativeLocations.TorchSharpFileName} from {locations.TorchSharpDirectory}.");

        // Preload libtorch by absolute path: libLibTorchSharp's DT_NEEDED entries (libtorch.so,
        // libc10.so, libtorch_cpu.so) then resolve to these by soname wherever the library sits.
        foreach (var name in new[] { "libc10.so", "libtorch_cpu.so", "libtorch.so" })
        {
            var path = Path.Combine(locations.LibTorchDirectory, name);
            var handle = Dl.Open(path, Dl.RtldLazy, out var error);
            if (handle == IntPtr.Zero)
                throw GlibcxxFix.Unavailable($"{path} does not load: {error}",
                    "Check that libtorch matches this machine's architecture and that its files are complete (restore the libtorch-cpu package again).");
            if (name == "libtorch_cpu.so") _torchCpuHandle = handle;
        }

        var original = Path.Combine(locations.TorchSharpDirectory, NativeLocations.TorchSharpFileName);
        var mode = TorchSharpLoadMode.Direct;
        string? shim = null;
        var library = original;
        _torchSharpHandle = Dl.Open(original, Dl.RtldLazy, out var firstError);
        if (_torchSharpHandle == IntPtr.Zero)
        {
            if (firstError is null || !GlibcxxFix.IsCurable(firstError))
                throw GlibcxxFix.Unavailable($"{original} does not load: {firstError}",
                    "Install a libstdc++ from GCC 13 or newer, or check that the TorchSharp native files match this machine.");

            feedback.Verbose($"TorchSharp: the system libstdc++ lacks {GlibcxxFix.MissingVersion}; using a patched copy of {NativeLocations.TorchSharpFileName} and the TorchHub shim.");
            shim = GlibcxxFix.Shim();
            if (Dl.Open(shim, Dl.RtldNow | Dl.RtldGlobal, out var shimError) == IntPtr.Zero)
                throw GlibcxxFix.Unavailable($"the shim {shim} does not load: {shimError}",
                    "Reinstall TorchHub, or delete the TorchHub native cache folder so the shim is rebuilt.");
            library = GlibcxxFix.PatchedCopy(original);
            _torchSharpHandle = Dl.Open(library, Dl.RtldLazy, out var patchedError);
            if (_torchSharpHandle == IntPtr.Zero)
                throw GlibcxxFix.Unavailable($"the patched copy {library} does not load: {patchedError}",
                    "Install a libstdc++ from GCC 13 or newer.");
            mode = TorchSharpLoadMode.Patched;
        }

        // TorchSharp's DllImports and its own loader ask for "LibTorchSharp" and "torch_cpu" by
        // name; answer with the handles loaded above. If the application already registered a
        // resolver for TorchSharp, the soname match above still makes dlopen find our copy.
        try
        {
            NativeLibrary.SetDllImportResolver(typeof(TorchSharp.torch).Assembly, Resolve);
        }
        catch (InvalidOperationException)
        {
            feedback.Verbose("TorchSharp: a DllImport resolver was already registered for TorchSharp; relying on the loaded library's soname.");
        }
        return new TorchSharpLoadInfo(mode, library, locations.LibTorchDirectory, shim);
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath) => name switch
    {
        "LibTorchSharp" or "libLibTorchSharp" or "libLibTorchSharp.so" => _torchSharpHandle,
        "torch_cpu" or "libtorch_cpu" or "libtorch_cpu.so" => _torchCpuHandle,
        _ => IntPtr.Zero,
    };

    private static void Initialize()
    {
        try
        {
            TorchSharp.torch.InitializeDeviceType(TorchSharp.DeviceType.CPU);
            using var probe = TorchSharp.torch.ones(1);
        }
        catch (Exception ex) when (ex is NotSupportedException or DllNotFoundException or EntryPointNotFoundException or TypeInitializationException or InvalidOperationException)
        {
            var first = ex.Message.Split('\n', 2)[0].Trim();
            throw GlibcxxFix.Unavailable($"TorchSharp's native backend did not initialise ({first})",
                "Restore the NuGet package TorchSharp-cpu 0.107 (libtorch-cpu), or set TORCHHUB_LIBTORCH and TORCHHUB_TORCHSHARP_NATIVE to matching native folders.");
        }
    }

    private static string TorchSharpVersion()
    {
        var version = typeof(TorchSharp.torch).Assembly.GetName().Version ?? new Version(0, 107, 0);
        return $"{version.Major}.{version.Minor}.{version.Build}";
    }
}
