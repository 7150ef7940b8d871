using System;
using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;
using TorchHub.Errors;
using TorchHub.Feedback;

namespace TorchHub.Runtime;

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
/// Other parts of TorchHub (e.g. C# hubconf compilation) call this before touching TorchSharp types.
/// </summary>
public static class TorchSharpRuntime
{
    /// <summary>The libtorch that TorchSharp-cpu 0.107 is built against. Read from here, not from
    /// <c>torch.__version__</c>: touching <c>torch</c>'s members runs its static constructor, which
    /// loads the native side before we can prepare it.</summary>
    public const string LibTorchVersion = RuntimePackages.LibTorchVersion;

    private static readonly object Gate = new();
    private static volatile TorchSharpLoadInfo? _loaded;
    private static IntPtr _torchSharpHandle;
    private static IntPtr _torchCpuHandle;

    private static bool _hooked;
    private static volatile TorchSharpLoadInfo? _native;
    private static volatile bool _loading;

    private static volatile string? _startFailure;

    /// <summary>The result of the first successful load, or null when TorchSharp is not loaded yet.</summary>
    public static TorchSharpLoadInfo? Loaded => _loaded;

    /// <summary>
    /// Why TorchSharp's start failed in a way this process cannot recover from (its static
    /// constructor failed, or it loaded another libtorch), or null. Every later
    /// <see cref="EnsureLoaded"/> then fails at once with TorchSharpStartFailed instead of loading
    /// natives again: a second libtorch in one process crashes it.
    /// </summary>
    public static string? StartFailure => _startFailure;

    /// <summary>
    /// Makes TorchSharp find its native side on its own, however it is first touched (e.g.
    /// <c>[TorchSharp.torch]::ones(1, 4)</c> typed before any TorchHub command): registers a
    /// DllImport resolver on the TorchSharp assembly as soon as it loads. Cheap and loads
    /// nothing itself; the module calls it at import, TorchHub.Core's module initializer too.
    /// </summary>
    internal static void InstallHook()
    {
        lock (Gate)
        {
            if (_hooked) return;
            _hooked = true;
            AppDomain.CurrentDomain.AssemblyLoad += (_, args) =>
            {
                if (IsTorchSharp(args.LoadedAssembly)) Prepare(args.LoadedAssembly);
            };
            foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
            {
                if (IsTorchSharp(assembly)) Prepare(assembly);
            }
        }
    }

    /// <summary>Loads TorchSharp's native side once per process and checks it works; cheap afterwards.</summary>
    public static TorchSharpLoadInfo EnsureLoaded(IHubFeedback? feedback = null)
    {
        if (_loaded is { } done) return done;
        if (_startFailure is { } failed) throw StartFailed(failed);
        InstallHook();
        lock (Gate)
        {
            if (_loaded is { } again) return again;
            if (_startFailure is { } failedMeanwhile) throw StartFailed(failedMeanwhile);
            try
            {
                var info = LoadNative(feedback ?? SilentFeedback.Instance);
                Initialize();
                _loaded = info;
                return info;
            }
            catch (HubException ex) when (ex.ErrorId == HubErrorIds.TorchSharpStartFailed)
            {
                _startFailure = ex.Message;
                throw;
            }
        }
    }

    /// <summary>The native preparation alone (no TorchSharp member is touched, so its static constructor does not run).</summary>
    private static TorchSharpLoadInfo LoadNative(IHubFeedback feedback)
    {
        lock (Gate)
        {
            if (_native is not null) return _native;
            _loading = true; // LoadLinux itself loads TorchSharp.dll; its AssemblyLoad hook must not recurse
            try
            {
                return _native = RuntimeInformation.IsOSPlatform(OSPlatform.Linux)
                    ? LoadLinux(feedback)
                    : new TorchSharpLoadInfo(TorchSharpLoadMode.Default, null, null, null);
            }
            finally
            {
                _loading = false;
            }
        }
    }

    private static bool IsTorchSharp(Assembly assembly) => assembly.GetName().Name == "TorchSharp";

    /// <summary>
    /// Runs when TorchSharp's managed assembly loads, before any of its code: loads our native
    /// libraries first. TorchSharp's static constructor then asks NativeLibrary.TryLoad for
    /// "torch_cpu" and "LibTorchSharp" by name — a path that does not consult DllImport
    /// resolvers — and dlopen answers with the libraries already loaded under those sonames,
    /// instead of whatever the system search finds (e.g. Debian's python3-torch libtorch 1.13).
    /// A failure is left for <see cref="EnsureLoaded"/> to report.
    /// </summary>
    private static void Prepare(Assembly torchSharp)
    {
        RegisterResolver(torchSharp);
        if (_loading || _native is not null) return;
        // Never wait in an assembly-load handler: if another thread holds the gate, it is loading
        // the natives already (or EnsureLoaded will).
        if (!System.Threading.Monitor.TryEnter(Gate)) return;
        try
        {
            LoadNative(SilentFeedback.Instance);
        }
        catch (HubException)
        {
        }
        finally
        {
            System.Threading.Monitor.Exit(Gate);
        }
    }

    private static void RegisterResolver(Assembly torchSharp)
    {
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux)) return;
        try
        {
            NativeLibrary.SetDllImportResolver(torchSharp, Resolve);
        }
        catch (InvalidOperationException)
        {
            // The application registered its own resolver; EnsureLoaded still preloads the
            // libraries, and dlopen then finds libLibTorchSharp.so by its soname.
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
                $"Run Install-HubRuntime (from C#: Hub.InstallRuntimeAsync) to fetch them from NuGet into the runtime folder, then start a new session; or set {NativeLocations.LibTorchVariable} and {NativeLocations.TorchSharpNativeVariable} to the folders holding libtorch_cpu.so and libLibTorchSharp.so.");
        feedback.Verbose($"TorchSharp: libtorch from {locations.LibTorchDirectory}, {NativeLocations.TorchSharpFileName} from {locations.TorchSharpDirectory}.");
        if (ForeignLibTorch(locations.LibTorchDirectory) is { } foreign)
            throw StartFailed($"TorchSharp already tried to start in this session without TorchHub and loaded another libtorch ({foreign}); loading libtorch {libTorchVersion} beside it would crash the process");

        // Preload libtorch by absolute path: libLibTorchSharp's DT_NEEDED entries (libtorch.so,
        // libc10.so, libtorch_cpu.so) then resolve to these by soname wherever the library sits.
        foreach (var name in new[] { "libc10.so", "libtorch_cpu.so", "libtorch.so" })
        {
            var path = Path.Combine(locations.LibTorchDirectory, name);
            var handle = Dl.Open(path, Dl.RtldLazy, out var error);
            if (handle == IntPtr.Zero)
                throw GlibcxxFix.Unavailable($"{path} does not load: {error}",
                    "Check that libtorch matches this machine's architecture and that its files are complete (Install-HubRuntime -Force installs it again).");
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

        return new TorchSharpLoadInfo(mode, library, locations.LibTorchDirectory, shim);
    }

    // TorchSharp's DllImports and its own loader ask for "LibTorchSharp" and "torch_cpu" by name:
    // prepare the native side on first request and answer with the handles loaded. A failure
    // here surfaces through TorchSharp's own error; EnsureLoaded reports it as TorchSharpUnavailable.
    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        var wanted = name switch
        {
            "LibTorchSharp" or "libLibTorchSharp" or "libLibTorchSharp.so" => 1,
            "torch_cpu" or "libtorch_cpu" or "libtorch_cpu.so" => 2,
            _ => 0,
        };
        if (wanted == 0) return IntPtr.Zero;
        try
        {
            LoadNative(SilentFeedback.Instance);
        }
        catch (HubException)
        {
            return IntPtr.Zero;
        }
        return wanted == 1 ? _torchSharpHandle : _torchCpuHandle;
    }

    private static void Initialize()
    {
        try
        {
            TorchSharp.torch.InitializeDeviceType(TorchSharp.DeviceType.CPU);
            using var probe = TorchSharp.torch.ones(1);
        }
        catch (TypeInitializationException ex) when (_native is not null)
        {
            throw StartFailed($"TorchSharp already failed to start in this session, before its native libraries were found ({ex.InnerException?.Message.Split('\n', 2)[0].Trim()}); .NET never runs a failed type initializer again");
        }
        catch (Exception ex) when (ex is NotSupportedException or DllNotFoundException or EntryPointNotFoundException or TypeInitializationException or InvalidOperationException)
        {
            var first = ex.Message.Split('\n', 2)[0].Trim();
            throw GlibcxxFix.Unavailable($"TorchSharp's native backend did not initialise ({first})",
                "Install the matching runtime (Install-HubRuntime -Force), or set TORCHHUB_LIBTORCH and TORCHHUB_TORCHSHARP_NATIVE to matching native folders.");
        }
    }

    private static HubException StartFailed(string why) =>
        new(HubErrorIds.TorchSharpStartFailed, HubErrorCategory.InvalidOperation, $"TorchSharp cannot start in this session: {why}.")
        {
            RecommendedAction = "Start a new PowerShell session (or process). Make the native runtime available first (Install-HubRuntime), and let a TorchHub command load TorchSharp (or call [TorchHub.Runtime.TorchSharpRuntime]::EnsureLoaded()) before using [TorchSharp.torch] directly.",
        };

    /// <summary>
    /// A libtorch already mapped into this process from another folder than ours (on Linux,
    /// /proc/self/maps): TorchSharp's own loader finds a system libtorch (e.g. Debian's
    /// python3-torch) when it starts before TorchHub has prepared it.
    /// </summary>
    private static string? ForeignLibTorch(string ourDirectory)
    {
        try
        {
            var ours = Path.GetFullPath(ourDirectory).TrimEnd('/') + "/";
            foreach (var line in File.ReadLines("/proc/self/maps"))
            {
                var slash = line.IndexOf('/');
                if (slash < 0) continue;
                var path = line[slash..];
                var name = Path.GetFileName(path);
                if ((name.StartsWith("libtorch_cpu.so", StringComparison.Ordinal) || name.StartsWith("libc10.so", StringComparison.Ordinal))
                    && !path.StartsWith(ours, StringComparison.Ordinal))
                    return path;
            }
        }
        catch (IOException)
        {
        }
        return null;
    }

    private static string TorchSharpVersion()
    {
        var version = typeof(TorchSharp.torch).Assembly.GetName().Version ?? new Version(0, 107, 0);
        return $"{version.Major}.{version.Minor}.{version.Build}";
    }
}
