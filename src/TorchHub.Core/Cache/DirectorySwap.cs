using System;
using System.IO;
using System.Runtime.InteropServices;

namespace TorchHub.Cache;

/// <summary>
/// Puts a freshly extracted folder in place of the cache folder so readers see the old
/// folder or the new one, never a half-written one. On Linux an existing folder is exchanged
/// with the new one in one step (renameat2 with RENAME_EXCHANGE; .NET has no API for it, hence
/// the P/Invoke); elsewhere, or on file systems without it, the old folder is renamed aside and
/// the new one renamed in (two renames, a gap of microseconds in which the folder is absent
/// but never partial).
/// </summary>
internal static class DirectorySwap
{
    private const int AtFdCwd = -100;
    private const uint RenameExchange = 2;

    /// <summary>Moves <paramref name="source"/> to <paramref name="target"/>; the old target ends up at <paramref name="aside"/> (caller deletes it).</summary>
    /// <returns>True when an old folder was replaced.</returns>
    public static bool Replace(string source, string target, string aside)
    {
        if (!Directory.Exists(target))
        {
            Directory.Move(source, target);
            return false;
        }

        if (OperatingSystem.IsLinux() && TryExchange(source, target))
        {
            Directory.Move(source, aside); // 'source' now holds the old folder
            return true;
        }

        Directory.Move(target, aside);
        try
        {
            Directory.Move(source, target);
        }
        catch
        {
            Directory.Move(aside, target); // put the old folder back
            throw;
        }
        return true;
    }

    private static bool TryExchange(string a, string b)
    {
        try
        {
            return renameat2(AtFdCwd, a, AtFdCwd, b, RenameExchange) == 0;
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
        {
            return false;
        }
    }

    [DllImport("libc", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int renameat2(int olddirfd, string oldpath, int newdirfd, string newpath, uint flags);
}
