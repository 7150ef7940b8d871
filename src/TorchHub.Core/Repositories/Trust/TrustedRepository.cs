namespace TorchHub.Repositories.Trust;

/// <summary>
/// One thing TorchHub trusts: a <c>trusted_list</c> line (<see cref="Key"/> <c>owner_repo</c>,
/// <see cref="Repository"/> <c>owner/repo</c>), or one of torch's trusted owners
/// (<see cref="Key"/> the owner, <see cref="Repository"/> <c>owner/*</c>).
/// </summary>
public sealed record TrustedRepository(string Key, string? Repository, TrustDecision Reason)
{
    /// <summary>
    /// The entry for a <c>trusted_list</c> line. GitHub owner names have no '_', so the first '_'
    /// separates owner and repository; a line without one keeps a null <see cref="Repository"/>.
    /// </summary>
    public static TrustedRepository FromLine(string line)
    {
        var cut = line.IndexOf('_');
        var repository = cut > 0 && cut < line.Length - 1 ? line[..cut] + "/" + line[(cut + 1)..] : null;
        return new TrustedRepository(line, repository, TrustDecision.TrustedList);
    }

    public static TrustedRepository FromOwner(string owner) => new(owner, owner + "/*", TrustDecision.TrustedOwner);
}
