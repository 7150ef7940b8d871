using System;
using System.IO;
using System.Runtime.InteropServices;

namespace TorchHub.Cache;

/// <summary>What a path is, without following a symbolic link and without opening it (opening a FIFO blocks).</summary>
internal enum FileKindValue { Missing, Regular, Directory, SymbolicLink, Other }

/// <summary>
/// Tells a regular file from a FIFO, a device node, a socket or a symbolic link. .NET reports
/// all non-directories alike, so on Linux this asks the kernel (statx, whose layout is the same
/// on every architecture); elsewhere it can tell links, folders and files apart only.
/// </summary>
internal static class FileKind
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxType = 0x1;
    private const int ModeOffset = 28; // struct statx: u32 mask, u32 blksize, u64 attributes, u32 nlink, u32 uid, u32 gid, u16 mode

    public static FileKindValue Of(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is not null) return FileKindValue.SymbolicLink;
        if (Directory.Exists(path)) return FileKindValue.Directory;
        if (!info.Exists) return FileKindValue.Missing;
        if (!OperatingSystem.IsLinux()) return FileKindValue.Regular;
        var buffer = new byte[256];
        try
        {
            if (statx(AtFdCwd, path, AtSymlinkNoFollow, StatxType, buffer) != 0) return FileKindValue.Regular;
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
        {
            return FileKindValue.Regular;
        }
        var type = BitConverter.ToUInt16(buffer, ModeOffset) & 0xF000;
        return type switch
        {
            0x8000 => FileKindValue.Regular,
            0x4000 => FileKindValue.Directory,
            0xA000 => FileKindValue.SymbolicLink,
            _ => FileKindValue.Other, // FIFO, character or block device, socket
        };
    }

    [DllImport("libc", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int statx(int dirfd, string pathname, int flags, uint mask, byte[] statxbuf);
}
