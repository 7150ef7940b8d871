using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;

namespace TorchHub.Tests.Hosting;

/// <summary>
/// `TorchHub.Bench fetch url destination` as a real child process: one download with the engine,
/// printing "OK &lt;sha256&gt; &lt;length&gt; &lt;fromCache&gt; &lt;bytesTransferred&gt; &lt;peakMiB&gt;" or "ERROR &lt;id&gt; &lt;message&gt;".
/// The cross-process download and lock tests start it.
/// </summary>
internal static class BenchFetch
{
    public static readonly TimeSpan ChildTimeout = TimeSpan.FromMinutes(3);

    public static string Dll
    {
        get
        {
            var config = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
            return Path.Combine(RepoPaths.Root, "bench", "TorchHub.Bench", "bin", config, "net10.0", "TorchHub.Bench.dll");
        }
    }

    /// <summary>Starts a fetch; <paramref name="wrapper"/> is a command it runs under (e.g. <c>unshare --pid --fork</c>).</summary>
    public static Process Start(string url, string destination, IReadOnlyDictionary<string, string>? env = null, params string[] wrapper)
    {
        var psi = new ProcessStartInfo(wrapper.Length > 0 ? wrapper[0] : "dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        if (wrapper.Length > 0)
        {
            foreach (var a in wrapper[1..]) psi.ArgumentList.Add(a);
            psi.ArgumentList.Add("dotnet");
        }
        foreach (var a in new[] { Dll, "fetch", url, destination }) psi.ArgumentList.Add(a);
        psi.Environment["TORCHHUB_DOWNLOAD_RETRY_DELAY_MS"] = "10";
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        return Process.Start(psi)!;
    }

    /// <summary>
    /// Both pipes are read at once (a child that fills one pipe while the other is read to its
    /// end would block forever), and a child that does not finish fails the test by name
    /// instead of leaving the test host silent.
    /// </summary>
    public static async Task<string> Output(Process p)
    {
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        try
        {
            await p.WaitForExitAsync().WaitAsync(ChildTimeout);
        }
        catch (TimeoutException)
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"the child process did not finish within {ChildTimeout.TotalMinutes} minutes");
        }
        var (stdout, stderr) = (await output, await error);
        return stdout.Trim() + (stderr.Length > 0 ? " STDERR: " + stderr : "");
    }
}
