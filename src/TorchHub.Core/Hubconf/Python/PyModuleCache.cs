using System;
using System.Collections.Concurrent;
using System.IO;
using System.Threading;
using TorchHub.Errors;

namespace TorchHub.Hubconf.Python;

/// <summary>
/// Parsed modules, process-wide, keyed by full path and checked against the file's length and
/// last-write time on every use, so warm listings skip reading and tokenizing entirely.
/// </summary>
internal static class PyModuleCache
{
    /// <summary>Files larger than this are refused (CPython would read them; we keep memory bounded).</summary>
    public const long MaxFileBytes = 256L * 1024 * 1024;

    private const int MaxEntries = 1024;

    private sealed record Entry(long Length, DateTime LastWrite, PyModule Module);

    private static readonly ConcurrentDictionary<string, Entry> Cache = new(StringComparer.Ordinal);

    public static PyModule Get(string path, string displayPath, CancellationToken cancel)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
            throw new HubException(HubErrorIds.HubconfNotFound, HubErrorCategory.ObjectNotFound, $"'{displayPath}' does not exist.", path);
        var length = info.Length;
        var lastWrite = info.LastWriteTimeUtc;
        if (Cache.TryGetValue(path, out var hit) && hit.Length == length && hit.LastWrite == lastWrite)
            return hit.Module;

        if (length > MaxFileBytes)
            throw new HubException(HubErrorIds.HubconfTooLarge, HubErrorCategory.LimitsExceeded,
                $"'{displayPath}' is {length / (1024 * 1024)} MB; the Python reader reads files up to {MaxFileBytes / (1024 * 1024)} MB.", path);

        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new HubException(HubErrorIds.HubconfReadError, HubErrorCategory.ReadError, $"Cannot read '{displayPath}': {ex.Message}", path, ex);
        }

        string source;
        try
        {
            source = PySourceDecoder.Decode(bytes);
        }
        catch (PySyntaxException ex)
        {
            throw new HubException(HubErrorIds.HubconfEncodingError, HubErrorCategory.InvalidData,
                $"'{displayPath}', line {ex.Line}: {ex.Message}", path, ex);
        }

        PyModule module;
        try
        {
            module = PyModuleParser.Parse(source, path, cancel);
        }
        catch (PySyntaxException ex)
        {
            throw new HubException(HubErrorIds.HubconfParseError, HubErrorCategory.ParserError,
                $"'{displayPath}', line {ex.Line}: {ex.Message} (Python would raise SyntaxError importing it).", path, ex);
        }

        if (Cache.Count >= MaxEntries) Cache.Clear();
        Cache[path] = new Entry(length, lastWrite, module);
        return module;
    }

    internal static void Clear() => Cache.Clear();
}
