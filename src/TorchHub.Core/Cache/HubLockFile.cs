using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading;
using TorchHub.Errors;
using TorchHub.Repositories;

namespace TorchHub.Cache;

/// <summary>One locked repository: the spec as fetched and the full commit it resolved to.</summary>
public sealed record LockedRepository(string Spec, string Commit);

/// <summary>One locked weight file: where it comes from, its name in <c>checkpoints/</c>, its SHA-256.</summary>
public sealed record LockedFile(string Url, string FileName, string Sha256);

/// <summary>
/// <c>torchhub.lock.json</c>: what a cache must hold, versioned and human-readable (docs/guides/fleets.md).
/// Entries are keyed by spec (repositories) and by file name (files): recording one again replaces it.
/// Saved through a temporary file and a rename under a lock beside it, so concurrent recorders merge.
/// </summary>
public sealed class HubLockFile
{
    public const int CurrentSchemaVersion = 1;

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public int SchemaVersion { get; set; } = CurrentSchemaVersion;

    public List<LockedRepository> Repositories { get; set; } = new();

    public List<LockedFile> Files { get; set; } = new();

    public static HubLockFile Load(string path)
    {
        HubLockFile? file;
        try
        {
            file = JsonSerializer.Deserialize<HubLockFile>(File.ReadAllText(path), Json);
        }
        catch (FileNotFoundException ex)
        {
            throw new HubException(HubErrorIds.InvalidLockFile, HubErrorCategory.ObjectNotFound, $"The lock file '{path}' does not exist.", path, ex);
        }
        catch (JsonException ex)
        {
            throw Invalid(path, $"it is not valid JSON ({ex.Message})");
        }
        if (file is null) throw Invalid(path, "it is empty");
        if (file.SchemaVersion != CurrentSchemaVersion)
            throw Invalid(path, $"its schemaVersion is {file.SchemaVersion}; this TorchHub reads version {CurrentSchemaVersion}");
        foreach (var repo in file.Repositories ??= new())
        {
            if (repo?.Spec is null || !RepoSpec.TryParse(repo.Spec, out var spec) || spec!.Ref is null)
                throw Invalid(path, $"the repository '{repo?.Spec}' is not an owner/repo:ref spec");
            if (!IsHex(repo.Commit, 40)) throw Invalid(path, $"the commit of {repo.Spec} is not a full 40-character SHA");
        }
        foreach (var f in file.Files ??= new())
        {
            if (f?.Url is null || !Uri.TryCreate(f.Url, UriKind.Absolute, out _)) throw Invalid(path, $"the file URL '{f?.Url}' is not an absolute URL");
            if (string.IsNullOrEmpty(f.FileName) || f.FileName != Path.GetFileName(f.FileName)) throw Invalid(path, $"the file name '{f.FileName}' is not a plain file name");
            if (!IsHex(f.Sha256, 64)) throw Invalid(path, $"the sha256 of {f.FileName} is not 64 hexadecimal characters");
        }
        return file;
    }

    /// <summary>
    /// Adds or replaces entries in the lock file at <paramref name="path"/> (created when missing),
    /// holding the cross-process lock the way <paramref name="locks"/> says (null: chosen by file system).
    /// </summary>
    public static void Record(string path, IEnumerable<LockedRepository> repositories, IEnumerable<LockedFile> files,
        LockOptions? locks = null, CancellationToken cancellationToken = default)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        using var held = FileLock.AcquireAsync(full + ".lock", null, cancellationToken, locks).GetAwaiter().GetResult();
        var file = File.Exists(full) ? Load(full) : new HubLockFile();
        foreach (var repo in repositories)
        {
            file.Repositories.RemoveAll(r => r.Spec == repo.Spec);
            file.Repositories.Add(repo);
        }
        foreach (var f in files)
        {
            file.Files.RemoveAll(x => x.FileName == f.FileName);
            file.Files.Add(f);
        }
        file.Repositories.Sort((a, b) => string.CompareOrdinal(a.Spec, b.Spec));
        file.Files.Sort((a, b) => string.CompareOrdinal(a.FileName, b.FileName));
        AtomicFile.WriteAllText(full, JsonSerializer.Serialize(file, Json) + "\n");
    }

    private static bool IsHex(string? text, int length) =>
        text is not null && text.Length == length && text.AsSpan().IndexOfAnyExcept("0123456789abcdef") < 0;

    private static HubException Invalid(string path, string why) =>
        new(HubErrorIds.InvalidLockFile, HubErrorCategory.InvalidData, $"The lock file '{path}' cannot be used: {why}.", path)
        { RecommendedAction = "Fix or regenerate it (Save-HubRepository/Save-HubFile -LockFile, or Get-HubCache | Export-HubLockFile)." };
}
