using System.Collections.Generic;
using System.Threading;
using TorchHub.Repositories;

namespace TorchHub.Hubconf;

/// <summary>
/// Reads a repository's hubconf (hubconf.py or hubconf.cs) statically: no code runs.
/// One implementation per language; the engine picks the one whose file the folder has.
/// </summary>
internal interface IHubconfReader
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

    /// <summary>
    /// Whether <see cref="Entrypoints"/> is everything torch.hub.list could return. False when the
    /// hubconf makes names at run time (<c>globals()[n] = ...</c>, <c>setattr(sys.modules[...])</c>,
    /// <c>exec</c>, a star import from outside the repository) or binds names to objects whose
    /// callability only running the code can tell: then a name missing here may still exist.
    /// </summary>
    public bool IsComplete => IncompleteReasons.Count == 0;

    /// <summary>Why the listing is not complete (empty when it is).</summary>
    public IReadOnlyList<string> IncompleteReasons { get; init; } = [];

    /// <summary>Names the hubconf binds that torch.hub.list lists if they turn out callable at run time (not in <see cref="Entrypoints"/>).</summary>
    public IReadOnlyList<string> PossibleEntrypoints { get; init; } = [];

    /// <summary>Help for one entrypoint by exact name, or null if it has none of that name.</summary>
    public required System.Func<string, HubHelp?> GetHelp { get; init; }
}
