using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text.Json;
using TorchHub.Tests.Hosting;

namespace TorchHub.Tests.Engine.Models;

/// <summary>
/// torchvision 0.14.1's side of the port checks. keys.json (committed) lists each checked
/// entrypoint's state_dict keys and shapes. Weights and outputs are too big to commit: they are
/// made at test time by Fixtures/vision/make-vision-fixtures.py with Debian's torch (tests that
/// need them are TorchFacts), once per script version, in a folder under the temp folder.
/// </summary>
public static class VisionFixtures
{
    private static readonly string Source = Path.Combine(AppContext.BaseDirectory, "Fixtures", "vision");

    private static readonly string Script = Path.Combine(Source, "make-vision-fixtures.py");

    public static JsonElement Keys { get; } = JsonDocument.Parse(File.ReadAllText(Path.Combine(Source, "keys.json"))).RootElement.GetProperty("models");

    /// <summary>torchvision's (key, shape) list for an entrypoint.</summary>
    public static (string Key, long[] Shape)[] KeysOf(string name) =>
        Keys.GetProperty(name).EnumerateArray()
            .Select(e => (e[0].GetString()!, e[1].EnumerateArray().Select(d => d.GetInt64()).ToArray())).ToArray();

    private static readonly ConcurrentDictionary<string, Lazy<string>> Made = new();

    /// <summary>The folder holding &lt;name&gt;.pth (random weights as torch.save wrote them) and &lt;name&gt;.io.pth (input, output).</summary>
    public static string Outputs(string name) => Made.GetOrAdd(name, n => new Lazy<string>(() => Make(n))).Value;

    private static string Make(string name)
    {
        var version = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(Script)))[..12];
        var folder = Path.Combine(Path.GetTempPath(), "torchhub-vision-fixtures-" + version);
        Directory.CreateDirectory(folder);
        if (File.Exists(Path.Combine(folder, name + ".io.pth"))) return folder;
        // Written beside, then moved in: a run killed half-way leaves nothing that looks finished.
        var work = Directory.CreateDirectory(Path.Combine(folder, "work-" + Guid.NewGuid().ToString("N"))).FullName;
        try
        {
            var start = new ProcessStartInfo(TorchFactAttribute.Python) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in new[] { Script, "outputs", work, name }) start.ArgumentList.Add(arg);
            using var process = Process.Start(start)!;
            var error = process.StandardError.ReadToEndAsync();
            process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0) throw new InvalidOperationException($"make-vision-fixtures.py {name} failed: {error.Result}");
            File.Move(Path.Combine(work, name + ".pth"), Path.Combine(folder, name + ".pth"), overwrite: true);
            File.Move(Path.Combine(work, name + ".io.pth"), Path.Combine(folder, name + ".io.pth"), overwrite: true);
            return folder;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
