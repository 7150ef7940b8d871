using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace TorchHub.PowerShell.Completers;

/// <summary>
/// Completes <c>-Repository</c> from the local cache only (no network, two small files): the specs
/// TorchHub recorded when it fetched repositories (<see cref="Hub.GetRecordedRepositorySpecs"/>, with refs),
/// then <c>owner/repo</c> for each <c>trusted_list</c> entry. Cache folder names are not offered:
/// they cannot be split back into a spec unambiguously.
/// </summary>
public sealed class RepositorySpecCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var word = Unquote(wordToComplete ?? "");
        var pattern = WildcardPattern.Get(WildcardPattern.Escape(word) + "*", WildcardOptions.IgnoreCase);
        var hub = new Hub();
        var recorded = hub.GetRecordedRepositorySpecs();
        var trusted = hub.GetTrustedRepositorySpecs();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (spec, tip) in recorded.Select(s => (s, "cached: " + s)).Concat(trusted.Select(s => (s, "trusted: " + s))))
        {
            if (!pattern.IsMatch(spec) || !seen.Add(spec)) continue;
            yield return new CompletionResult(Quote(spec), spec, CompletionResultType.ParameterValue, tip);
        }
    }

    private static string Unquote(string word) =>
        word.Length > 0 && word[0] is '\'' or '"' ? word.Trim(word[0]) : word;

    /// <summary>Quotes a spec when PowerShell would otherwise split or interpret it (refs may hold ',', '(', '#', ...).</summary>
    internal static string Quote(string spec)
    {
        foreach (var c in spec)
        {
            if (!(char.IsLetterOrDigit(c) || c is '/' or ':' or '.' or '_' or '-'))
                return "'" + spec.Replace("'", "''") + "'";
        }
        return spec;
    }
}
