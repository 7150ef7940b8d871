using System.Collections.Generic;
using System.Linq;
using System.Threading;
using TorchHub.Errors;
using TorchHub.Hubconf;
using TorchHub.Repositories;

namespace TorchHub;

public sealed partial class Hub
{
    /// <summary>torch.hub.list: the names of the repository's entrypoints (every hubconf file it has).</summary>
    public IReadOnlyList<string> List(HubRepository repository, CancellationToken cancellationToken = default) =>
        GetListing(repository, cancellationToken).Entrypoints.Select(e => e.Name).ToList();

    /// <summary>
    /// torch.hub.help: the help of one entrypoint (its docstring, signature and notes).
    /// <c>language</c> picks the hubconf to look in when the folder has several (null: the first that has the name).
    /// </summary>
    public HubHelp Help(HubRepository repository, string name, HubconfLanguage? language = null, CancellationToken cancellationToken = default) =>
        Catalog.Help(repository, name, language, cancellationToken);

    /// <summary>Everything the repository's hubconf files publish, combined (Python first).</summary>
    public HubconfListing GetListing(HubRepository repository, CancellationToken cancellationToken = default) =>
        Catalog.GetListing(repository, cancellationToken);

    /// <summary>One listing per hubconf file the folder holds, in <see cref="HubOptions.HubconfReaders"/> order.</summary>
    public IReadOnlyList<HubconfListing> GetListings(HubRepository repository, CancellationToken cancellationToken = default) =>
        Catalog.GetListings(repository, cancellationToken);

    /// <summary>
    /// torch's "Cannot find callable X in hubconf", with close matches suggested; when the listing
    /// is incomplete (<paramref name="incompleteReasons"/>), it says the name may exist at run time.
    /// </summary>
    public static HubException EntrypointNotFound(HubRepository repository, string name, IEnumerable<string> known, IEnumerable<string>? incompleteReasons = null) =>
        HubconfCatalog.EntrypointNotFound(repository, name, known, incompleteReasons);

    /// <summary>The hubconf readers of this Hub's options, reporting to its feedback.</summary>
    internal HubconfCatalog Catalog => new(Options.HubconfReaders, Feedback);
}
