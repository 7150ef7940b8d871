using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using TorchHub.Errors;
using TorchHub.Feedback;
using TorchHub.Repositories;

namespace TorchHub.Hubconf;

/// <summary>
/// What a repository folder's hubconf files publish, read by every reader whose file exists (in
/// the readers' order, Python first): torch.hub.list and torch.hub.help, and torch's
/// "Cannot find callable" error with close matches. Reader warnings go to the feedback.
/// </summary>
internal sealed class HubconfCatalog
{
    private readonly IReadOnlyList<IHubconfReader> _readers;
    private readonly IHubFeedback _feedback;

    public HubconfCatalog(IReadOnlyList<IHubconfReader> readers, IHubFeedback feedback)
    {
        _readers = readers;
        _feedback = feedback;
    }

    /// <summary>One listing per hubconf file the folder holds.</summary>
    public IReadOnlyList<HubconfListing> GetListings(HubRepository repository, CancellationToken cancellationToken)
    {
        var listings = new List<HubconfListing>();
        foreach (var reader in _readers)
        {
            if (!File.Exists(Path.Combine(repository.Directory, reader.FileName))) continue;
            var listing = reader.Read(repository, cancellationToken);
            foreach (var warning in listing.Warnings) _feedback.Warning(warning);
            listings.Add(listing);
        }
        if (listings.Count == 0)
        {
            var names = string.Join(" or ", _readers.Select(r => r.FileName));
            throw new HubException(HubErrorIds.HubconfNotFound, HubErrorCategory.ObjectNotFound,
                $"'{repository.DisplayName}' is not a hub repository: it has no {names}.", repository.Directory)
            {
                RecommendedAction = "Point -Path at the folder that holds hubconf.py (or hubconf.cs).",
            };
        }
        return listings;
    }

    /// <summary>The listings combined into one (the only one when there is one).</summary>
    public HubconfListing GetListing(HubRepository repository, CancellationToken cancellationToken)
    {
        var listings = GetListings(repository, cancellationToken);
        if (listings.Count == 1) return listings[0];
        return new HubconfListing
        {
            Language = listings[0].Language,
            Entrypoints = listings.SelectMany(l => l.Entrypoints).ToList(),
            Dependencies = listings.SelectMany(l => l.Dependencies).Distinct(StringComparer.Ordinal).ToList(),
            Warnings = listings.SelectMany(l => l.Warnings).ToList(),
            IncompleteReasons = listings.SelectMany(l => l.IncompleteReasons).ToList(),
            PossibleEntrypoints = listings.SelectMany(l => l.PossibleEntrypoints).ToList(),
            GetHelp = name => listings.Select(l => l.GetHelp(name)).FirstOrDefault(h => h is not null),
        };
    }

    /// <summary>The help of one entrypoint, from the listing of <paramref name="language"/> (null: the first that has the name).</summary>
    public HubHelp Help(HubRepository repository, string name, HubconfLanguage? language, CancellationToken cancellationToken)
    {
        var listings = GetListings(repository, cancellationToken);
        foreach (var listing in listings)
        {
            if (language is not null && listing.Language != language) continue;
            if (listing.GetHelp(name) is { } help) return help;
        }
        throw EntrypointNotFound(repository, name, listings.SelectMany(l => l.Entrypoints.Select(e => e.Name)), listings.SelectMany(l => l.IncompleteReasons));
    }

    /// <summary>
    /// torch's "Cannot find callable X in hubconf", with close matches suggested; when the listing
    /// is incomplete (<paramref name="incompleteReasons"/>), it says the name may exist at run time.
    /// </summary>
    public static HubException EntrypointNotFound(HubRepository repository, string name, IEnumerable<string> known, IEnumerable<string>? incompleteReasons = null)
    {
        var matches = CloseMatches(name, known.Distinct(StringComparer.Ordinal));
        var hint = matches.Count == 0 ? "" : $" Did you mean {string.Join(" or ", matches.Select(m => $"'{m}'"))}?";
        var reasons = incompleteReasons?.ToList() ?? [];
        if (reasons.Count > 0)
            hint += $" The listing is incomplete: this repository generates entrypoints at run time or binds names only running it can judge ({reasons[0]}{(reasons.Count > 1 ? $"; {reasons.Count - 1} more" : "")}), so '{name}' may still exist when torch.hub runs hubconf.py.";
        // torch.hub's own wording first, so people who know it recognise it.
        return new HubException(HubErrorIds.EntrypointNotFound, HubErrorCategory.ObjectNotFound,
            $"Cannot find callable {name} in hubconf ({repository.DisplayName}).{hint}", name)
        {
            RecommendedAction = reasons.Count > 0
                ? "Check the name in the repository's hubconf.py, or list it with torch.hub.list in Python. Listing at run time through TorchHub's sandboxed Python route is planned, not available yet."
                : null,
        };
    }

    /// <summary>Up to three known names close to <paramref name="name"/> (like difflib.get_close_matches, cutoff 0.6).</summary>
    internal static List<string> CloseMatches(string name, IEnumerable<string> known) =>
        known.Select(k => (k, score: Similarity(name.ToLowerInvariant(), k.ToLowerInvariant())))
             .Where(x => x.score >= 0.6)
             .OrderByDescending(x => x.score).ThenBy(x => x.k, StringComparer.Ordinal)
             .Take(3).Select(x => x.k).ToList();

    private static double Similarity(string a, string b)
    {
        if (a.Length == 0 && b.Length == 0) return 1;
        var d = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) d[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            var previous = d[0];
            d[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var temp = d[j];
                d[j] = Math.Min(Math.Min(d[j] + 1, d[j - 1] + 1), previous + (a[i - 1] == b[j - 1] ? 0 : 1));
                previous = temp;
            }
        }
        return 1.0 - (double)d[b.Length] / Math.Max(a.Length, b.Length);
    }
}
