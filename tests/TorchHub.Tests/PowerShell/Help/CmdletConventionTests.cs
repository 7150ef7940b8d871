using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using TorchHub.Tests.Hosting;
using Xunit;

namespace TorchHub.Tests.PowerShell.Help;

/// <summary>The cmdlet style guide (docs: powershell-modules.md section 5), checked on every exported cmdlet.</summary>
public sealed class CmdletConventionTests
{
    /// <summary>Verbs whose cmdlets change something on the system, so -WhatIf/-Confirm must work.</summary>
    private static readonly HashSet<string> ChangingVerbs = new(StringComparer.OrdinalIgnoreCase)
    {
        "Set", "New", "Remove", "Save", "Clear", "Add", "Install", "Uninstall", "Update", "Reset", "Register",
        "Unregister", "Publish", "Rename", "Move", "Copy", "Write", "Start", "Stop", "Enable", "Disable", "Sync", "Initialize",
    };

    [Fact]
    public void EveryCmdlet_FollowsTheConventions()
    {
        using var ps = new PowerShellSession();
        var cmdlets = ModuleFacts.Cmdlets(ps);
        Assert.NotEmpty(cmdlets);
        var approved = typeof(VerbsCommon).Assembly.GetTypes()
            .Where(t => t.Namespace == "System.Management.Automation" && t.Name.StartsWith("Verbs", StringComparison.Ordinal) && t.IsPublic)
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static)).Select(f => (string)f.GetValue(null)!)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);

        var problems = new List<string>();
        foreach (var cmdlet in cmdlets)
        {
            void Check(bool ok, string what) { if (!ok) problems.Add($"{cmdlet.Name}: {what}"); }
            var type = cmdlet.ImplementingType;
            var attribute = type.GetCustomAttribute<CmdletAttribute>()!;

            Check(approved.Contains(cmdlet.Verb), $"'{cmdlet.Verb}' is not an approved verb");
            Check(type.IsSealed && type.Name == cmdlet.Verb + cmdlet.Noun + "Command" && type.Namespace == "TorchHub.PowerShell.Commands",
                "class must be 'public sealed class <Verb><Noun>Command' in TorchHub.PowerShell.Commands");
            Check(type.GetCustomAttributes<OutputTypeAttribute>().Any(), "no [OutputType]");
            if (ChangingVerbs.Contains(cmdlet.Verb))
                Check(attribute.SupportsShouldProcess, "changes state but does not SupportsShouldProcess");

            var parameters = cmdlet.Parameters.Values.Where(p => !ModuleFacts.CommonParameters.Contains(p.Name)).ToList();
            Check(parameters.All(p => p.ParameterType != typeof(bool)), "use SwitchParameter, not bool");
            if (cmdlet.Parameters.TryGetValue("Path", out var path))
            {
                if (path.Attributes.OfType<SupportsWildcardsAttribute>().Any())
                {
                    // Path with wildcards implies LiteralPath (aliases PSPath, LP), as platyPS and the file system cmdlets do.
                    Check(cmdlet.Parameters.TryGetValue("LiteralPath", out var literal)
                          && literal.Aliases.Contains("PSPath") && literal.Aliases.Contains("LP"),
                        "-Path takes wildcards, so -LiteralPath with aliases PSPath and LP must exist");
                }
                else
                {
                    // A Path without wildcards is literal itself and must bind from PSPath (Get-Item | ...).
                    Check(path.Aliases.Contains("PSPath"), "-Path takes no wildcards, so it is literal and needs the PSPath alias");
                }
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void ChangingCmdlets_HonourWhatIf()
    {
        // The rule above in action on the one changing cmdlet that exists everywhere.
        using var ps = new PowerShellSession();
        var cmdlet = ModuleFacts.Cmdlets(ps).Single(c => c.Name == "Set-HubDirectory");
        Assert.True(cmdlet.Parameters.ContainsKey("WhatIf"));
        Assert.True(cmdlet.Parameters.ContainsKey("Confirm"));
    }
}
