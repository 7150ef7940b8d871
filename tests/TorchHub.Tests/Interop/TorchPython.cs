using System;
using System.Diagnostics;
using System.IO;
using Xunit;

namespace TorchHub.Tests.Interop;

/// <summary>Debian's PyTorch (/usr/bin/python3 with python3-torch), for cross-checks with the real torch.hub.</summary>
public static class TorchPython
{
    public const string Python = "/usr/bin/python3";

    private static readonly Lazy<bool> IsAvailable = new(() => File.Exists(Python) && Run("import torch.hub").Code == 0);

    public static bool Available => IsAvailable.Value;

    public static (int Code, string Output) Run(string script)
    {
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output + error.Result);
    }

    public static string Quote(string s) => "'" + s.Replace("\\", "\\\\").Replace("'", "\\'") + "'";
}
