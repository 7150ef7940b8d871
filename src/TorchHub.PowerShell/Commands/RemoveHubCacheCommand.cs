using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using TorchHub.Cache;
using TorchHub.PowerShell.Infrastructure;
using TorchHub.Repositories;

namespace TorchHub.PowerShell.Commands;

/// <summary>
/// Removes repositories, weight files and compiled assemblies from the hub cache: by name, by
/// repository spec, by age, by last use, or down to a size budget (least recently used first).
/// Never removes an entry another process holds a lock on (it warns and goes on). Writes one
/// object per removed entry with the bytes it freed.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "HubCache", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = FilterSet)]
[OutputType(typeof(CacheRemoval))]
public sealed class RemoveHubCacheCommand : HubCmdlet
{
    private const string FilterSet = "Filter";
    private const string InputObjectSet = "InputObject";

    private readonly List<CacheEntry> _piped = new();

    /// <summary>Folder or file names (wildcards allowed), as Get-HubCache shows them in FileName.</summary>
    [Parameter(Position = 0, ParameterSetName = FilterSet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    /// <summary>The folders of this repository (owner/repo), or of one ref (owner/repo:ref).</summary>
    [Parameter(ParameterSetName = FilterSet)]
    [ValidateNotNullOrEmpty]
    public string? Repository { get; set; }

    /// <summary>Entries from Get-HubCache.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
    public CacheEntry[] InputObject { get; set; } = [];

    /// <summary>Only kinds of entries (default: all).</summary>
    [Parameter]
    public CacheEntryKind[]? Kind { get; set; }

    /// <summary>Entries written (downloaded, compiled) longer ago than this.</summary>
    [Parameter]
    public TimeSpan OlderThan { get; set; }

    /// <summary>Entries not used for this long.</summary>
    [Parameter]
    public TimeSpan UnusedFor { get; set; }

    /// <summary>Remove least recently used entries until the cache (the kinds in scope) takes at most this many bytes.</summary>
    [Parameter]
    [ValidateRange(0, long.MaxValue)]
    public long MaxSize { get; set; }

    protected override void ProcessRecord()
    {
        if (ParameterSetName == InputObjectSet) _piped.AddRange(InputObject);
    }

    // Piped entries are collected first: Get-HubCache | Remove-HubCache -MaxSize needs them all to choose LRU first.
    protected override void EndProcessing()
    {
        Invoke(() =>
        {
            var names = Name?.Select(n => WildcardPattern.Get(n, WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant)).ToList();
            var request = new CacheRemovalRequest
            {
                Kinds = Kind,
                NameMatches = names is null ? null : n => names.Any(p => p.IsMatch(n)),
                Repository = Repository is null ? null : RepoSpec.Parse(Repository),
                OlderThan = Bound(nameof(OlderThan)) ? OlderThan : null,
                UnusedFor = Bound(nameof(UnusedFor)) ? UnusedFor : null,
                MaxSize = Bound(nameof(MaxSize)) ? MaxSize : null,
                Entries = ParameterSetName == InputObjectSet ? _piped : null,
            };
            var results = CreateHub().RemoveCache(request, entry =>
                ShouldProcess($"{entry.FullName} ({ByteSize.Format(entry.Size)})", $"Remove {entry.Kind.ToString().ToLowerInvariant()} from the hub cache"));
            long freed = 0;
            foreach (var result in results)
            {
                switch (result.Outcome)
                {
                    case CacheRemovalOutcome.Removed:
                        freed += result.FreedBytes;
                        WriteObject(result);
                        break;
                    case CacheRemovalOutcome.Busy:
                        WriteWarning($"Skipped {result.FullName}: another process holds its lock (it is being downloaded or used).");
                        break;
                    case CacheRemovalOutcome.Missing:
                        WriteVerbose($"{result.FullName} was already gone.");
                        break;
                }
            }
            WriteVerbose($"Freed {ByteSize.Format(freed)}.");
        });
    }

    private bool Bound(string parameter) => MyInvocation.BoundParameters.ContainsKey(parameter);

}
