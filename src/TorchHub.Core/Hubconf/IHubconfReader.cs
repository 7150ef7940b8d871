using System.Collections.Generic;
using System.Threading;
using TorchHub.Repositories;

namespace TorchHub.Hubconf;

/// <summary>
/// Reads a repository's hubconf (hubconf.py or hubconf.cs) statically: no code runs.
/// One implementation per language; the engine picks the one whose file the folder has.
/// </summary>
public interface IHubconfReader
{
    HubconfLanguage Language { get; }

    /// <summary>The hubconf file name this reader handles (<c>hubconf.py</c>, <c>hubconf.cs</c>).</summary>
    string FileName { get; }

    /// <summary>Reads the hubconf in <paramref name="repository"/>'s folder.</summary>
    HubconfListing Read(HubRepository repository, CancellationToken cancellationToken = default);
}

/// <summary>What a hubconf publishes: its entrypoints, their help, and its dependencies list.</summary>
public sealed class HubconfListing
{
    /// <summary>Which hubconf file this listing comes from.</summary>
    public HubconfLanguage Language { get; init; }

    /// <summary>The hubconf file's full path (empty for a listing combined from several files).</summary>
    public string File { get; init; } = "";

    public required IReadOnlyList<HubEntrypoint> Entrypoints { get; init; }

    /// <summary>The names in the module-level <c>dependencies</c> list (empty when absent).</summary>
    public IReadOnlyList<string> Dependencies { get; init; } = [];

    /// <summary>Warnings about the file as a whole (e.g. names created dynamically).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Help for one entrypoint by exact name, or null if it has none of that name.</summary>
    public required System.Func<string, HubHelp?> GetHelp { get; init; }
}
