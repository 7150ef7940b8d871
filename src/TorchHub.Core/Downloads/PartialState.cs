using System;
using System.IO;
using System.Text.Json;
using TorchHub.Cache;

namespace TorchHub.Downloads;

/// <summary>
/// The JSON sidecar of a <c>.partial</c> file, so an interrupted download (even a killed
/// process) resumes only when it is the same file on the server: same URL and the same
/// validator (strong ETag or Last-Modified), sent back as If-Range. <see cref="Url"/> is the
/// URL without credentials and query (<see cref="Http.SafeUrl.ResumeKey"/>), so a signed URL
/// whose signature changed still continues its partial; the validator decides.
/// A single stream resumes from the partial file's length (bytes are written in order);
/// parallel mode records completed chunks in <see cref="Chunks"/> ('1' = done).
/// </summary>
internal sealed class PartialState
{
    public string Url { get; set; } = "";
    public string? ETag { get; set; }
    public string? LastModified { get; set; }
    /// <summary>Total length when known.</summary>
    public long? Length { get; set; }
    /// <summary>0 for a single stream, otherwise the chunk size of parallel mode.</summary>
    public int ChunkSize { get; set; }
    public string? Chunks { get; set; }
    /// <summary>Parallel mode: where the chunks start (the bytes before were streamed in order before switching).</summary>
    public long Base { get; set; }

    /// <summary>The If-Range value: a strong ETag, else Last-Modified; null means resuming is unsafe.</summary>
    public string? Validator =>
        ETag is { } e && !e.StartsWith("W/", StringComparison.Ordinal) ? e : LastModified;

    public static PartialState? Load(string path, string url)
    {
        try
        {
            var state = JsonSerializer.Deserialize<PartialState>(File.ReadAllText(path));
            return state is not null && state.Url == url ? state : null;
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Writes atomically so a kill never leaves half a sidecar.</summary>
    public void Save(string path) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this));
}
