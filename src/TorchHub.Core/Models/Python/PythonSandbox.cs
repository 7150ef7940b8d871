using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using TorchHub.Errors;

namespace TorchHub.Models.Python;

/// <summary>The folders one export may see, as host paths (the sandbox shows them at the same paths).</summary>
/// <param name="Repository">The repository (read-only).</param>
/// <param name="Checkpoints">&lt;hub dir&gt;/checkpoints (read-only; the parent downloads into it).</param>
/// <param name="Work">The export's own folder: the runner script, its output, its HOME (the only writable folder).</param>
internal sealed record SandboxFolders(string Repository, string Checkpoints, string Work);

/// <summary>
/// Starts the export runner as isolated as this machine allows. The levels are probed once per
/// process (a trial run of bwrap and of unshare, a few milliseconds each); the runner itself then
/// adds what every level gets: a seccomp filter (no new processes, no program execution, no
/// sockets but AF_UNIX) and resource limits (address space, file size, CPU time), applied before
/// the repository's code is imported. The parent adds the wall-clock timeout.
/// </summary>
internal static class PythonSandbox
{
    private static readonly Lazy<bool> BubblewrapWorks = new(() => Tool("bwrap") is { } bwrap && Trial(bwrap, "--ro-bind", "/", "/", "--unshare-all", "--die-with-parent", "true"));

    private static readonly Lazy<bool> UnshareWorks = new(() => Tool("unshare") is { } unshare && Trial(unshare, "--user", "--map-root-user", "--net", "--pid", "--fork", "true"));

    /// <summary>The level to use under <paramref name="policy"/>; <see cref="HubErrorIds.PythonSandboxUnavailable"/> when the policy cannot be met.</summary>
    public static PythonSandboxLevel Choose(PythonSandboxPolicy policy) =>
        Choose(policy, IsAvailable(PythonSandboxLevel.Bubblewrap), IsAvailable(PythonSandboxLevel.Unshare));

    /// <summary>The choice itself, for a machine where the given levels work.</summary>
    internal static PythonSandboxLevel Choose(PythonSandboxPolicy policy, bool bubblewrap, bool unshare)
    {
        bool Works(PythonSandboxLevel level) => level switch
        {
            PythonSandboxLevel.Bubblewrap => bubblewrap,
            PythonSandboxLevel.Unshare => unshare,
            _ => true,
        };
        var best = bubblewrap ? PythonSandboxLevel.Bubblewrap : unshare ? PythonSandboxLevel.Unshare : PythonSandboxLevel.Process;
        PythonSandboxLevel? wanted = policy switch
        {
            PythonSandboxPolicy.Bubblewrap => PythonSandboxLevel.Bubblewrap,
            PythonSandboxPolicy.Unshare => PythonSandboxLevel.Unshare,
            PythonSandboxPolicy.Process => PythonSandboxLevel.Process,
            _ => null,
        };
        if (wanted is { } exact)
            return Works(exact) ? exact : throw Unavailable($"The sandbox level {exact} was asked for (TORCHHUB_PYTHON_SANDBOX) but does not work on this machine.");
        if (policy == PythonSandboxPolicy.Isolated && best == PythonSandboxLevel.Process)
            throw Unavailable("Neither bubblewrap nor unshare works on this machine, and a plain process was refused (TORCHHUB_PYTHON_SANDBOX=isolated).");
        return best;
    }

    public static bool IsAvailable(PythonSandboxLevel level) => level switch
    {
        PythonSandboxLevel.Bubblewrap => BubblewrapWorks.Value,
        PythonSandboxLevel.Unshare => UnshareWorks.Value,
        _ => true,
    };

    /// <summary>The command line that runs <paramref name="runner"/> with <paramref name="python"/> at <paramref name="level"/>.</summary>
    public static ProcessStartInfo StartInfo(PythonSandboxLevel level, PythonInstallation python, string runner, SandboxFolders folders)
    {
        var home = Path.Combine(folders.Work, "home");
        Directory.CreateDirectory(home);
        var start = new ProcessStartInfo
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = folders.Work,
            StandardOutputEncoding = System.Text.Encoding.UTF8,
            StandardErrorEncoding = System.Text.Encoding.UTF8,
        };
        // An empty environment: nothing of the user's (tokens, proxies, PYTHONPATH) reaches the repository's code.
        start.Environment.Clear();
        start.Environment["PATH"] = "/usr/bin:/bin";
        start.Environment["LANG"] = "C.UTF-8";
        start.Environment["HOME"] = level == PythonSandboxLevel.Bubblewrap ? "/tmp" : home;
        var args = start.ArgumentList;
        switch (level)
        {
            case PythonSandboxLevel.Bubblewrap:
                start.FileName = Tool("bwrap")!;
                foreach (var arg in BubblewrapArguments(python, folders)) args.Add(arg);
                break;
            case PythonSandboxLevel.Unshare:
                start.FileName = Tool("unshare")!;
                foreach (var arg in new[] { "--user", "--map-root-user", "--net", "--pid", "--fork", "--kill-child", "--mount-proc" }) args.Add(arg);
                break;
            default:
                start.FileName = python.Executable;
                break;
        }
        if (level != PythonSandboxLevel.Process) start.ArgumentList.Add(python.Executable);
        args.Add("-I"); // isolated: no user site-packages, no PYTHON* variables, no current folder on sys.path
        args.Add(runner);
        return start;
    }

    private static IEnumerable<string> BubblewrapArguments(PythonInstallation python, SandboxFolders folders)
    {
        yield return "--unshare-all"; // network, PID, IPC, UTS, cgroup and (where allowed) user namespaces
        yield return "--die-with-parent";
        yield return "--new-session";
        yield return "--cap-drop";
        yield return "ALL";
        yield return "--proc";
        yield return "/proc";
        yield return "--dev";
        yield return "/dev";
        yield return "--tmpfs";
        yield return "/tmp"; // before the binds below, which may live under the host's /tmp
        var shown = new List<string>();
        // The system folders Python and its libraries load from; merged-/usr links stay links.
        foreach (var top in new[] { "/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32" })
        {
            var info = new FileInfo(top);
            if (info.LinkTarget is { } target)
            {
                yield return "--symlink";
                yield return target;
                yield return top;
            }
            else if (Directory.Exists(top))
            {
                yield return "--ro-bind";
                yield return top;
                yield return top;
                shown.Add(top);
            }
        }
        // The dynamic loader's cache and Debian's alternatives (libblas.so.3 is one), nothing else of /etc.
        foreach (var etc in new[] { "/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/alternatives" })
        {
            yield return "--ro-bind-try";
            yield return etc;
            yield return etc;
        }
        // A Python outside /usr (a venv, pyenv, conda) brings its own folders.
        foreach (var path in python.SearchPaths.Prepend(Path.GetDirectoryName(python.Executable)!))
        {
            if (shown.Any(s => IsUnder(path, s)) || !Directory.Exists(path)) continue;
            shown.Add(path);
            yield return "--ro-bind";
            yield return path;
            yield return path;
        }
        yield return "--ro-bind";
        yield return folders.Repository;
        yield return folders.Repository;
        yield return "--ro-bind";
        yield return folders.Checkpoints;
        yield return folders.Checkpoints;
        yield return "--bind";
        yield return folders.Work;
        yield return folders.Work;
        yield return "--chdir";
        yield return folders.Work;
    }

    private static bool IsUnder(string path, string folder) =>
        path == folder || path.StartsWith(folder.TrimEnd('/') + "/", StringComparison.Ordinal);

    private static string? Tool(string name) =>
        OperatingSystem.IsLinux() ? PythonLocator.Resolve("/usr/bin/" + name) ?? PythonLocator.Resolve(name) : null;

    private static bool Trial(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in arguments) start.ArgumentList.Add(arg);
        try
        {
            using var process = Process.Start(start)!;
            _ = process.StandardError.ReadToEndAsync();
            process.StandardOutput.ReadToEnd();
            if (process.WaitForExit(10_000)) return process.ExitCode == 0;
            process.Kill(entireProcessTree: true);
            return false;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    private static HubException Unavailable(string message) =>
        new(HubErrorIds.PythonSandboxUnavailable, HubErrorCategory.SecurityError, message)
        {
            RecommendedAction = "Install bubblewrap (Debian: apt-get install bubblewrap) or allow unprivileged user namespaces; or set TORCHHUB_PYTHON_SANDBOX=auto to accept a weaker level.",
        };
}
