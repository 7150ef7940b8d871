using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using TorchHub.HelpBuilder;
using TorchHub.Tests.Hosting;

namespace TorchHub.Tests.PowerShell.Help;

/// <summary>What the built module exports, read through the hosted engine, and its help pages.</summary>
public static class ModuleFacts
{
    public static string HelpFolder => Path.Combine(RepoPaths.Root, "docs", "help");

    public static string ModuleFolder => Path.GetDirectoryName(RepoPaths.ModuleManifest)!;

    /// <summary>Parameters PowerShell adds to every cmdlet; pages list them under CommonParameters.</summary>
    public static readonly HashSet<string> CommonParameters = new(Cmdlet.CommonParameters, StringComparer.OrdinalIgnoreCase);

    /// <summary>Every cmdlet the module exports (Get-Command -Module TorchHub).</summary>
    public static List<CmdletInfo> Cmdlets(PowerShellSession ps) =>
        ps.Run("Get-Command -Module TorchHub -CommandType Cmdlet").ThrowIfFailed().Objects<CmdletInfo>()
            .OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase).ToList();

    /// <summary>Parameters a page must document: all but the common ones (WhatIf and Confirm are documented, as PlatyPS does).</summary>
    public static IEnumerable<ParameterMetadata> DocumentedParameters(CmdletInfo cmdlet) =>
        cmdlet.Parameters.Values.Where(p => !CommonParameters.Contains(p.Name));

    public static string PagePath(string cmdletName) => Path.Combine(HelpFolder, cmdletName + ".md");

    public static CommandHelp? Page(string cmdletName) =>
        File.Exists(PagePath(cmdletName)) ? MarkdownHelpReader.ReadFile(PagePath(cmdletName)) : null;

    public static IEnumerable<string> CommandPages() =>
        Directory.GetFiles(HelpFolder, "*.md").Where(f => !Path.GetFileName(f).StartsWith("about_", StringComparison.OrdinalIgnoreCase));

    /// <summary>Runs a script in a runspace whose host records formatted output.</summary>
    public static (string Text, List<PSObject> Output, List<ErrorRecord> Errors) RunFormatted(string script)
    {
        var host = new CapturingHost();
        using var runspace = RunspaceFactory.CreateRunspace(host, InitialSessionState.CreateDefault2());
        runspace.Open();
        using var ps = System.Management.Automation.PowerShell.Create();
        ps.Runspace = runspace;
        ps.AddScript($"Import-Module '{RepoPaths.ModuleManifest}' -ErrorAction Stop\n" + script);
        var output = ps.Invoke().ToList();
        // Table headers carry $PSStyle colours (VT sequences) in any host; compare the plain text.
        var plain = System.Text.RegularExpressions.Regex.Replace(host.Text, "\u001b\\[[0-9;]*m", "");
        return (plain, output, ps.Streams.Error.ToList());
    }
}
