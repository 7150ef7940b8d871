using System;
using System.Collections.Generic;
using TorchHub.Errors;

namespace TorchHub.Http;

/// <summary>
/// A mirror: downloads whose URL starts with <see cref="Prefix"/> are requested from
/// <see cref="Target"/> with the rest of the URL appended (an Artifactory or Nexus remote
/// repository, or an S3 bucket served over HTTP, holding the same paths). Only the request moves:
/// the original URL still names the cached file, decides the hash rule and goes into records and
/// lock files, so PyTorch finds the file as if it had downloaded it. Both ends are folders (a
/// trailing <c>/</c> is added), so <c>.../models</c> never matches <c>.../models-old/</c>.
/// The GitHub token goes to the target only if the target is itself a place the token may go
/// (<see cref="GitHubTokenPolicy"/> judges the URL actually requested).
/// </summary>
public sealed record MirrorRule
{
    /// <summary>TORCHHUB_MIRRORS: rules <c>prefix=target</c>, separated by <c>;</c> or white space.</summary>
    public const string Variable = "TORCHHUB_MIRRORS";

    public MirrorRule(Uri prefix, Uri target)
    {
        Prefix = AsFolder(prefix, "prefix");
        Target = AsFolder(target, "mirror");
    }

    /// <summary>Parses one rule from text (as in TORCHHUB_MIRRORS or a -Mirror hashtable); <paramref name="source"/> names it in errors.</summary>
    public MirrorRule(string prefix, string target, string source = "the mirror rule")
        : this(ParseUrl(prefix, source), ParseUrl(target, source))
    {
    }

    /// <summary>The original URLs this rule covers (absolute http(s), ending in <c>/</c>).</summary>
    public Uri Prefix { get; }

    /// <summary>Where they are requested from instead (absolute http(s), ending in <c>/</c>).</summary>
    public Uri Target { get; }

    /// <summary>The mirror address of <paramref name="uri"/> under the longest matching prefix of <paramref name="rules"/>; null when none matches.</summary>
    internal static Uri? Route(IReadOnlyList<MirrorRule> rules, Uri uri)
    {
        MirrorRule? best = null;
        var text = uri.AbsoluteUri;
        foreach (var rule in rules)
            if (text.StartsWith(rule.Prefix.AbsoluteUri, StringComparison.Ordinal)
                && (best is null || rule.Prefix.AbsoluteUri.Length > best.Prefix.AbsoluteUri.Length))
                best = rule;
        return best is null ? null : new Uri(best.Target.AbsoluteUri + text[best.Prefix.AbsoluteUri.Length..]);
    }

    /// <summary>Parses TORCHHUB_MIRRORS' form: <c>prefix=target</c> pairs separated by <c>;</c>, new lines or spaces.</summary>
    public static IReadOnlyList<MirrorRule> ParseList(string? text, string source = Variable)
    {
        var rules = new List<MirrorRule>();
        if (string.IsNullOrWhiteSpace(text)) return rules;
        foreach (var pair in text.Split([';', ' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries))
        {
            // Split at the first '=' (neither end may have a query, so no other '=' is expected).
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || equals == pair.Length - 1)
                throw Invalid($"{source} has '{pair}', which is not a rule of the form prefix=mirror.", pair);
            rules.Add(new MirrorRule(pair[..equals], pair[(equals + 1)..], source));
        }
        return rules;
    }

    /// <summary><paramref name="first"/> with the rules of <paramref name="then"/> whose prefix it does not already cover.</summary>
    internal static IReadOnlyList<MirrorRule> Combine(IReadOnlyList<MirrorRule> first, IEnumerable<MirrorRule> then)
    {
        var list = new List<MirrorRule>(first);
        foreach (var rule in then)
            if (!list.Exists(r => r.Prefix == rule.Prefix)) list.Add(rule);
        return list;
    }

    public override string ToString() => $"{SafeUrl.Display(Prefix)} -> {SafeUrl.Display(Target)}";

    private static Uri ParseUrl(string text, string source) =>
        Uri.TryCreate(text?.Trim(), UriKind.Absolute, out var uri) ? uri
            : throw Invalid($"{source} has '{text}', which is not an absolute http(s) URL.", text);

    private static Uri AsFolder(Uri uri, string what)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (!uri.IsAbsoluteUri || uri.Scheme is not ("http" or "https") || string.IsNullOrEmpty(uri.Host))
            throw Invalid($"The {what} '{SafeUrl.Display(uri)}' of a mirror rule is not an absolute http(s) URL.", SafeUrl.Display(uri));
        if (uri.Query.Length > 0 || uri.Fragment.Length > 0)
            throw Invalid($"The {what} '{SafeUrl.Display(uri)}' of a mirror rule has a query or fragment; rules map folders.", SafeUrl.Display(uri));
        return uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
    }

    private static HubException Invalid(string message, object? target) =>
        new(HubErrorIds.InvalidMirrorRule, HubErrorCategory.InvalidArgument, message, target)
        {
            RecommendedAction = "Write each rule as original-prefix=mirror-prefix, e.g. https://download.pytorch.org/models/=https://artifacts.example/pytorch-models/.",
        };
}
