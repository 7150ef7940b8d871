using System.IO;
using TorchHub.Errors;

namespace TorchHub.Repositories;

/// <summary>A repository folder on disk, ready to read: a local folder or a cache folder.</summary>
public sealed record HubRepository(string Directory, RepositorySource Source, RepoSpec? Spec = null)
{
    /// <summary>The ref the folder holds (GitHub only; the resolved default branch when none was named).</summary>
    public string? Ref => Spec?.Ref;

    /// <summary>How users name it: <c>owner/repo:ref</c>, or the folder for a local repository.</summary>
    public string DisplayName => Spec?.ToString() ?? Directory;

    /// <summary>The commit the folder holds, when known (from validation or the archive's top folder; GitHub gives a short SHA there).</summary>
    public string? Commit { get; init; }

    /// <summary>True when the folder was already cached and nothing was downloaded.</summary>
    public bool FromCache { get; init; }

    /// <summary>Opens a local folder as a repository (torch's <c>source='local'</c>): no trust, validation or network.</summary>
    public static HubRepository OpenLocal(string directory)
    {
        if (File.Exists(directory))
            throw new HubException(HubErrorIds.RepositoryPathNotDirectory, HubErrorCategory.InvalidArgument,
                $"'{directory}' is a file; a hub repository is a folder that holds hubconf.py or hubconf.cs.", directory);
        if (!System.IO.Directory.Exists(directory))
            throw new HubException(HubErrorIds.RepositoryPathNotFound, HubErrorCategory.ObjectNotFound,
                $"The repository folder '{directory}' does not exist.", directory);
        return new HubRepository(Path.GetFullPath(directory), RepositorySource.Local);
    }
}
