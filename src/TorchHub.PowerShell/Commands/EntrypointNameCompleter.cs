using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using TorchHub.Hubconf.CSharp;
using TorchHub.Repositories;

namespace TorchHub.PowerShell.Commands;

/// <summary>
/// Completes -Name from the hubconf.cs of the folder given with -Path/-LiteralPath, statically
/// (syntax only: completing never compiles or runs repository code, and never goes online).
/// </summary>
public sealed class EntrypointNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var folder = (fakeBoundParameters["LiteralPath"] ?? fakeBoundParameters["Path"]) as string;
        if (string.IsNullOrEmpty(folder)) return [];
        try
        {
            var full = System.IO.Path.GetFullPath(folder);
            var reader = new CSharpHubconfReader();
            if (!File.Exists(System.IO.Path.Combine(full, reader.FileName))) return [];
            var pattern = WildcardPattern.Get(wordToComplete + "*", WildcardOptions.IgnoreCase);
            return reader.Read(HubRepository.OpenLocal(full)).Entrypoints
                .Where(e => pattern.IsMatch(e.Name))
                .Select(e => new CompletionResult(e.Name, e.Name, CompletionResultType.ParameterValue, string.IsNullOrEmpty(e.Synopsis) ? e.Signature : e.Signature + " - " + e.Synopsis))
                .ToList();
        }
        catch (Exception)
        {
            return []; // a completer never fails the prompt
        }
    }
}
