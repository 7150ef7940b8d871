using System.Collections.Generic;

namespace TorchHub.Runtime;

/// <summary>
/// One NuGet package of the native runtime: its id and version, the SHA-512 (base64, over the
/// .nupkg as nuget.org serves it) it must have, and the folder inside it that holds this
/// platform's native libraries.
/// </summary>
public sealed record RuntimePackage(string Id, string Version, string Sha512, string NativeFolder)
{
    /// <summary>Lower-case id, as NuGet's flat container and global packages folder spell it.</summary>
    public string LowerId => Id.ToLowerInvariant();

    public override string ToString() => $"{Id} {Version}";
}

/// <summary>
/// The packages TorchSharp-cpu 0.107.0 (the TorchSharp this module is built against) depends on:
/// TorchSharp 0.107.0 (managed API plus libLibTorchSharp for every platform) and libtorch-cpu
/// 2.10.0, which itself only depends on one libtorch-cpu-&lt;rid&gt; package per platform. Pinned
/// with the SHA-512 NuGet recorded when it restored them (<c>*.nupkg.sha512</c>), so a feed,
/// mirror or proxy serving other bytes is refused.
/// </summary>
internal static class RuntimePackages
{
    public const string TorchSharpVersion = "0.107.0";
    public const string LibTorchVersion = "2.10.0";

    private static readonly Dictionary<string, string> LibTorchSha512 = new()
    {
        ["linux-x64"] = "XjuaFwqqvwstyeUWyz/xtfhODesmagoPKO7T0VRmiW+r0pJwsXB/vHydA7it9xge36PSXW1qLyRRzvM3J8i9UA==",
        ["win-x64"] = "qvrEe8b8U1SPnsqShWgJ9gE/UfzFiq+QRPJdAegxwtEBgL/jZPQPvKAhqYkpEe5kb6AXCi840KDqvDaHQuAqEA==",
        ["osx-arm64"] = "njbW4NbjnO3UYsZymJA5EA8kvFQZveW2rVS07QinYOxxgs6hyZFTI82zBDt0ix1yRRCZ+v+fm+pHXG37WKjyhA==",
    };

    private const string TorchSharpSha512 = "fPXVTF5bUGX7lQqSafcP2W9n3ehuFNKCch7JYghGnEDdDyjOMxtuk0/JJWNiwI82Cw4Lmx3HN7MCoSFFRZeWig==";

    /// <summary>The packages for <paramref name="platform"/>, TorchSharp's first.</summary>
    public static IReadOnlyList<RuntimePackage> For(RuntimePlatform platform) =>
    [
        new("TorchSharp", TorchSharpVersion, TorchSharpSha512, $"runtimes/{platform.Rid}/native"),
        new($"libtorch-cpu-{platform.Rid}", LibTorchVersion, LibTorchSha512[platform.Rid], $"runtimes/{platform.Rid}/native"),
    ];
}
