using System.Collections.Generic;
using TorchHub.Models;
using TorchHub.Repositories;

namespace TorchHub.Hubconf;

/// <summary>
/// A public callable a hub repository publishes (what torch.hub.list returns, with more
/// detail). Property names are chosen for pipeline binding: <see cref="Repository"/> binds
/// to <c>-Repository</c> for GitHub repositories, <see cref="LocalPath"/> to <c>-LiteralPath</c>
/// for local folders (exactly one of them is set), and <see cref="Name"/> to <c>-Name</c>.
/// </summary>
public sealed class HubEntrypoint
{
    public required string Name { get; init; }

    /// <summary><c>owner/repo:ref</c> for a GitHub repository; null for a local folder.</summary>
    public string? Repository { get; init; }

    /// <summary>The ref the cache folder holds (GitHub only).</summary>
    public string? Ref { get; init; }

    /// <summary>The repository folder, for local repositories only (null for GitHub).</summary>
    public string? LocalPath { get; init; }

    /// <summary>The folder the entrypoint was read from (the local folder or the cache folder).</summary>
    public required string RepositoryPath { get; init; }

    public RepositorySource Source { get; init; }

    public HubconfLanguage Language { get; init; }

    /// <summary>First line of the docstring (empty when there is none).</summary>
    public string Synopsis { get; init; } = "";

    /// <summary>The signature as written, e.g. <c>resnet18(pretrained=False, **kwargs)</c>.</summary>
    public string Signature { get; init; } = "";

    public IReadOnlyList<HubParameter> Parameters { get; init; } = [];

    /// <summary>The file that defines it, relative to the repository folder (null when outside the repo).</summary>
    public string? File { get; init; }

    /// <summary>1-based line of the definition in <see cref="File"/> (0 when unknown).</summary>
    public int Line { get; init; }

    /// <summary>
    /// Why the reader could not decide everything statically (e.g. imported from a module
    /// outside the repository, replaced by a decorator); empty when the answer is certain.
    /// </summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>Whether this listing is known exactly (no notes).</summary>
    public bool IsCertain => Notes.Count == 0;

    /// <summary>
    /// How Import-HubModel loads it into .NET on this machine with its default arguments (the first
    /// route that can), or null when no route can (see <see cref="RouteReasons"/>). Set by Get-HubEntrypoint
    /// (<see cref="Hub.DescribeRoutes"/>); null in listings that did not ask.
    /// </summary>
    public ModelRouteKind? Route { get; private set; }

    /// <summary>When <see cref="Route"/> is null after <see cref="Hub.DescribeRoutes"/>: each route's reason for not loading it.</summary>
    public IReadOnlyList<RouteReason> RouteReasons { get; private set; } = [];

    internal HubEntrypoint WithRoute(ModelRouteKind? route, IReadOnlyList<RouteReason> reasons)
    {
        var copy = (HubEntrypoint)MemberwiseClone();
        copy.Route = route;
        copy.RouteReasons = reasons;
        return copy;
    }

    public override string ToString() => Name;
}
