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
/// with each line stripped. TorchHub appends under a lock file (<c>.torchhub/locks/trusted_list.lock</c>):
/// a FileStream in append mode writes at the end it saw when opened, so two writers at once would
/// overwrite each other's line.
/// </summary>
public sealed class TrustedList
{
    public TrustedList(string path) => Path = path;

    public string Path { get; }

    public IReadOnlyList<string> Read()
    {
        if (!File.Exists(Path)) return Array.Empty<string>();
        return File.ReadAllLines(Path).Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
    }

    public bool Contains(string trustKey) => Read().Contains(trustKey, StringComparer.Ordinal);

    /// <summary>Appends the key unless it is there already (checked again just before writing, for concurrent callers).</summary>
    public void Add(string trustKey)
    {
        var folder = System.IO.Path.GetDirectoryName(Path)!;
        Directory.CreateDirectory(folder);
        if (Contains(trustKey)) return;
        var lockFile = new CacheLayout(folder).LockFile(System.IO.Path.GetFileName(Path));
        using var held = FileLock.AcquireAsync(lockFile, null, CancellationToken.None).GetAwaiter().GetResult();
        if (Contains(trustKey)) return; // another writer added it while we waited
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
    }
}
