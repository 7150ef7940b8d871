using System;
using System.Diagnostics;
using System.IO;
using System.Reflection;
using System.Security.Cryptography;
using TorchHub.Errors;

namespace TorchHub.Runtime;

/// <summary>
/// The fix for libstdc++ older than GCC 13 (Debian 12, Ubuntu 22.04, RHEL 9): libLibTorchSharp
/// requires version GLIBCXX_3.4.32 for one symbol, <c>std::ios_base_library_init()</c>.
/// We (1) write a copy of the library with that version requirement marked weak, into our own
/// cache folder (the NuGet cache and the module are never touched), and (2) provide the symbol
/// under that version from a tiny shim library, loaded RTLD_GLOBAL before the copy.
/// The shim ships in the module (built at build time, runtimes/linux-x64/native); when it is
/// missing it is compiled once with g++ from the source embedded in this assembly.
/// </summary>
internal static class GlibcxxFix
{
    public const string MissingVersion = "GLIBCXX_3.4.32";
    public const string ShimFileName = "libtorchhub_glibcxx_shim.so";
    public const string CacheVariable = "TORCHHUB_NATIVE_CACHE";

    /// <summary>Our cache folder for native files: TORCHHUB_NATIVE_CACHE, else $XDG_CACHE_HOME/torchhub/native, else ~/.cache/torchhub/native.</summary>
    public static string CacheFolder
    {
        get
        {
            if (Environment.GetEnvironmentVariable(CacheVariable) is { Length: > 0 } env) return env;
            var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            var root = string.IsNullOrEmpty(xdg)
                ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache")
                : xdg;
            return Path.Combine(root, "torchhub", "native");
        }
    }

    /// <summary>Whether a loader error is the one this fix cures.</summary>
    public static bool IsCurable(string loaderError) => loaderError.Contains(MissingVersion, StringComparison.Ordinal);

    /// <summary>Returns the path of a patched copy of <paramref name="original"/>, writing it if needed.</summary>
    public static string PatchedCopy(string original)
    {
        var bytes = File.ReadAllBytes(original);
        var key = Convert.ToHexString(SHA256.HashData(bytes))[..16].ToLowerInvariant();
        var folder = Path.Combine(CacheFolder, "libtorchsharp-" + key);
        var target = Path.Combine(folder, Path.GetFileName(original));
        if (File.Exists(target)) return target;

        if (ElfVersionPatcher.MarkVersionWeak(bytes, MissingVersion) == 0)
            throw new HubException(HubErrorIds.TorchSharpUnavailable, HubErrorCategory.NotInstalled,
                $"{original} does not request {MissingVersion}; the libstdc++ fix does not apply.", original);
        WriteAtomically(target, bytes);
        return target;
    }

    /// <summary>Finds the shim shipped with the module, or builds it into the cache with g++.</summary>
    public static string Shim()
    {
        var here = Path.GetDirectoryName(typeof(GlibcxxFix).Assembly.Location) ?? ".";
        foreach (var candidate in new[]
                 {
                     Path.Combine(here, "runtimes", NativeLocations.Rid, "native", ShimFileName),
                     Path.Combine(here, ShimFileName),
                     Path.Combine(CacheFolder, "glibcxx-shim", ShimFileName),
                 })
        {
            if (File.Exists(candidate)) return candidate;
        }
        return BuildShim(Path.Combine(CacheFolder, "glibcxx-shim"));
    }

    private static string BuildShim(string folder)
    {
        Directory.CreateDirectory(folder);
        var source = Path.Combine(folder, "ios_base_library_init.cpp");
        var map = Path.Combine(folder, "shim.map");
        File.WriteAllText(source, Resource("ios_base_library_init.cpp"));
        File.WriteAllText(map, Resource("shim.map"));
        var temp = Path.Combine(folder, ShimFileName + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp");
        var start = new ProcessStartInfo("g++")
        {
            ArgumentList = { "-shared", "-fPIC", "-O2", "-Wl,--version-script=" + map, "-o", temp, source },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        string stderr;
        int exit;
        try
        {
            using var process = Process.Start(start)!;
            var errTask = process.StandardError.ReadToEndAsync();
            process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            stderr = errTask.Result;
            exit = process.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw Unavailable($"the module's {ShimFileName} is missing and g++ is not installed to build it ({ex.Message})",
                "Reinstall TorchHub (its linux-x64 build ships the shim), or install g++ once, or use a system with libstdc++ from GCC 13 or newer.");
        }
        if (exit != 0)
        {
            File.Delete(temp);
            throw Unavailable($"building {ShimFileName} with g++ failed: {stderr.Trim()}",
                "Reinstall TorchHub (its linux-x64 build ships the shim), or use a system with libstdc++ from GCC 13 or newer.");
        }
        var target = Path.Combine(folder, ShimFileName);
        File.Move(temp, target, overwrite: true);
        return target;
    }

    private static string Resource(string name)
    {
        using var stream = typeof(GlibcxxFix).Assembly.GetManifestResourceStream("TorchHub.Native." + name)
            ?? throw new InvalidOperationException($"Embedded resource {name} is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static void WriteAtomically(string target, byte[] bytes)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        Cache.AtomicFile.WriteAllBytes(target, bytes);
    }

    // The remedy goes in RecommendedAction only: PowerShell prints it under the message.
    internal static HubException Unavailable(string why, string remedy) =>
        new(HubErrorIds.TorchSharpUnavailable, HubErrorCategory.NotInstalled, $"TorchSharp cannot load: {why}.")
        {
            RecommendedAction = remedy,
        };
}
