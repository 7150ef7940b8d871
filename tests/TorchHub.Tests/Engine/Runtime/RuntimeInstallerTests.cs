using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading.Tasks;
using TorchHub.Http;
using TorchHub.Errors;
using TorchHub.Runtime;
using TorchHub.Tests.Hosting;
using TorchHub.Tests.Servers;
using Xunit;

namespace TorchHub.Tests.Engine.Runtime;

/// <summary>
/// Install-HubRuntime's engine against a NuGet feed stand-in on 127.0.0.1 serving the real
/// TorchSharp 0.107.0 package from the machine's NuGet cache and a libtorch-shaped small package,
/// and the faults a user meets: feed down, 404, truncated, other bytes, unwritable folder, offline.
/// </summary>
public sealed class RuntimeInstallerTests : IAsyncLifetime, IDisposable
{
    private const string Rid = "linux-x64";
    private readonly TempDirectory _temp = new("torchhub-runtime");
    private NuGetFeedStandIn _feed = null!;
    private RuntimePackage _torchSharp = null!;
    private RuntimePackage _libTorch = null!;
    private byte[] _libTorchBytes = null!;

    public async Task InitializeAsync()
    {
        _feed = await NuGetFeedStandIn.StartAsync();
        // The real package, checked against the real pinned hash.
        _torchSharp = RuntimePackages.For(RuntimePlatform.LinuxX64)[0];
        _feed.AddPackage("TorchSharp", RuntimePackages.TorchSharpVersion, NuGetFeedStandIn.CachedPackage("TorchSharp", RuntimePackages.TorchSharpVersion));
        _libTorchBytes = NuGetFeedStandIn.LibTorchLike("libtorch-cpu-linux-x64", "2.10.0", Rid);
        _libTorch = new RuntimePackage("libtorch-cpu-linux-x64", "2.10.0", NuGetFeedStandIn.Sha512(_libTorchBytes), $"runtimes/{Rid}/native");
        _feed.AddPackage(_libTorch.Id, _libTorch.Version, _libTorchBytes);
    }

    public async Task DisposeAsync() => await _feed.DisposeAsync();

    public void Dispose() => _temp.Dispose();

    private string Folder => _temp.Combine("runtime");

    private RuntimeInstallRequest Request(string? source = null, bool offline = false, bool force = false, string? path = null) => new()
    {
        Path = path ?? Folder,
        Source = source ?? _feed.Source,
        Offline = offline,
        Force = force,
        Platform = RuntimePlatform.LinuxX64,
        Packages = [_torchSharp, _libTorch],
    };

    private static Hub NewHub() => new(new HubOptions
    {
        Http = HttpOptions.FromEnvironment() with { RetryDelay = TimeSpan.FromMilliseconds(10), MaxRetries = 2, Timeout = TimeSpan.FromSeconds(2) },
    });

    private static async Task<HubException> Fails(Task task) => await Assert.ThrowsAsync<HubException>(() => task);

    /// <summary>Only the hidden working folder (no package folder, no .nupkg) is left in the runtime folder.</summary>
    private void AssertNothingInstalled()
    {
        var entries = Directory.Exists(Folder) ? Directory.GetFileSystemEntries(Folder).Select(Path.GetFileName).ToArray() : [];
        Assert.All(entries, e => Assert.Equal(".torchhub", e));
        if (Directory.Exists(Path.Combine(Folder, ".torchhub")))
            Assert.DoesNotContain(Directory.GetDirectories(Path.Combine(Folder, ".torchhub")), d => Path.GetFileName(d).StartsWith("staging-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Installs_TheRealTorchSharpPackage_AndLibTorch_LaidOutAsNuGetDoes_ThenSendsNoRequest()
    {
        var runtime = await NewHub().InstallRuntimeAsync(Request());

        Assert.True(runtime.Installed);
        Assert.Contains(runtime.Status, new[] { "Installed", "Loaded" }); // Loaded when another test in this process started TorchSharp
        Assert.True(File.Exists(Path.Combine(Folder, "torchsharp", "0.107.0", "runtimes", Rid, "native", "libLibTorchSharp.so")));
        Assert.True(File.Exists(Path.Combine(Folder, "libtorch-cpu-linux-x64", "2.10.0", "runtimes", Rid, "native", "libtorch_cpu.so")));
        // The unpacked native library is byte-identical to the one NuGet restored.
        Assert.Equal(File.ReadAllBytes(Path.Combine(NuGetFeedStandIn.NuGetCache, "torchsharp", "0.107.0", "runtimes", Rid, "native", "libLibTorchSharp.so")),
            File.ReadAllBytes(Path.Combine(Folder, "torchsharp", "0.107.0", "runtimes", Rid, "native", "libLibTorchSharp.so")));
        Assert.False(File.Exists(Path.Combine(Folder, "torchsharp.0.107.0.nupkg"))); // the download is not kept

        var requests = _feed.Server.Requests.Count;
        var again = await NewHub().InstallRuntimeAsync(Request());
        Assert.True(again.Installed);
        Assert.Equal(requests, _feed.Server.Requests.Count);
    }

    [Fact]
    public async Task AnInterruptedDownload_Resumes()
    {
        var served = _feed.Server.Requests;
        var file = _feed.AddPackage("TorchSharp", "0.107.0", NuGetFeedStandIn.CachedPackage("TorchSharp", "0.107.0"));
        file.CutAfter = 1 << 20;
        file.CutMode = CutMode.Reset;

        await NewHub().InstallRuntimeAsync(Request());

        Assert.True(new RuntimeFolder(Folder).IsInstalled(_torchSharp));
        Assert.Contains(served, r => r.Path.EndsWith("torchsharp.0.107.0.nupkg", StringComparison.Ordinal) && r.Range.StartsWith("bytes=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FeedDown_IsRuntimeFeedUnavailable()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // nothing listens there now

        var ex = await Fails(NewHub().InstallRuntimeAsync(Request(source: $"http://127.0.0.1:{port}/v3/index.json")));

        Assert.Equal(HubErrorIds.RuntimeFeedUnavailable, ex.ErrorId);
        Assert.Equal(HubErrorCategory.ConnectionError, ex.Category);
        Assert.Contains("-Source", ex.RecommendedAction);
        AssertNothingInstalled();
    }

    [Fact]
    public async Task NotAV3Feed_IsRuntimeFeedUnavailable()
    {
        _feed.Server.Add("plain.json", "{\"resources\": []}"u8.ToArray(), "application/json");
        var ex = await Fails(NewHub().InstallRuntimeAsync(Request(source: _feed.Server.Url("plain.json"))));
        Assert.Equal(HubErrorIds.RuntimeFeedUnavailable, ex.ErrorId);
        Assert.Contains("PackageBaseAddress", ex.Message);
    }

    [Fact]
    public async Task MissingPackage_IsRuntimePackageNotFound()
    {
        var missing = _libTorch with { Id = "libtorch-cpu-missing" };
        var request = Request() with { Packages = [missing] };

        var ex = await Fails(NewHub().InstallRuntimeAsync(request));

        Assert.Equal(HubErrorIds.RuntimePackageNotFound, ex.ErrorId);
        Assert.Equal(HubErrorCategory.ObjectNotFound, ex.Category);
        Assert.Contains("libtorch-cpu-missing 2.10.0", ex.Message);
        AssertNothingInstalled();
    }

    [Fact]
    public async Task TruncatedPackage_IsDownloadIncomplete_AndNothingIsInstalled()
    {
        var file = _feed.AddPackage(_libTorch.Id, _libTorch.Version, _libTorchBytes);
        file.CutAfter = 100;
        file.CutTimes = -1; // every answer stops after 100 bytes, and ranges are ignored: no retry gets further
        file.IgnoreRange = true;

        var ex = await Fails(NewHub().InstallRuntimeAsync(Request() with { Packages = [_libTorch] }));

        Assert.Equal(HubErrorIds.DownloadIncomplete, ex.ErrorId);
        AssertNothingInstalled();
    }

    [Fact]
    public async Task OtherBytes_AreRuntimePackageHashMismatch_AndNothingIsInstalled()
    {
        var other = NuGetFeedStandIn.LibTorchLike(_libTorch.Id, _libTorch.Version, "linux-x64-other");
        _feed.AddPackage(_libTorch.Id, _libTorch.Version, other);

        var ex = await Fails(NewHub().InstallRuntimeAsync(Request() with { Packages = [_libTorch] }));

        Assert.Equal(HubErrorIds.RuntimePackageHashMismatch, ex.ErrorId);
        Assert.Equal(HubErrorCategory.SecurityError, ex.Category);
        Assert.Contains(NuGetFeedStandIn.Sha512(other), ex.Message);
        Assert.False(File.Exists(Path.Combine(Folder, $"{_libTorch.LowerId}.{_libTorch.Version}.nupkg")));
        AssertNothingInstalled();
    }

    [Fact]
    public async Task AHashTheFeedPublishes_IsChecked_BeforeDownloading()
    {
        await using var feed = await NuGetFeedStandIn.StartAsync(registration: true);
        feed.AddPackage(_libTorch.Id, _libTorch.Version, _libTorchBytes);
        feed.PublishHash(_libTorch.Id, _libTorch.Version, NuGetFeedStandIn.Sha512([1, 2, 3]));

        var ex = await Fails(NewHub().InstallRuntimeAsync(Request(source: feed.Source) with { Packages = [_libTorch] }));

        Assert.Equal(HubErrorIds.RuntimePackageHashMismatch, ex.ErrorId);
        Assert.Contains("the feed publishes", ex.Message);
        Assert.Equal(0, feed.Server.RequestCount(NuGetFeedStandIn.PackagePath(_libTorch.Id, _libTorch.Version)));

        feed.PublishHash(_libTorch.Id, _libTorch.Version, _libTorch.Sha512); // the right one: installs
        Assert.True((await NewHub().InstallRuntimeAsync(Request(source: feed.Source) with { Packages = [_libTorch] })).Installed);
    }

    [Fact]
    public async Task AFolderThatCannotBeWritten_IsRuntimeFolderNotWritable()
    {
        // A regular file where a folder is needed: unwritable even for root, who ignores permission bits.
        var file = _temp.Write("not-a-folder", "x");

        var ex = await Fails(NewHub().InstallRuntimeAsync(Request(path: Path.Combine(file, "runtime"))));

        Assert.Equal(HubErrorIds.RuntimeFolderNotWritable, ex.ErrorId);
        Assert.Equal(HubErrorCategory.PermissionDenied, ex.Category);
        Assert.Contains("TORCHHUB_RUNTIME", ex.RecommendedAction);
        Assert.Empty(_feed.Server.Requests);
    }

    [Fact]
    public async Task Offline_SendsNoRequest_FailsWhenMissing_SucceedsWhenInstalled()
    {
        var ex = await Fails(NewHub().InstallRuntimeAsync(Request(offline: true)));
        Assert.Equal(HubErrorIds.OfflineCacheMiss, ex.ErrorId);
        Assert.Empty(_feed.Server.Requests);

        await NewHub().InstallRuntimeAsync(Request());
        var requests = _feed.Server.Requests.Count;
        Assert.True((await NewHub().InstallRuntimeAsync(Request(offline: true))).Installed);
        Assert.Equal(requests, _feed.Server.Requests.Count);
    }

    [Fact]
    public async Task Force_InstallsAgain_AndPlanNamesWhatWouldBeDownloaded()
    {
        Assert.Equal(2, Hub.PlanRuntimeInstall(Request(), out _).Count);
        await NewHub().InstallRuntimeAsync(Request());
        Assert.Empty(Hub.PlanRuntimeInstall(Request(), out _));
        Assert.Equal(2, Hub.PlanRuntimeInstall(Request(force: true), out _).Count);

        var before = _feed.Server.RequestCount(NuGetFeedStandIn.PackagePath(_libTorch.Id, _libTorch.Version));
        Assert.True((await NewHub().InstallRuntimeAsync(Request(force: true))).Installed);
        Assert.Equal(before + 1, _feed.Server.RequestCount(NuGetFeedStandIn.PackagePath(_libTorch.Id, _libTorch.Version)));
    }

    [Fact]
    public void Platforms_SelectTheirPackages_AsTorchSharpCpuDependsOnThem()
    {
        Assert.Same(RuntimePlatform.LinuxX64, RuntimePlatform.For(OSPlatform.Linux, Architecture.X64));
        Assert.Same(RuntimePlatform.WindowsX64, RuntimePlatform.For(OSPlatform.Windows, Architecture.X64));
        Assert.Same(RuntimePlatform.MacOSArm64, RuntimePlatform.For(OSPlatform.OSX, Architecture.Arm64));
        Assert.Equal("torch_cpu.dll", RuntimePlatform.WindowsX64.LibTorchLibrary);
        Assert.Equal("libLibTorchSharp.dylib", RuntimePlatform.MacOSArm64.TorchSharpLibrary);

        foreach (var platform in new[] { RuntimePlatform.LinuxX64, RuntimePlatform.WindowsX64, RuntimePlatform.MacOSArm64 })
        {
            var packages = RuntimePackages.For(platform);
            Assert.Equal(["TorchSharp", $"libtorch-cpu-{platform.Rid}"], packages.Select(p => p.Id));
            Assert.All(packages, p => Assert.Equal($"runtimes/{platform.Rid}/native", p.NativeFolder));
            // The pinned hashes are the ones NuGet recorded when it restored TorchSharp-cpu 0.107.0 here.
            foreach (var package in packages)
            {
                var recorded = Path.Combine(NuGetFeedStandIn.NuGetCache, package.LowerId, package.Version, $"{package.LowerId}.{package.Version}.nupkg.sha512");
                if (File.Exists(recorded)) Assert.Equal(File.ReadAllText(recorded).Trim(), package.Sha512);
            }
        }
        // TorchSharp-cpu's own nuspec names exactly these versions.
        var nuspec = File.ReadAllText(Path.Combine(NuGetFeedStandIn.NuGetCache, "torchsharp-cpu", RuntimePackages.TorchSharpVersion, "torchsharp-cpu.nuspec"));
        Assert.Contains($"<dependency id=\"libtorch-cpu\" version=\"{RuntimePackages.LibTorchVersion}\"", nuspec);
        Assert.Contains($"<dependency id=\"TorchSharp\" version=\"{RuntimePackages.TorchSharpVersion}\"", nuspec);
    }

    [Theory]
    [InlineData("Linux", Architecture.Arm64)]
    [InlineData("Windows", Architecture.Arm64)]
    [InlineData("OSX", Architecture.X64)]
    [InlineData("FreeBSD", Architecture.X64)]
    public void UnsupportedPlatforms_AreRuntimeUnsupportedPlatform(string os, Architecture architecture)
    {
        var ex = Assert.Throws<HubException>(() => RuntimePlatform.For(OSPlatform.Create(os.ToUpperInvariant()), architecture));
        Assert.Equal(HubErrorIds.RuntimeUnsupportedPlatform, ex.ErrorId);
        Assert.Equal(HubErrorCategory.NotImplemented, ex.Category);
        Assert.Contains("linux-x64, win-x64 and osx-arm64", ex.Message);
    }
}
