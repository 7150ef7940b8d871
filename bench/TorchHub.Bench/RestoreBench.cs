using System;
using System.Collections;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Security.Cryptography;
using System.Threading.Tasks;
using TorchHub.Cache;
using TorchHub.Tests.Servers;
using static TorchHub.Bench.BenchTools;

namespace TorchHub.Bench;

/// <summary>
/// Restore-HubCache of a lock file with 20 repositories and 5 weight files (issue 13): cold from the
/// origins, cold through a mirror (the origins must count zero requests) and warm (zero requests
/// anywhere), beside the same items fetched one by one by Save-HubRepository/Save-HubFile (the
/// prefetch that writes the lock file) and by torch.hub 1.13 in one Python process.
/// Usage: TorchHub.Bench restore [repositories] [files] [MiB per file].
/// </summary>
internal static class RestoreBench
{

    public static async Task<int> RunAsync(int repositories, int files, int fileMiB)
    {
        var root = Path.Combine(Path.GetTempPath(), "torchhub-restore-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        try
        {
            Console.WriteLine($"Building {repositories} repositories (git) and {files} weight files of {fileMiB} MiB...");
            await using var github = await GitHubStandIn.StartAsync(Path.Combine(root, "zips"));
            var specs = new List<string>();
            for (var i = 0; i < repositories; i++)
            {
                github.AddRepository("fleet", $"r{i:D2}", MakeRepo(Path.Combine(root, "repos", $"r{i:D2}"), i));
                specs.Add($"fleet/r{i:D2}:main");
            }
            var names = new List<string>();
            for (var i = 0; i < files; i++)
            {
                var data = new byte[fileMiB << 20];
                new Random(i).NextBytes(data);
                var name = $"w{i}-{Convert.ToHexString(SHA256.HashData(data))[..8].ToLowerInvariant()}.pth";
                Directory.CreateDirectory(Path.Combine(root, "origin", "models"));
                File.WriteAllBytes(Path.Combine(root, "origin", "models", name), data);
                names.Add(name);
            }
            await using var origin = await StaticServer.StartAsync(Path.Combine(root, "origin"), 0, 0);
            Environment.SetEnvironmentVariable("GITHUB_API_URL", github.ApiUrl.ToString());
            Environment.SetEnvironmentVariable("GITHUB_SERVER_URL", github.WebUrl.ToString());
            Environment.SetEnvironmentVariable("GITHUB_TOKEN", null);
            Environment.SetEnvironmentVariable(Http.MirrorRule.Variable, null);
            var urls = names.Select(n => $"{origin.Url}/models/{n}").ToList();
            var lockFile = Path.Combine(root, "torchhub.lock.json");
            var originRequests = () => github.TotalRequestCount + origin.Requests;

            using var ps = new Session();
            // JIT and module load outside the figures: one repository and one file into a scratch hub.
            ps.Run($"Set-HubDirectory '{Path.Combine(root, "hub-jit")}'; Save-HubRepository {specs[0]} -TrustRepo; Save-HubFile '{urls[0]}'");

            // Reference: the prefetch, item by item (validation, archive, extraction; one file at a time).
            ps.Run($"Set-HubDirectory '{Path.Combine(root, "hub-prefetch")}'");
            var before = originRequests();
            var prefetch = ps.Time(string.Join("; ", specs.Select(s => $"Save-HubRepository {s} -TrustRepo -LockFile '{lockFile}'"))
                + $"; Save-HubFile {string.Join(',', urls.Select(u => $"'{u}'"))} -ThrottleLimit 1 -LockFile '{lockFile}'");
            var prefetchRequests = originRequests() - before;

            // The store: each locked commit's archive and each weight file, under the mirror's own paths.
            var locked = HubLockFile.Load(lockFile);
            using (var client = new System.Net.Http.HttpClient())
                foreach (var repository in locked.Repositories)
                {
                    var ownerName = repository.Spec.Split(':')[0];
                    var target = Path.Combine(root, "mirror", "github", ownerName, "zipball", repository.Commit);
                    Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                    File.WriteAllBytes(target, await client.GetByteArrayAsync($"{github.WebUrl}{ownerName}/zipball/{repository.Commit}"));
                }
            Directory.CreateDirectory(Path.Combine(root, "mirror", "pytorch-models"));
            foreach (var name in names) File.Copy(Path.Combine(root, "origin", "models", name), Path.Combine(root, "mirror", "pytorch-models", name));
            await using var mirror = await StaticServer.StartAsync(Path.Combine(root, "mirror"), 0, 0);
            ps.SetMirrors(new Hashtable { [github.WebUrl.AbsoluteUri] = mirror.Url + "/github/", [origin.Url + "/models/"] = mirror.Url + "/pytorch-models/" });

            ps.Run($"Set-HubDirectory '{Path.Combine(root, "hub-origin")}'");
            before = originRequests();
            var coldOrigin = ps.Time($"Restore-HubCache '{lockFile}'");
            var coldOriginRequests = originRequests() - before;

            ps.Run($"Set-HubDirectory '{Path.Combine(root, "hub-mirror")}'");
            before = originRequests();
            var coldMirror = ps.Time($"Restore-HubCache '{lockFile}' -Mirror $mirrors");
            var coldMirrorOrigin = originRequests() - before;
            var coldMirrorRequests = mirror.Requests;

            before = originRequests();
            var mirrorBefore = mirror.Requests;
            var warm = Median(Enumerable.Range(0, 5).Select(_ => ps.Time($"Restore-HubCache '{lockFile}' -Mirror $mirrors")).ToList());
            var warmRequests = originRequests() - before + mirror.Requests - mirrorBefore;

            double? torch = null;
            if (File.Exists(Python) && RunPython("import torch.hub", out _) == 0)
                torch = TorchFetch(Path.Combine(root, "hub-torch"), github.WebUrl.AbsoluteUri, locked, urls);

            var totalMiB = files * fileMiB;
            Console.WriteLine();
            Console.WriteLine($"Restore bench: lock of {repositories} repositories and {files} weight files ({totalMiB} MiB), all from 127.0.0.1, in a hosted pwsh " +
                $"({Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]})");
            Console.WriteLine($"{"measure",-58} {"time",10} {"requests",22}");
            Row("reference: prefetch one by one (Save-HubRepository/-File)", prefetch, $"{prefetchRequests} to the origins");
            Row("reference: torch.hub 1.13, same items, one process", torch, torch is null ? "n/a (no python3-torch)" : "(archives + files)");
            Row("Restore-HubCache, cold, from the origins", coldOrigin, $"{coldOriginRequests} to the origins");
            Row("Restore-HubCache, cold, through the mirror", coldMirror, $"{coldMirrorOrigin} to the origins, {coldMirrorRequests} to the mirror");
            Row("Restore-HubCache, warm (median of 5)", warm, $"{warmRequests} anywhere");
            Console.WriteLine();
            Console.WriteLine($"cold restore through the mirror: {prefetch / coldMirror:0.00}x the prefetch's speed" +
                (torch is { } t ? $", {t / coldMirror:0.00}x torch.hub's" : "") + $"; warm: {prefetch / warm:0}x the prefetch's speed.");
            Console.WriteLine("torch.hub runs as /usr/bin/python3 with its archive link monkeypatched to the GitHub stand-in (1.13 hardcodes github.com), skip_validation=True.");
            return coldMirrorOrigin == 0 && warmRequests == 0 ? 0 : 1;
        }
        finally
        {
            try { Directory.Delete(root, recursive: true); } catch (IOException) { }
        }
    }

    private static void Row(string name, double? ms, string requests) =>
        Console.WriteLine($"{name,-58} {(ms is { } v ? $"{v / 1000:0.00} s" : "n/a"),10} {requests,22}");

    private static GitRepo MakeRepo(string path, int seed)
    {
        var repo = new GitRepo(path);
        var random = new Random(seed);
        var buffer = new byte[8 * 1024];
        for (var i = 0; i < 40; i++)
        {
            random.NextBytes(buffer);
            var file = Path.Combine(path, "pkg", $"part{i:D2}.bin");
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllBytes(file, buffer);
        }
        File.WriteAllText(Path.Combine(path, "hubconf.py"), $"dependencies = []\n\ndef model_{seed}():\n    \"\"\"Model {seed}.\"\"\"\n    return {seed}\n");
        repo.Commit("bench");
        return repo;
    }

    // torch.hub's own fetching of the same items: each repository at its locked commit (as the lock
    // pins it), then each file with download_url_to_file, in one process (import time excluded).
    private static double TorchFetch(string hub, string web, HubLockFile locked, List<string> urls)
    {
        var repos = string.Join(", ", locked.Repositories.Select(r => $"'{r.Spec.Split(':')[0]}:{r.Commit}'"));
        var files = string.Join(", ", urls.Select(u => $"'{u}'"));
        var script = $$"""
            import os, time, torch.hub as h
            h.set_dir('{{hub}}')
            h._git_archive_link = lambda o, r, b: '{{web}}' + o + "/" + r + "/zipball/" + b
            os.makedirs('{{hub}}/checkpoints', exist_ok=True)
            t = time.perf_counter()
            for spec in [{{repos}}]:
                h._get_cache_or_reload(spec, force_reload=False, trust_repo=True, calling_fn="list", skip_validation=True)
            for url in [{{files}}]:
                h.download_url_to_file(url, '{{hub}}/checkpoints/' + url.rsplit('/', 1)[1], progress=False)
            print("RESULT", (time.perf_counter() - t) * 1000)
            """;
        if (RunPython(script, out var output) != 0) throw new InvalidOperationException("torch.hub fetch failed: " + output);
        return double.Parse(output.Split('\n').Last(l => l.StartsWith("RESULT ", StringComparison.Ordinal)).Split(' ')[1], CultureInfo.InvariantCulture);
    }

    /// <summary>A hosted PowerShell 7.6 with the built module imported (out/TorchHub).</summary>
    private sealed class Session : IDisposable
    {
        private readonly Runspace _runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());

        public Session()
        {
            _runspace.Open();
            Run($"Import-Module '{Path.Combine(FindRoot(), "out", "TorchHub", "TorchHub.psd1")}' -ErrorAction Stop");
        }

        public void SetMirrors(Hashtable mirrors) => _runspace.SessionStateProxy.SetVariable("mirrors", mirrors);

        public double Time(string script)
        {
            var watch = Stopwatch.StartNew();
            Run(script);
            return watch.Elapsed.TotalMilliseconds;
        }

        public void Run(string script)
        {
            using var ps = PowerShell.Create();
            ps.Runspace = _runspace;
            ps.AddScript(script);
            ps.Invoke();
            if (ps.HadErrors) throw new InvalidOperationException(string.Join("; ", ps.Streams.Error));
        }

        public void Dispose() => _runspace.Dispose();

    }
}
