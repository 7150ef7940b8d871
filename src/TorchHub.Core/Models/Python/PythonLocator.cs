using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using TorchHub.Cache;
using TorchHub.Errors;

namespace TorchHub.Models.Python;

/// <summary>A Python that imports torch, as its probe found it.</summary>
/// <param name="Executable">The interpreter's path.</param>
/// <param name="TorchVersion">torch.__version__.</param>
/// <param name="TorchVersionFile">torch/version.py, whose time stamp says the probe is still true.</param>
/// <param name="SearchPaths">sys.prefix, sys.base_prefix and sys.path: what a sandbox must show read-only.</param>
internal sealed record PythonInstallation(string Executable, string TorchVersion, string TorchVersionFile, IReadOnlyList<string> SearchPaths);

/// <summary>
/// Finds the Python that exports hubconf.py entrypoints. Named (<see cref="PythonRouteOptions.Python"/>,
/// TORCHHUB_PYTHON) or the first of the well-known places that imports torch: /usr/bin/python3
/// first (a distribution's torch; a pyenv or venv python3 first on PATH often has none), then
/// python3 and python on PATH, then /usr/local/bin/python3. <see cref="Candidates"/> only looks
/// at files; <see cref="Probe"/> runs Python (about a second, for <c>import torch</c>) at most once
/// per interpreter and process, and remembers its answer on disk so a later session needs no
/// child process while the interpreter and torch/version.py are unchanged.
/// </summary>
internal static class PythonLocator
{
    private const string ProbeScript =
        "import json, sys, torch, torch.version\n" +
        "print(json.dumps({'torch': torch.__version__, 'file': torch.version.__file__, " +
        "'paths': [sys.prefix, sys.base_prefix] + [p for p in sys.path if p]}))";

    private static readonly ConcurrentDictionary<string, Lazy<(PythonInstallation? Found, string? Why)>> Probes = new(StringComparer.Ordinal);

    /// <summary>Existing interpreter files to try, in order; no process is started.</summary>
    public static IReadOnlyList<string> Candidates(PythonRouteOptions options)
    {
        if (options.Python is { } named)
            return Resolve(named) is { } path ? [path] : [];
        var found = new List<string>();
        foreach (var name in new[] { "/usr/bin/python3", "python3", "python", "/usr/local/bin/python3" })
        {
            if (Resolve(name) is { } path && !found.Contains(path, StringComparer.Ordinal)) found.Add(path);
        }
        return found;
    }

    /// <summary>Forgets the probes of this process (tests: a new session, which reads only the on-disk memo).</summary>
    internal static void ForgetProbes() => Probes.Clear();

    /// <summary>Why no Python can be tried, or null; cheap.</summary>
    public static string? CannotUseReason(PythonRouteOptions options)
    {
        if (Candidates(options).Count > 0) return null;
        return options.Python is { } named
            ? $"The Python '{named}' (TORCHHUB_PYTHON or the Python option) does not exist."
            : "No Python was found (/usr/bin/python3, python3 or python on PATH); install one with PyTorch (Debian: apt-get install python3-torch) or set TORCHHUB_PYTHON.";
    }

    /// <summary>The first candidate that imports torch; <see cref="HubErrorIds.PythonNotFound"/> when none does.</summary>
    public static PythonInstallation Find(PythonRouteOptions options, string probeCacheFile)
    {
        var reasons = new List<string>();
        foreach (var candidate in Candidates(options))
        {
            var (found, why) = Probes.GetOrAdd(candidate, path => new Lazy<(PythonInstallation?, string?)>(() => Probe(path, probeCacheFile))).Value;
            if (found is not null) return found;
            reasons.Add($"{candidate}: {why}");
        }
        throw new HubException(HubErrorIds.PythonNotFound, HubErrorCategory.NotInstalled,
            reasons.Count == 0
                ? CannotUseReason(options)!
                : "No Python with torch was found. " + string.Join(" ", reasons),
            options.Python)
        {
            RecommendedAction = "Install PyTorch for Python (Debian: apt-get install python3-torch python3-torchvision) or name a Python that has it with TORCHHUB_PYTHON.",
        };
    }

    private static (PythonInstallation?, string?) Probe(string python, string probeCacheFile)
    {
        var remembered = ReadRemembered(probeCacheFile, python);
        if (remembered is not null) return (remembered, null);
        var start = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "-I", "-c", ProbeScript }) start.ArgumentList.Add(arg);
        try
        {
            using var process = Process.Start(start)!;
            var error = process.StandardError.ReadToEndAsync();
            var output = process.StandardOutput.ReadToEnd();
            if (!process.WaitForExit(120_000))
            {
                process.Kill(entireProcessTree: true);
                return (null, "did not answer within two minutes");
            }
            if (process.ExitCode != 0)
            {
                var last = error.Result.Trim().Split('\n').LastOrDefault()?.Trim();
                return (null, string.IsNullOrEmpty(last) ? $"exited with code {process.ExitCode}" : last);
            }
            using var json = JsonDocument.Parse(output.Trim().Split('\n').Last());
            var root = json.RootElement;
            var found = new PythonInstallation(python, root.GetProperty("torch").GetString()!, root.GetProperty("file").GetString()!,
                root.GetProperty("paths").EnumerateArray().Select(p => p.GetString()!).Where(Path.IsPathRooted).Distinct().ToArray());
            Remember(probeCacheFile, found);
            return (found, null);
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or JsonException or InvalidOperationException or KeyNotFoundException)
        {
            return (null, ex.Message);
        }
    }

    // The on-disk memo: one JSON file per interpreter, valid while the interpreter and torch/version.py keep their time stamps.
    private sealed record Remembered(string Executable, DateTime ExecutableTime, string TorchVersion, string TorchVersionFile, DateTime TorchVersionFileTime, string[] SearchPaths);

    private static string MemoFile(string folder, string python) =>
        Path.Combine(folder, Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(python)))[..16].ToLowerInvariant() + ".json");

    private static PythonInstallation? ReadRemembered(string folder, string python)
    {
        try
        {
            var file = MemoFile(folder, python);
            if (!File.Exists(file)) return null;
            var memo = JsonSerializer.Deserialize<Remembered>(File.ReadAllText(file));
            if (memo is null || memo.Executable != python
                || File.GetLastWriteTimeUtc(python) != memo.ExecutableTime
                || !File.Exists(memo.TorchVersionFile) || File.GetLastWriteTimeUtc(memo.TorchVersionFile) != memo.TorchVersionFileTime)
                return null;
            return new PythonInstallation(python, memo.TorchVersion, memo.TorchVersionFile, memo.SearchPaths);
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
        {
            return null; // probe again
        }
    }

    private static void Remember(string folder, PythonInstallation found)
    {
        try
        {
            Directory.CreateDirectory(folder);
            var memo = new Remembered(found.Executable, File.GetLastWriteTimeUtc(found.Executable), found.TorchVersion,
                found.TorchVersionFile, File.GetLastWriteTimeUtc(found.TorchVersionFile), found.SearchPaths.ToArray());
            AtomicFile.WriteAllText(MemoFile(folder, found.Executable), JsonSerializer.Serialize(memo));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Only a memo: the next session probes again.
        }
    }

    /// <summary>A rooted path that exists, or a bare name found on PATH; symbolic links are kept (a venv's python must stay in its venv).</summary>
    internal static string? Resolve(string name)
    {
        if (name.Contains(Path.DirectorySeparatorChar) || Path.IsPathRooted(name))
            return File.Exists(name) ? Path.GetFullPath(name) : null;
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var path = Path.Combine(dir, name);
            if (File.Exists(path)) return Path.GetFullPath(path);
        }
        return null;
    }
}
