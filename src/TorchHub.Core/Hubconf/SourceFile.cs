using System;
using System.IO;
using System.Runtime.InteropServices;
using TorchHub.Errors;

namespace TorchHub.Hubconf;

/// <summary>
/// Reads the source files of a hub repository (hubconf.py and the modules it imports,
/// hubconf.cs and its sources) for the readers, refusing what could hang or exhaust the
/// process: anything that is not a regular file after following links (a FIFO blocks the
/// open forever; <c>/dev/zero</c> never ends) and files over a size cap, which is also
/// enforced while reading, since a device or a growing file can report a length of 0.
/// </summary>
internal static class SourceFile
{
    /// <summary>The reader's cap for one source file; CPython would read a larger one, we keep memory bounded.</summary>
    public const long DefaultMaxBytes = 256L * 1024 * 1024;

    /// <summary>The file's bytes; <c>HubconfNotFound</c>, <c>HubconfNotAFile</c>, <c>HubconfTooLarge</c> or <c>HubconfReadError</c> otherwise.</summary>
    public static byte[] ReadAllBytes(string path, string displayPath, long maxBytes = DefaultMaxBytes)
    {
        switch (FileKind.Of(path))
        {
            case FileKind.Kind.Missing:
                throw new HubException(HubErrorIds.HubconfNotFound, HubErrorCategory.ObjectNotFound, $"'{displayPath}' does not exist.", path);
            case FileKind.Kind.Directory or FileKind.Kind.Other:
                throw new HubException(HubErrorIds.HubconfNotAFile, HubErrorCategory.InvalidData,
                    $"'{displayPath}' is not a regular file (a folder, FIFO, device or socket, or a link to one); the reader only reads regular files.", path)
                {
                    RecommendedAction = "Replace it with the source file it should be; a hub repository holds regular files only.",
                };
        }
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
            var length = stream.CanSeek ? stream.Length : 0;
            if (length > maxBytes) throw TooLarge(path, displayPath, length, maxBytes);
            var buffer = new byte[length > 0 ? length : 4096];
            var filled = 0;
            Span<byte> probe = stackalloc byte[1];
            while (true)
            {
                if (filled == buffer.Length)
                {
                    // Full: the end, or a file longer than it said (a device, a file still growing).
                    if (stream.Read(probe) == 0) return buffer;
                    if (filled + 1L > maxBytes) throw TooLarge(path, displayPath, filled + 1L, maxBytes);
                    Array.Resize(ref buffer, (int)Math.Min(Math.Max(buffer.Length * 2L, filled + 1L), Math.Min(maxBytes, Array.MaxLength)));
                    buffer[filled++] = probe[0];
                }
                var read = stream.Read(buffer, filled, buffer.Length - filled);
                if (read == 0) return buffer[..filled];
                filled += read;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new HubException(HubErrorIds.HubconfReadError, HubErrorCategory.ReadError, $"Cannot read '{displayPath}': {ex.Message}", path, ex);
        }
    }

    /// <summary>The file as text, the way File.ReadAllText decodes it (a byte-order mark, else UTF-8).</summary>
    public static string ReadAllText(string path, string displayPath, long maxBytes = DefaultMaxBytes)
    {
        using var reader = new StreamReader(new MemoryStream(ReadAllBytes(path, displayPath, maxBytes)), System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }

    private static HubException TooLarge(string path, string displayPath, long bytes, long maxBytes) =>
        new(HubErrorIds.HubconfTooLarge, HubErrorCategory.LimitsExceeded,
            $"'{displayPath}' is larger than {maxBytes / (1024 * 1024)} MB (at least {bytes / (1024 * 1024)} MB read); the reader reads source files up to that size.", path)
        {
            RecommendedAction = "A hubconf file and the modules it imports are source code; check what this file really is.",
        };
}

/// <summary>What a path names after following links: a regular file, a folder, something else, or nothing.</summary>
internal static class FileKind
{
    public enum Kind { Missing, Regular, Directory, Other }

    public static Kind Of(string path)
    {
        if (OperatingSystem.IsLinux() && LinuxStatx(path) is { } kind) return kind;
        // Windows has no FIFOs or devices in the file namespace a path can name here; other Unix
        // systems fall back to the attributes (the size cap still stops a device that never ends).
        try
        {
            var attributes = File.GetAttributes(path);
            if ((attributes & FileAttributes.Directory) != 0) return Kind.Directory;
            return (attributes & FileAttributes.Device) != 0 ? Kind.Other : Kind.Regular;
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return Kind.Missing;
        }
    }

    // statx(2): the one stat call whose buffer layout is the same on every Linux architecture.
    private const int AtFdCwd = -100;
    private const uint StatxType = 0x1;
    private const int StatxModeOffset = 28;
    private const int TypeMask = 0xF000, Regular = 0x8000, Directory = 0x4000;

    private static Kind? LinuxStatx(string path)
    {
        Span<byte> buffer = stackalloc byte[256];
        try
        {
            if (statx(AtFdCwd, path, 0, StatxType, ref MemoryMarshal.GetReference(buffer)) != 0)
                return Marshal.GetLastPInvokeError() is 2 or 20 ? Kind.Missing : null; // ENOENT, ENOTDIR
        }
        catch (EntryPointNotFoundException)
        {
            return null; // a C library without statx (glibc < 2.28): use the attributes
        }
        var mode = BitConverter.ToUInt16(buffer[StatxModeOffset..]) & TypeMask;
        return mode switch { Regular => Kind.Regular, Directory => Kind.Directory, _ => Kind.Other };
    }

    [DllImport("libc", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int statx(int dirfd, string path, int flags, uint mask, ref byte buffer);
}
