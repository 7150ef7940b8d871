using System;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using TorchHub.Repositories;
using TorchHub.Cache;

namespace TorchHub.Models.Python;

/// <summary>
/// Exports in the hub directory, so the second load of an entrypoint is a TorchScript read in any
/// session: <c>.torchhub/exports/&lt;key&gt;.pt</c> and its record <c>&lt;key&gt;.json</c>. The key
/// hashes the repository's commit (a content hash for local folders, whose files can change), the
/// entrypoint, its arguments, the example inputs, the torch version and the runner itself. The
/// export is written in a work folder beside the cache and renamed in; the record follows through
/// <see cref="AtomicFile"/>, last, so a record always has its file.
/// </summary>
internal sealed class ExportCache
{
    private static readonly JsonSerializerOptions RecordFormat = new()
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    public ExportCache(CacheLayout layout) => Folder = layout.ExportsFolder;

    public string Folder { get; }

    /// <summary>Where the Python probe answers are remembered.</summary>
    public string PythonProbes => Path.Combine(Folder, "pythons");

    public static string Key(HubRepository repository, string entrypoint, JsonNode arguments, string torchVersion, string runnerHash)
    {
        var identity = new JsonObject
        {
            ["repository"] = RepositoryIdentity(repository),
            ["entrypoint"] = entrypoint,
            ["arguments"] = arguments.DeepClone(),
            ["torch"] = torchVersion,
            ["runner"] = runnerHash,
        };
        return Hash(Encoding.UTF8.GetBytes(identity.ToJsonString()))[..32];
    }

    /// <summary>The commit for a GitHub folder that knows it; otherwise a hash of the folder's files.</summary>
    private static string RepositoryIdentity(HubRepository repository)
    {
        if (repository.Source != RepositorySource.Local && repository.Commit is { Length: > 0 } commit)
            return $"{repository.DisplayName}@{commit}";
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var root = Path.GetFullPath(repository.Directory);
        var files = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
            .Where(f => !f.Split('/').Any(part => part is ".git" or "__pycache__") && !f.EndsWith(".pyc", StringComparison.Ordinal))
            .OrderBy(f => f, StringComparer.Ordinal);
        foreach (var file in files)
        {
            var content = File.ReadAllBytes(Path.Combine(root, file));
            hash.AppendData(Encoding.UTF8.GetBytes($"{file}\0{content.Length}\0"));
            hash.AppendData(content);
        }
        return "content:" + Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant();
    }

    public static string Hash(byte[] data) => Convert.ToHexString(SHA256.HashData(data)).ToLowerInvariant();

    private string ModelFile(string key) => Path.Combine(Folder, key + ".pt");

    private string RecordFile(string key) => Path.Combine(Folder, key + ".json");

    /// <summary>The cached export, or null (a record without its file, or unreadable, counts as absent).</summary>
    public PythonExport? TryGet(string key)
    {
        try
        {
            var record = RecordFile(key);
            if (!File.Exists(record) || !File.Exists(ModelFile(key))) return null;
            var export = JsonSerializer.Deserialize<PythonExport>(File.ReadAllText(record), RecordFormat);
            return export is null ? null : export with { ModelPath = ModelFile(key), FromCache = true };
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>A fresh folder for one export run, inside the cache folder so the final moves are renames.</summary>
    public string NewWorkFolder()
    {
        var work = Path.Combine(Folder, ".work-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        return work;
    }

    /// <summary>Moves a finished export into the cache and writes its record.</summary>
    public PythonExport Commit(string exportedFile, PythonExport export)
    {
        var model = ModelFile(export.Key);
        File.Move(exportedFile, model, overwrite: true);
        AtomicFile.WriteAllText(RecordFile(export.Key), JsonSerializer.Serialize(export with { ModelPath = model, FromCache = false }, RecordFormat));
        return export with { ModelPath = model };
    }
}
