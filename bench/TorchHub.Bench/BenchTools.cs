using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;

namespace TorchHub.Bench;

/// <summary>What several benches share: the repository root, Debian's Python, medians, the load.</summary>
internal static class BenchTools
{
    /// <summary>Debian's python3 (python3-torch), the reference the benches compare with.</summary>
    public const string Python = "/usr/bin/python3";

    /// <summary>The repository root (the folder with TorchHub.sln), above the working folder or the bench.</summary>
    public static string FindRoot()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "TorchHub.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("TorchHub.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Runs <c>python3 -c script</c>; <paramref name="output"/> is its stdout then stderr.</summary>
    public static int RunPython(string script, out string output)
    {
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        output += error.Result;
        return process.ExitCode;
    }

    /// <summary>A Python string literal.</summary>
    public static string Quote(string s) => "'" + s.Replace("\\", "\\\\").Replace("'", "\\'") + "'";

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.OrderBy(v => v).ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    public static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";
}
