using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using TorchHub.Cache;

namespace TorchHub.Repositories.Trust;

/// <summary>
/// torch.hub's <c>trusted_list</c>: one <c>owner_repo</c> per line in the hub directory, read
/// with each line stripped. TorchHub's writers take one cross-process lock
/// (<c>.torchhub/locks/trusted_list.lock</c>) so an add and a remove never lose each other's
/// lines; an add is one append (as torch writes it, so torch's own unlocked appends interleave
/// safely), a remove rewrites the file through a temporary file and a rename, so a reader
/// (torch included) sees the old or the new list, never a half-written one.
/// </summary>
internal sealed class TrustedList
{
    public TrustedList(string path) => Path = path;

    /// <summary>The list of the given hub directory.</summary>
    public static TrustedList In(string hubDirectory) => new(new CacheLayout(hubDirectory).TrustedListFile);

    public string Path { get; }

    /// <summary>How the list's lock is held (the Hub's <see cref="HubOptions.Locks"/>); null: the defaults.</summary>
    internal LockOptions? Locks { get; init; }

    private string LockFile => new CacheLayout(System.IO.Path.GetDirectoryName(Path)!).LockFile("trusted_list");

    public IReadOnlyList<string> Read()
    {
        if (!File.Exists(Path)) return Array.Empty<string>();
        return File.ReadAllLines(Path).Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
    }

    public bool Contains(string trustKey) => Read().Contains(trustKey, StringComparer.Ordinal);

    /// <summary>Appends the key unless it is there already; false when it was.</summary>
    public bool Add(string trustKey, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        using var held = Lock(cancellationToken);
        if (Contains(trustKey)) return false;
        // torch writes "key\n" after the last line; add a newline first if the file lacks one.
        var prefix = "";
        if (File.Exists(Path) && new FileInfo(Path).Length > 0)
        {
            using var read = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            read.Seek(-1, SeekOrigin.End);
            if (read.ReadByte() != '\n') prefix = "\n";
        }
        using var stream = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
        var bytes = Encoding.UTF8.GetBytes(prefix + trustKey + "\n");
        stream.Write(bytes, 0, bytes.Length);
        return true;
    }

    /// <summary>Removes every line equal to the key (after stripping); false when there was none.</summary>
    public bool Remove(string trustKey, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(Path)) return false;
        using var held = Lock(cancellationToken);
        var lines = File.Exists(Path) ? File.ReadAllLines(Path) : Array.Empty<string>();
        var kept = lines.Where(l => !string.Equals(l.Trim(), trustKey, StringComparison.Ordinal)).ToList();
        if (kept.Count == lines.Length) return false;
        AtomicFile.WriteAllText(Path, string.Concat(kept.Select(l => l + "\n")));
        return true;
    }

    private IDisposable Lock(CancellationToken cancellationToken) =>
        FileLock.AcquireAsync(LockFile, null, cancellationToken, Locks).GetAwaiter().GetResult();
}
