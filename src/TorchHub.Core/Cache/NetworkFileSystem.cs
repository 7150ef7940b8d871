using System;
using System.IO;
using System.Runtime.InteropServices;

namespace TorchHub.Cache;

/// <summary>
/// Whether a folder is on a file system whose kernel locks other machines may not see, so
/// <see cref="LockStrategy.Auto"/> locks it with lock files. Linux: the statfs magic number;
/// Windows: a UNC path or a network drive. Elsewhere nothing is detected (TORCHHUB_LOCK=file forces it).
/// </summary>
internal static class NetworkFileSystem
{
    // statfs f_type values (linux/magic.h and the file systems' own headers).
    internal const uint Nfs = 0x6969;
    internal const uint Smb = 0x517B;
    internal const uint Cifs = 0xFF534D42;
    internal const uint Smb2 = 0xFE534D42;
    internal const uint Fuse = 0x65735546;      // sshfs, s3fs, gcsfuse...: flock stays local unless the file system implements it
    internal const uint V9fs = 0x01021997;      // 9p: VM and WSL shares
    internal const uint Afs = 0x5346414F;
    internal const uint KAfs = 0x6B414653;
    internal const uint Coda = 0x73757245;
    internal const uint Ncp = 0x564C;
    internal const uint Lustre = 0x0BD00BD0;    // flock fails (ENOSYS) unless mounted with -o flock

    /// <summary>Whether a statfs f_type names a network (or FUSE) file system. Compared on 32 bits: f_type is a signed long.</summary>
    internal static bool IsNetworkType(long fileSystemType) => (uint)fileSystemType switch
    {
        Nfs or Smb or Cifs or Smb2 or Fuse or V9fs or Afs or KAfs or Coda or Ncp or Lustre => true,
        _ => false,
    };

    /// <summary>Whether <paramref name="folder"/> (or, while it does not exist yet, its nearest existing parent) is on a network file system.</summary>
    public static bool IsNetwork(string folder)
    {
        var existing = NearestExisting(Path.GetFullPath(folder));
        if (existing is null) return false;
        if (OperatingSystem.IsLinux()) return FileSystemType(existing) is { } type && IsNetworkType(type);
        if (OperatingSystem.IsWindows()) return IsRemoteWindowsPath(existing);
        return false;
    }

    /// <summary>The statfs f_type of <paramref name="path"/> (Linux), or null when statfs fails.</summary>
    internal static long? FileSystemType(string path)
    {
        // struct statfs begins with f_type (a long on every Linux ABI); 256 bytes cover the whole struct.
        var buffer = new byte[256];
        return StatFs(path, buffer) == 0 ? (IntPtr.Size == 8 ? BitConverter.ToInt64(buffer, 0) : BitConverter.ToInt32(buffer, 0)) : null;
    }

    private static bool IsRemoteWindowsPath(string path)
    {
        var root = Path.GetPathRoot(path) ?? "";
        if (root.StartsWith(@"\\?\UNC\", StringComparison.OrdinalIgnoreCase)) return true;
        if (root.StartsWith(@"\\?\", StringComparison.Ordinal) || root.StartsWith(@"\\.\", StringComparison.Ordinal)) return false;
        if (root.StartsWith(@"\\", StringComparison.Ordinal)) return true;
        try
        {
            return root.Length > 0 && new DriveInfo(root).DriveType == DriveType.Network;
        }
        catch (Exception ex) when (ex is ArgumentException or IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static string? NearestExisting(string path)
    {
        for (var p = path; !string.IsNullOrEmpty(p); p = Path.GetDirectoryName(p))
            if (Directory.Exists(p)) return p;
        return null;
    }

    [DllImport("libc", EntryPoint = "statfs", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int StatFs(string path, byte[] buffer);
}
