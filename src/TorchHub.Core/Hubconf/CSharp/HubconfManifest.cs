using System.Collections.Generic;
using System.IO;
using System.Text.Json;

namespace TorchHub.Hubconf.CSharp;

/// <summary>
/// Written next to a cached assembly (<c>&lt;hash&gt;.json</c>): what the warm path needs without
/// Roslyn: the <c>dependencies</c> to check, the classes that hold entrypoints (other public
/// static classes of the repository are helpers), and the extra references it was built against.
/// </summary>
internal sealed class HubconfManifest
{
    public const int CurrentFormat = 1;

    public int Format { get; set; } = CurrentFormat;

    public List<string> Dependencies { get; set; } = new();

    public List<string> EntrypointClasses { get; set; } = new();

    public List<ManifestReference> References { get; set; } = new();

    public List<string> Sources { get; set; } = new();

    public sealed class ManifestReference
    {
        public string Name { get; set; } = "";
        public string Path { get; set; } = "";
        public System.Guid Mvid { get; set; }
    }

    public static HubconfManifest? TryRead(string path)
    {
        try
        {
            var manifest = JsonSerializer.Deserialize<HubconfManifest>(File.ReadAllText(path));
            return manifest?.Format == CurrentFormat ? manifest : null;
        }
        catch (System.Exception ex) when (ex is IOException or JsonException or System.UnauthorizedAccessException)
        {
            return null; // unreadable: compile again and overwrite
        }
    }

    public string ToJson() => JsonSerializer.Serialize(this, new JsonSerializerOptions { WriteIndented = true });
}
