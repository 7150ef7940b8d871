using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace TorchHub.Repositories.Trust;

/// <summary>
/// torch.hub's <c>trusted_list</c>: one <c>owner_repo</c> per line in the hub directory, read
/// with each line stripped. Appends are single writes in append mode so two processes adding
/// repositories at once do not lose each other's lines.
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
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        if (Contains(trustKey)) return;
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
