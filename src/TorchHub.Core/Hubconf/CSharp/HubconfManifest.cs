using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;

namespace TorchHub.Hubconf.CSharp;

/// <summary>
/// Written next to a cached assembly (<c>&lt;hash&gt;.txt</c>): what the warm path needs without
/// Roslyn: the <c>dependencies</c> to check, the classes that hold entrypoints (other public
/// static classes of the repository are helpers), and the extra references it was built against.
/// A tab-separated text file rather than JSON: the warm path must stay within a few
/// milliseconds, and a JSON serializer's first use in a process costs tens of them.
/// </summary>
internal sealed class HubconfManifest
{
    private const string Header = "torchhub-hubconf-manifest 1";

    public List<string> Dependencies { get; set; } = new();

    public List<string> EntrypointClasses { get; set; } = new();

    public List<ManifestReference> References { get; set; } = new();

    public List<string> Sources { get; set; } = new();

    public sealed record ManifestReference(string Name, string Path, Guid Mvid);

    public static HubconfManifest? TryRead(string path)
    {
        try
        {
            var lines = File.ReadAllLines(path);
            if (lines.Length == 0 || lines[0] != Header) return null;
            var manifest = new HubconfManifest();
            foreach (var line in lines[1..])
            {
                var f = line.Split('\t');
                switch (f[0])
                {
                    case "dependency": manifest.Dependencies.Add(f[1]); break;
                    case "class": manifest.EntrypointClasses.Add(f[1]); break;
                    case "source": manifest.Sources.Add(f[1]); break;
                    case "reference": manifest.References.Add(new ManifestReference(f[1], f[2], Guid.Parse(f[3]))); break;
                    default: return null;
                }
            }
            return manifest;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or IndexOutOfRangeException or FormatException)
        {
            return null; // unreadable: compile again and overwrite
        }
    }

    public string ToText()
    {
        var sb = new StringBuilder(Header).Append('\n');
        foreach (var d in Dependencies) sb.Append("dependency\t").Append(d).Append('\n');
        foreach (var c in EntrypointClasses) sb.Append("class\t").Append(c).Append('\n');
        foreach (var r in References) sb.Append("reference\t").Append(r.Name).Append('\t').Append(r.Path).Append('\t').Append(r.Mvid.ToString("D", CultureInfo.InvariantCulture)).Append('\n');
        foreach (var s in Sources) sb.Append("source\t").Append(s).Append('\n');
        return sb.ToString();
    }
}
