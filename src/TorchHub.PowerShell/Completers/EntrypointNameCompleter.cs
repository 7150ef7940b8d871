using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using TorchHub.Repositories;

namespace TorchHub.PowerShell.Completers;

/// <summary>
/// Completes entrypoint names from the repository the other parameters name: a local folder
/// (-Path/-LiteralPath), or for -Repository the cache folder if it is already there. It never
/// touches the network and never runs repository code; it reuses the parse cache, so it is fast.
/// </summary>
public sealed class EntrypointNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        List<CompletionResult> results = [];
        try
        {
            var repository = FindRepository(fakeBoundParameters);
            if (repository is null) return results;
            var word = wordToComplete.Trim('\'', '"');
            var pattern = WildcardPattern.Get(word + "*", WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant);
            // A name published by both hubconf.py and hubconf.cs is offered once (the first listing's
            // help as tooltip). Sorted ignoring case, so a name that starts another comes first
            // ('tiny' before 'TinyNet'): PSReadLine's Tab inserts the common prefix in the first
            // match's case, which is then a real name, not 'Tiny'.
            var entries = new Hub().GetListing(repository).Entrypoints
                .Where(e => pattern.IsMatch(e.Name))
                .DistinctBy(e => e.Name, StringComparer.Ordinal)
                .OrderBy(e => e.Name, StringComparer.OrdinalIgnoreCase).ThenBy(e => e.Name, StringComparer.Ordinal);
            foreach (var entry in entries)
            {
                var tooltip = string.IsNullOrEmpty(entry.Synopsis) ? entry.Signature : entry.Signature + "\n" + entry.Synopsis;
                results.Add(new CompletionResult(Quote(entry.Name), entry.Name, CompletionResultType.ParameterValue, string.IsNullOrEmpty(tooltip) ? entry.Name : tooltip));
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Completion must never fail the user's typing: an unreadable repository completes nothing.
        }
        return results;
    }

    private static HubRepository? FindRepository(IDictionary bound)
    {
        if (Value(bound, "LiteralPath", "PSPath", "LP", "LocalPath") is { } literal)
            return Local(ResolvePath(literal, literal: true));
        if (Value(bound, "Path") is { } path)
            return Local(ResolvePath(path, literal: false));
        if (Value(bound, "Repository") is { } spec && RepoSpec.TryParse(spec, out var parsed) && parsed is not null)
            return new Hub().FindCachedRepository(parsed);
        return null;
    }

    private static HubRepository? Local(string? folder) => folder is not null && Directory.Exists(folder) ? HubRepository.OpenLocal(folder) : null;

    private static string? Value(IDictionary bound, params string[] names)
    {
        foreach (DictionaryEntry entry in bound)
        {
            if (entry.Key is string key && names.Any(n => n.Equals(key, StringComparison.OrdinalIgnoreCase)))
            {
                var value = entry.Value is PSObject pso ? pso.BaseObject : entry.Value;
                return value?.ToString();
            }
        }
        return null;
    }

    /// <summary>Resolves a PowerShell path against the current location, in the running session.</summary>
    private static string? ResolvePath(string path, bool literal)
    {
        var script = literal
            ? "param($p) $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($p)"
            : "param($p) $ExecutionContext.SessionState.Path.GetResolvedProviderPathFromPSPath($p, [ref]$null)";
        var result = ScriptBlock.Create(script).Invoke(path);
        return result.Count == 1 ? result[0]?.BaseObject?.ToString() : null;
    }

    private static string Quote(string name) =>
        name.All(c => char.IsLetterOrDigit(c) || c == '_') ? name : "'" + name.Replace("'", "''") + "'";
}
