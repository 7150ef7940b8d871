using System;
using System.IO;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;

namespace TorchHub.Tests.Servers;

/// <summary>
/// A NuGet v3 feed on 127.0.0.1 over the fault-injecting <see cref="FileServer"/>: a service
/// index, the flat container (PackageBaseAddress/3.0.0) and, on request, a registration whose
/// catalog entries publish packageHash. It serves real .nupkg files from the machine's NuGet
/// cache or packages a test builds.
/// </summary>
public sealed class NuGetFeedStandIn : IAsyncDisposable
{
    private NuGetFeedStandIn(FileServer server, bool registration)
    {
        Server = server;
        var resources = new System.Collections.Generic.List<object>
        {
            new System.Collections.Generic.Dictionary<string, string> { ["@id"] = server.Url("flat/"), ["@type"] = "PackageBaseAddress/3.0.0" },
        };
        if (registration)
            resources.Add(new System.Collections.Generic.Dictionary<string, string> { ["@id"] = server.Url("registration/"), ["@type"] = "RegistrationsBaseUrl/3.6.0" });
        server.Add("v3/index.json", Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { version = "3.0.0", resources })), "application/json");
    }

    public FileServer Server { get; }

    public string Source => Server.Url("v3/index.json");

    public static async Task<NuGetFeedStandIn> StartAsync(bool registration = false) => new(await FileServer.StartAsync(), registration);

    /// <summary>The path of a package's .nupkg in the flat container.</summary>
    public static string PackagePath(string id, string version) =>
        $"flat/{id.ToLowerInvariant()}/{version}/{id.ToLowerInvariant()}.{version}.nupkg";

    public ServedFile AddPackage(string id, string version, byte[] nupkg) => Server.Add(PackagePath(id, version), nupkg);

    /// <summary>Publishes a packageHash for the package (registration leaf and catalog entry).</summary>
    public void PublishHash(string id, string version, string sha512)
    {
        var catalog = $"catalog/{id.ToLowerInvariant()}.{version}.json";
        Server.Add($"registration/{id.ToLowerInvariant()}/{version}.json",
            Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new Dictionary { ["catalogEntry"] = Server.Url(catalog) })), "application/json");
        Server.Add(catalog, Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new Dictionary { ["packageHash"] = sha512, ["packageHashAlgorithm"] = "SHA512" })), "application/json");
    }

    /// <summary>The .nupkg NuGet restored into the machine's package folder (a real package).</summary>
    public static byte[] CachedPackage(string id, string version) =>
        File.ReadAllBytes(Path.Combine(NuGetCache, id.ToLowerInvariant(), version, $"{id.ToLowerInvariant()}.{version}.nupkg"));

    public static string NuGetCache =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } env ? env
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    /// <summary>
    /// A small package laid out like libtorch-cpu-&lt;rid&gt; (nuspec, runtimes/&lt;rid&gt;/native with
    /// the library names TorchHub looks for), for tests that should not move 128 MB.
    /// </summary>
    public static byte[] LibTorchLike(string id, string version, string rid)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            void Add(string name, string text)
            {
                using var writer = new StreamWriter(zip.CreateEntry(name).Open());
                writer.Write(text);
            }
            Add($"{id}.nuspec", $"<?xml version=\"1.0\"?><package><metadata><id>{id}</id><version>{version}</version></metadata></package>");
            foreach (var name in new[] { "libc10.so", "libtorch.so", "libtorch_cpu.so" })
                Add($"runtimes/{rid}/native/{name}", $"stand-in for {name}");
        }
        return buffer.ToArray();
    }

    public static string Sha512(byte[] data) => Convert.ToBase64String(SHA512.HashData(data));

    public ValueTask DisposeAsync() => Server.DisposeAsync();

    private sealed class Dictionary : System.Collections.Generic.Dictionary<string, string>;
}
