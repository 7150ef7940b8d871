using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using TorchHub.Hubconf;
using TorchHub.PowerShell.Completers;
using TorchHub.PowerShell.Infrastructure;

namespace TorchHub.PowerShell.Commands;

/// <summary>
/// torch.hub.list, with detail: the public callables a hub repository's hubconf publishes,
/// read statically (no repository code runs). <c>-AsListing</c> writes the whole listing per
/// hubconf file instead (entrypoints, the <c>dependencies</c> list, warnings).
/// </summary>
[Cmdlet(VerbsCommon.Get, "HubEntrypoint", DefaultParameterSetName = RepositorySet)]
[OutputType(typeof(HubEntrypoint))]
[OutputType(typeof(HubconfListing))]
public sealed class GetHubEntrypointCommand : RepositoryCmdlet
{
    /// <summary>Entrypoint names to return; wildcards allowed. Default: all.</summary>
    [Parameter(Position = 1)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(EntrypointNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    /// <summary>Write one HubconfListing per hubconf file (Entrypoints, Dependencies, Warnings) instead of entrypoints.</summary>
    [Parameter]
    public SwitchParameter AsListing { get; set; }

    protected override void ProcessRecord()
    {
        Invoke(() =>
        {
            var repository = ResolveRepository();
            var hub = CreateHub();
            var listings = hub.GetListings(repository, CancellationToken);
            if (AsListing)
            {
                foreach (var listing in listings) WriteObject(listing);
                return;
            }

            // Each entrypoint says how it loads in .NET here (statically: nothing downloads or runs).
            var entries = hub.DescribeRoutes(repository, listings.SelectMany(l => l.Entrypoints));
            // Say it once per repository even when warnings are silenced elsewhere: an empty or short
            // listing of an incomplete hubconf is not "no entrypoints".
            foreach (var listing in listings.Where(l => !l.IsComplete))
                WriteWarning($"The listing of {System.IO.Path.GetFileName(listing.File)} is incomplete ({listing.IncompleteReasons.Count} reason{(listing.IncompleteReasons.Count == 1 ? "" : "s")}; see -AsListing): entrypoints made at run time are not shown.");
            if (Name is null)
            {
                foreach (var entry in entries) WriteObject(entry);
                return;
            }
            var written = new HashSet<HubEntrypoint>();
            foreach (var name in Name)
            {
                var pattern = WildcardPattern.Get(name, WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant);
                var matched = false;
                foreach (var entry in entries.Where(e => pattern.IsMatch(e.Name)))
                {
                    matched = true;
                    if (written.Add(entry)) WriteObject(entry);
                }
                if (!matched && !WildcardPattern.ContainsWildcardCharacters(name))
                    WriteError(ToErrorRecord(Hub.EntrypointNotFound(repository, name, entries.Select(e => e.Name), listings.SelectMany(l => l.IncompleteReasons)))!);
            }
        }, terminating: true);
    }
}
