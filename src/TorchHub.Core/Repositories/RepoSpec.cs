using System;
using System.Text.RegularExpressions;
using TorchHub.Errors;

namespace TorchHub.Repositories;

/// <summary>
/// A GitHub repository reference, <c>owner/repo[:ref]</c>, parsed as torch.hub's
/// <c>_parse_repo_info</c> does (one <c>:</c> at most, exactly one <c>/</c> before it; the ref is
/// kept verbatim and may contain <c>/</c>), but validated up front so a bad spec fails with
/// a clear error instead of a later 404 or an odd cache folder.
/// </summary>
public sealed record RepoSpec
{
    // GitHub owner and repository names: letters, digits, '-', '_' and '.' (owners: no '.').
    private static readonly Regex OwnerPattern = new(@"^[A-Za-z0-9](?:[A-Za-z0-9_-]{0,99})$", RegexOptions.CultureInvariant);
    private static readonly Regex NamePattern = new(@"^[A-Za-z0-9._-]{1,100}$", RegexOptions.CultureInvariant);

    private RepoSpec(string owner, string name, string? @ref)
    {
        Owner = owner;
        Name = name;
        Ref = @ref;
    }

    public string Owner { get; }

    public string Name { get; }

    /// <summary>The ref as written, or null when the spec named none (default branch).</summary>
    public string? Ref { get; }

    /// <summary><c>owner_repo</c>: the line written to <c>trusted_list</c>.</summary>
    public string TrustKey => $"{Owner}_{Name}";

    /// <summary>A copy with the ref set (e.g. once the default branch is known).</summary>
    public RepoSpec WithRef(string @ref) => new(Owner, Name, ValidateRef(@ref, $"{Owner}/{Name}:{@ref}"));

    /// <summary>The cache folder name torch.hub uses: <c>owner_repo_ref</c> with '/' in the ref replaced by '_'.</summary>
    internal string FolderName(string @ref) => $"{Owner}_{Name}_{@ref.Replace('/', '_')}";

    public override string ToString() => Ref is null ? $"{Owner}/{Name}" : $"{Owner}/{Name}:{Ref}";

    public static bool TryParse(string? text, out RepoSpec? spec)
    {
        try
        {
            spec = Parse(text);
            return true;
        }
        catch (HubException)
        {
            spec = null;
            return false;
        }
    }

    public static RepoSpec Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            throw Invalid(text ?? "", "the specification is empty");

        var repoPart = text;
        string? @ref = null;
        var colon = text.IndexOf(':');
        if (colon >= 0)
        {
            if (text.IndexOf(':', colon + 1) >= 0)
                throw Invalid(text, "it contains more than one ':'");
            repoPart = text.Substring(0, colon);
            @ref = ValidateRef(text.Substring(colon + 1), text);
        }

        var parts = repoPart.Split('/');
        if (parts.Length != 2)
            throw Invalid(text, "the part before ':' must be exactly 'owner/repo'");

        var (owner, name) = (parts[0], parts[1]);
        if (!OwnerPattern.IsMatch(owner))
            throw Invalid(text, $"'{owner}' is not a valid GitHub owner name");
        if (!NamePattern.IsMatch(name) || name == "." || name == "..")
            throw Invalid(text, $"'{name}' is not a valid GitHub repository name");

        return new RepoSpec(owner, name, @ref);
    }

    private static string ValidateRef(string @ref, string text)
    {
        if (@ref.Length == 0)
            throw Invalid(text, "the ref after ':' is empty");
        // git check-ref-format's rules that matter for safety: no whitespace or control
        // characters, no backslash (a path separator on Windows), no '..' and no empty component.
        foreach (var c in @ref)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c) || c is '\\' or '~' or '^' or '?' or '*' or '[')
                throw Invalid(text, $"the ref '{@ref}' contains the character '{c}', which git does not allow in a ref");
        }
        if (@ref.Contains("..", StringComparison.Ordinal) || @ref.StartsWith('/') || @ref.EndsWith('/') || @ref.Contains("//", StringComparison.Ordinal) || @ref.StartsWith('-'))
            throw Invalid(text, $"the ref '{@ref}' is not a valid git ref");
        return @ref;
    }

    private static HubException Invalid(string text, string reason) =>
        new(HubErrorIds.InvalidRepositorySpec, HubErrorCategory.InvalidArgument,
            $"'{text}' is not a valid repository specification: {reason}. Expected 'owner/repo' or 'owner/repo:ref', for example 'pytorch/vision:v0.14.1'.",
            text);
}
