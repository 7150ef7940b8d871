using System;
using System.IO;
using System.Text.Json;
using TorchHub.Cache;
using TorchHub.Http;

namespace TorchHub.Downloads;

/// <summary>
/// The URL index entry of one saved file (<c>.torchhub/&lt;name&gt;.json</c> beside it): the
/// source URL and what was verified. torch.hub never reads it; it lets us refuse a second URL
/// that would silently share the same file name (torch.hub's stale-weights defect).
/// </summary>
internal sealed class FileRecord
{
    public string Url { get; set; } = "";
    public long Length { get; set; }
    public string? Sha256 { get; set; }
    public string? ETag { get; set; }
    public string? LastModified { get; set; }
    public DateTimeOffset SavedAt { get; set; }
    /// <summary>True when the file was found in place (saved by PyTorch or by hand) and only recorded.</summary>
    public bool Adopted { get; set; }

    /// <summary>
    /// URLs name the same file when scheme, host, port and path agree. The query is ignored:
    /// torch names the file from the path alone, and signed CDN URLs change their query on
    /// every request. Credentials in the URL are never stored (<see cref="SafeUrl"/>), nor compared.
    /// </summary>
    public static bool SameSource(string recorded, Uri uri) =>
        Uri.TryCreate(recorded, UriKind.Absolute, out var r)
        && string.Equals(SafeUrl.ResumeKey(r), SafeUrl.ResumeKey(uri), StringComparison.Ordinal);

    public static FileRecord? Load(string path)
    {
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize<FileRecord>(File.ReadAllText(path)) : null;
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public void Save(string path) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, new JsonSerializerOptions { WriteIndented = true }));
}
