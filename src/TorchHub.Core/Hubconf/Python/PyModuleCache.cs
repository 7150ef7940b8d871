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
    private const int MaxEntries = 1024;

    private sealed record Entry(long Length, DateTime LastWrite, PyModule Module);

    private static readonly ConcurrentDictionary<string, Entry> Cache = new(StringComparer.Ordinal);

    public static PyModule Get(string path, string displayPath, CancellationToken cancel) => Get(path, displayPath, cancel, out _);

    /// <summary>The parsed module and the file stamp it was parsed from.</summary>
    public static PyModule Get(string path, string displayPath, CancellationToken cancel, out (long Length, DateTime LastWrite) stamp)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
            throw new HubException(HubErrorIds.HubconfNotFound, HubErrorCategory.ObjectNotFound, $"'{displayPath}' does not exist.", path);
        var length = info.Length;
        var lastWrite = info.LastWriteTimeUtc;
        stamp = (length, lastWrite);
        if (Cache.TryGetValue(path, out var hit) && hit.Length == length && hit.LastWrite == lastWrite)
            return hit.Module;

        var bytes = SourceFile.ReadAllBytes(path, displayPath);

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
