using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using TorchHub.Repositories;
using TorchHub.Repositories.Trust;

namespace TorchHub.Cache;

/// <summary>
/// The repository specs TorchHub has fetched into a hub directory, one <c>owner/repo:ref</c> per
/// line in <c>&lt;hub&gt;/.torchhub/repositories</c>. Cache folder names (<c>owner_repo_ref</c>)
/// cannot be split back into a spec (owners, names and refs may all hold '_', and '/' in a ref
/// became '_'), so completion reads this record instead. The folder name starts with '.', so
/// torch.hub's legacy trust rule (which matches <c>owner_repo_ref</c> folders) never sees it.
/// <see cref="Hub.GetRepository"/> records every spec it resolves.
/// </summary>
internal static class RepositorySpecIndex
{
    public static string PathIn(string hubDirectory) => new CacheLayout(hubDirectory).SpecIndexFile;

    /// <summary>Adds a spec (with its ref) to the index of a hub directory; best effort, never throws for I/O.</summary>
    public static void Record(string hubDirectory, RepoSpec spec)
    {
        var line = spec.ToString();
        var path = PathIn(hubDirectory);
        try
        {
            if (Read(hubDirectory).Contains(line, StringComparer.Ordinal)) return;
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            // One short append per line: concurrent writers may at worst duplicate a line, which Read ignores.
            File.AppendAllText(path, line + "\n");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The index only helps tab completion; a read-only cache must not fail a fetch.
        }
    }

    /// <summary>The recorded specs that still parse, without duplicates, in the order recorded.</summary>
    public static IReadOnlyList<string> Read(string hubDirectory)
    {
        var path = PathIn(hubDirectory);
        try
        {
            if (!File.Exists(path)) return [];
            return File.ReadAllLines(path)
                .Select(l => l.Trim())
                .Where(l => RepoSpec.TryParse(l, out _))
                .Distinct(StringComparer.Ordinal)
                .ToList();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>
    /// <c>owner/repo</c> specs from <c>trusted_list</c> (lines <c>owner_repo</c>). Split at the first
    /// '_': GitHub owner names have none (except managed-user suffixes, which this gets wrong).
    /// </summary>
    public static IReadOnlyList<string> ReadTrusted(string hubDirectory)
    {
        try
        {
            var specs = new List<string>();
            foreach (var line in new TrustedList(new CacheLayout(hubDirectory).TrustedListFile).Read())
            {
                var cut = line.IndexOf('_');
                if (cut <= 0 || cut == line.Length - 1) continue;
                var spec = line[..cut] + "/" + line[(cut + 1)..];
                if (RepoSpec.TryParse(spec, out _) && !specs.Contains(spec, StringComparer.Ordinal)) specs.Add(spec);
            }
            return specs;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
