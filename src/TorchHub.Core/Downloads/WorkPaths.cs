using System.IO;
using TorchHub.Cache;

namespace TorchHub.Downloads;

/// <summary>
/// Where a destination's working files live: a hidden <c>.torchhub</c> folder beside it (same
/// file system, so the final rename is atomic). torch.hub only ever opens the exact file name,
/// so nothing here disturbs it. Lock files stay (deleting a lock file another process has open
/// would let a third process lock a new file of the same name).
/// </summary>
internal sealed class WorkPaths
{
    public WorkPaths(string destination) : this(destination, CacheLayout.PrivateFolderBeside(destination)) { }

    /// <summary>Working files in <paramref name="workDirectory"/> (it must be on the destination's file system).</summary>
    public WorkPaths(string destination, string workDirectory)
    {
        Destination = destination;
        Directory = workDirectory;
        var name = Path.GetFileName(destination);
        Partial = Path.Combine(Directory, name + ".partial");
        State = Path.Combine(Directory, name + ".partial.json");
        Lock = Path.Combine(Directory, name + ".lock");
        Record = Path.Combine(Directory, name + ".json");
    }

    public string Destination { get; }

    /// <summary>The hidden working folder.</summary>
    public string Directory { get; }

    /// <summary>The data downloaded so far; renamed onto <see cref="Destination"/> when complete and verified.</summary>
    public string Partial { get; }

    /// <summary>JSON resume state for <see cref="Partial"/> (validator, length, completed chunks).</summary>
    public string State { get; }

    /// <summary>Cross-process lock (<see cref="Cache.FileLock"/>).</summary>
    public string Lock { get; }

    /// <summary>Where the file came from (the URL index entry): lets a second URL with the same name be refused.</summary>
    public string Record { get; }
}
