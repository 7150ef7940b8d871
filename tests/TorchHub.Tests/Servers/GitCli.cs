using System;
using System.Diagnostics;
using System.IO;
using System.Text;

namespace TorchHub.Tests.Servers;

/// <summary>Runs the real <c>git</c> command line (repositories for the GitHub stand-in are real).</summary>
public static class GitCli
{
    public static string Run(string workDir, params string[] args) => RunWithInput(workDir, null, args);

    public static string RunWithInput(string workDir, string? stdin, params string[] args)
    {
        var (code, output, error) = TryRun(workDir, stdin, args);
        if (code != 0)
            throw new InvalidOperationException($"git {string.Join(' ', args)} failed ({code}): {error}");
        return output;
    }

    public static (int Code, string Output, string Error) TryRun(string workDir, string? stdin, params string[] args)
    {
        var start = new ProcessStartInfo("git")
        {
            WorkingDirectory = workDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (var a in args) start.ArgumentList.Add(a);
        // Deterministic identity; ignore the user's configuration.
        start.Environment["GIT_AUTHOR_NAME"] = start.Environment["GIT_COMMITTER_NAME"] = "TorchHub Tests";
        start.Environment["GIT_AUTHOR_EMAIL"] = start.Environment["GIT_COMMITTER_EMAIL"] = "tests@torchhub.invalid";
        start.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        start.Environment["GIT_CONFIG_GLOBAL"] = "/dev/null";
        using var process = Process.Start(start)!;
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
            process.StandardInput.Close();
        }
        var errorTask = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output, errorTask.Result);
    }

    public static byte[] RunBinary(string workDir, params string[] args)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = workDir, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        start.Environment["GIT_CONFIG_GLOBAL"] = "/dev/null";
        using var process = Process.Start(start)!;
        var errorTask = process.StandardError.ReadToEndAsync();
        using var memory = new MemoryStream();
        process.StandardOutput.BaseStream.CopyTo(memory);
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"git {string.Join(' ', args)} failed: {errorTask.Result}");
        return memory.ToArray();
    }
}

/// <summary>A real git repository in a folder, built up by tests.</summary>
public sealed class GitRepo
{
    public GitRepo(string path, string initialBranch = "main")
    {
        Path = path;
        Directory.CreateDirectory(path);
        GitCli.Run(path, "init", "-q", "-b", initialBranch);
    }

    public string Path { get; }

    /// <summary>Writes files (relative path → content) and commits them; returns the commit SHA.</summary>
    public string Commit(string message, params (string File, string Content)[] files)
    {
        foreach (var (file, content) in files)
        {
            var full = System.IO.Path.Combine(Path, file);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
            File.WriteAllText(full, content);
        }
        GitCli.Run(Path, "add", "-A");
        GitCli.Run(Path, "commit", "-q", "--allow-empty", "-m", message);
        return Head();
    }

    public string Head() => GitCli.Run(Path, "rev-parse", "HEAD").Trim();

    public void Checkout(string branch, bool create = false)
    {
        if (create) GitCli.Run(Path, "checkout", "-q", "-b", branch);
        else GitCli.Run(Path, "checkout", "-q", branch);
    }

    public void Branch(string name, string? at = null) => GitCli.Run(Path, "branch", name, at ?? "HEAD");

    public void Tag(string name, string? at = null, bool annotated = false)
    {
        if (annotated) GitCli.Run(Path, "tag", "-a", "-m", name, name, at ?? "HEAD");
        else GitCli.Run(Path, "tag", name, at ?? "HEAD");
    }

    /// <summary>Creates many branches in one git call (pagination tests).</summary>
    public void ManyBranches(string prefix, int count, string? at = null)
    {
        var sha = at ?? Head();
        var sb = new System.Text.StringBuilder();
        for (var i = 0; i < count; i++) sb.Append($"create refs/heads/{prefix}{i:D3} {sha}\n");
        GitCli.RunWithInput(Path, sb.ToString(), "update-ref", "--stdin");
    }

    /// <summary>Makes another repository's commits resolvable here without listing them (GitHub's fork network).</summary>
    public void ShareObjectsOf(GitRepo fork, string name) =>
        GitCli.Run(Path, "fetch", "-q", fork.Path, $"+refs/heads/*:refs/network/{name}/*");
}
