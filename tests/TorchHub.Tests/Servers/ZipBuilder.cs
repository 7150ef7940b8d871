using System.IO;
using System.IO.Compression;
using System.Text;

namespace TorchHub.Tests.Servers;

/// <summary>Builds zip files entry by entry, including the malicious kinds real tools refuse to make.</summary>
public sealed class ZipBuilder
{
    private readonly MemoryStream _stream = new();
    private readonly ZipArchive _zip;

    public ZipBuilder() => _zip = new ZipArchive(_stream, ZipArchiveMode.Create, leaveOpen: true);

    /// <param name="unixMode">Unix mode (file type and permissions) for the external attributes, e.g. 0xA1FF for a symlink.</param>
    public ZipBuilder Add(string name, string content, int? unixMode = null)
    {
        var entry = _zip.CreateEntry(name);
        if (unixMode is { } mode) entry.ExternalAttributes = mode << 16;
        using var writer = new StreamWriter(entry.Open(), Encoding.UTF8);
        writer.Write(content);
        return this;
    }

    public byte[] ToArray()
    {
        _zip.Dispose();
        return _stream.ToArray();
    }

    public string Save(string path)
    {
        File.WriteAllBytes(path, ToArray());
        return path;
    }
}
