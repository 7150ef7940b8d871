using System.Collections.Generic;
using System.Linq;
using TorchHub.Repositories;

namespace TorchHub.Hubconf;

/// <summary>
/// What a hubconf reader found about one entrypoint, whatever the language: the one place that
/// turns it into the <see cref="HubEntrypoint"/> of the listing and the <see cref="HubHelp"/>
/// of torch.hub.help, so both carry the same repository, file, signature and notes.
/// </summary>
internal sealed record EntrypointFacts
{
    public required string Name { get; init; }

    public required HubconfLanguage Language { get; init; }

    public string Signature { get; init; } = "";

    public IReadOnlyList<HubParameter> Parameters { get; init; } = [];

    /// <summary>The file relative to the repository folder (null when outside the repository).</summary>
    public string? File { get; init; }

    public int Line { get; init; }

    /// <summary>The help as the language holds it (Python's __doc__); null when there is none.</summary>
    public string? Docstring { get; init; }

    /// <summary>The help cleaned for reading (inspect.cleandoc); empty when there is none.</summary>
    public string Text { get; init; } = "";

    /// <summary>The listing's one-line summary.</summary>
    public string Synopsis { get; init; } = "";

    /// <summary>Every note for the help, doubts and plain facts ("no docstring") alike.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>Which <see cref="Notes"/> are plain facts, not doubts: kept out of the entrypoint, whose notes mean "uncertain".</summary>
    public System.Func<string, bool> IsFact { get; init; } = _ => false;

    public HubEntrypoint ToEntrypoint(HubRepository repository) => new()
    {
        Name = Name,
        Repository = RepositoryName(repository),
        Ref = repository.Ref,
        LocalPath = LocalPath(repository),
        RepositoryPath = repository.Directory,
        Source = repository.Source,
        Language = Language,
        Synopsis = Synopsis,
        Signature = Signature,
        Parameters = Parameters,
        File = File,
        Line = Line,
        Notes = Notes.Where(n => !IsFact(n)).ToList(),
    };

    public HubHelp ToHelp(HubRepository repository) => new()
    {
        Name = Name,
        Repository = RepositoryName(repository),
        LocalPath = LocalPath(repository),
        Language = Language,
        Docstring = Docstring,
        Text = Text,
        Signature = Signature,
        Parameters = Parameters,
        File = File,
        Line = Line,
        Notes = Notes,
    };

    private static string? RepositoryName(HubRepository repository) => repository.Source == RepositorySource.GitHub ? repository.DisplayName : null;

    private static string? LocalPath(HubRepository repository) => repository.Source == RepositorySource.Local ? repository.Directory : null;
}
