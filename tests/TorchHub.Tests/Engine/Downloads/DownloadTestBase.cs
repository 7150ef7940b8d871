using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using TorchHub.Cache;
using TorchHub.Downloads;
using TorchHub.Errors;
using TorchHub.Http;
using TorchHub.Tests.Hosting;
using TorchHub.Tests.Servers;
using Xunit;

namespace TorchHub.Tests.Engine.Downloads;

/// <summary>A hub directory plus a fault-injecting file server; downloads retry fast.</summary>
public abstract class DownloadTestBase : HubTestBase, IAsyncLifetime
{
    protected FileServer Server { get; private set; } = null!;

    protected static DownloadOptions FastOptions => new();

    /// <summary>Fast retries and a short timeout so fault tests take milliseconds (token and offline still from the environment).</summary>
    protected static HttpOptions FastHttp => HttpOptions.FromEnvironment() with
    {
        RetryDelay = TimeSpan.FromMilliseconds(10),
        Timeout = TimeSpan.FromSeconds(2),
        MaxRetries = 4,
    };

    protected static DownloadOptions ParallelOptions => FastOptions with { Parts = 4, ParallelThreshold = 1, ChunkSize = 64 * 1024 };

    public async Task InitializeAsync() => Server = await FileServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();

    protected string Checkpoints => Path.Combine(HubDir, "checkpoints");

    protected Hub NewHub(DownloadOptions? options = null, HttpOptions? http = null) =>
        new(new HubOptions { Downloads = options ?? FastOptions, Http = http ?? FastHttp });

    protected Task<HubFile> Save(string uri, DownloadOptions? options = null, string? destination = null, string? hashPrefix = null,
        bool checkHash = false, string? fileName = null, bool force = false, CancellationToken cancellationToken = default, HttpOptions? http = null) =>
        NewHub(options, http).SaveFileAsync(new SaveFileRequest(uri)
        {
            Destination = destination,
            HashPrefix = hashPrefix,
            CheckHash = checkHash,
            FileName = fileName,
            Force = force,
        }, cancellationToken);

    protected static async Task<HubException> Fails(Task task)
    {
        var ex = await Assert.ThrowsAsync<HubException>(() => task);
        return ex;
    }

    /// <summary>Nothing but the hidden working folder (and what is listed) in <paramref name="folder"/>.</summary>
    protected static void AssertOnlyFiles(string folder, params string[] names)
    {
        var present = Directory.Exists(folder)
            ? Directory.GetFileSystemEntries(folder).Select(Path.GetFileName).Where(n => n != CacheLayout.PrivateFolderName).OrderBy(n => n).ToArray()
            : Array.Empty<string>();
        Assert.Equal(names.OrderBy(n => n).ToArray(), present);
    }
}
