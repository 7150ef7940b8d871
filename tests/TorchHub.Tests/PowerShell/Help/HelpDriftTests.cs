using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using TorchHub.HelpBuilder;
using TorchHub.Tests.Hosting;
using Xunit;

namespace TorchHub.Tests.PowerShell.Help;

/// <summary>
/// docs/help/*.md against the cmdlets the module really exports: a page per cmdlet, every
/// parameter documented with the metadata the code has, no page for something that is gone.
/// </summary>
public sealed class HelpDriftTests
{
    [Fact]
    public void EveryCmdlet_HasAPage_AndEveryPageACmdlet()
    {
        using var ps = new PowerShellSession();
        var names = ModuleFacts.Cmdlets(ps).Select(c => c.Name).ToList();
        var missing = names.Where(n => !File.Exists(ModuleFacts.PagePath(n))).ToList();
        Assert.True(missing.Count == 0, "cmdlets without docs/help/<Name>.md: " + string.Join(", ", missing));

        var pages = ModuleFacts.CommandPages().Select(p => Path.GetFileNameWithoutExtension(p)!).ToList();
        var stale = pages.Where(p => !names.Contains(p, StringComparer.OrdinalIgnoreCase)).ToList();
        Assert.True(stale.Count == 0, "pages for cmdlets the module does not export: " + string.Join(", ", stale));
    }

    [Fact]
    public void Pages_FollowThePlatyPSSchema()
    {
        var problems = new List<string>();
        foreach (var file in ModuleFacts.CommandPages())
        {
            var name = Path.GetFileNameWithoutExtension(file);
            var text = File.ReadAllText(file);
            var page = MarkdownHelpReader.Read(text, file);
            void Check(bool ok, string what) { if (!ok) problems.Add($"{name}.md: {what}"); }

            Check(page.Name == name, $"H1 '{page.Name}' differs from the file name");
            Check(page.FrontMatter.GetValueOrDefault("external help file") == "TorchHub.PowerShell.dll-Help.xml", "front matter 'external help file: TorchHub.PowerShell.dll-Help.xml'");
            Check(page.FrontMatter.GetValueOrDefault("Module Name") == "TorchHub", "front matter 'Module Name: TorchHub'");
            Check(page.FrontMatter.GetValueOrDefault("schema") == "2.0.0", "front matter 'schema: 2.0.0'");
            Check(page.FrontMatter.ContainsKey("online version"), "front matter 'online version'");
            // H2 sections in PlatyPS's fixed order.
            var headings = text.Split('\n').Where(l => l.StartsWith("## ", StringComparison.Ordinal)).Select(l => l[3..].Trim()).ToList();
            string[] order = ["SYNOPSIS", "SYNTAX", "DESCRIPTION", "EXAMPLES", "PARAMETERS", "INPUTS", "OUTPUTS", "NOTES", "RELATED LINKS"];
            Check(headings.SequenceEqual(order), "sections must be exactly " + string.Join(", ", order) + " in that order; found " + string.Join(", ", headings));
            Check(!text.Contains("{{", StringComparison.Ordinal), "a '{{ ... }}' placeholder is left");
            Check(page.Synopsis.Length > 0, "empty SYNOPSIS");
            Check(page.Description.Count > 0, "empty DESCRIPTION");
            Check(page.Examples.Count >= 2, "fewer than 2 examples");
            Check(page.Examples.All(e => e.Code.Count > 0 && e.Remarks.Count > 0), "every example needs a code block and a remark");
            Check(page.SupportsCommonParameters, "no '### CommonParameters'");
            Check(page.Inputs.Count > 0, "INPUTS is empty (write '### None' when nothing is piped)");
            Check(page.Outputs.Count > 0, "OUTPUTS is empty");
            Check(page.Parameters.All(p => p.Description.Count > 0), "a parameter without a description");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Parameters_MatchTheCode()
    {
        using var ps = new PowerShellSession();
        var problems = new List<string>();
        foreach (var cmdlet in ModuleFacts.Cmdlets(ps))
        {
            var page = ModuleFacts.Page(cmdlet.Name);
            if (page is null) problems.Add($"{cmdlet.Name}: no page");
            else problems.AddRange(Compare(cmdlet, page));
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Compare_CatchesEachKindOfDrift()
    {
        using var ps = new PowerShellSession();
        var cmdlet = ModuleFacts.Cmdlets(ps).Single(c => c.Name == "Set-HubDirectory");
        var text = File.ReadAllText(ModuleFacts.PagePath("Set-HubDirectory"));
        Assert.Empty(Compare(cmdlet, MarkdownHelpReader.Read(text)));

        // A parameter the page forgets, one it invents, and wrong metadata on the rest.
        var passThru = text.IndexOf("### -PassThru", StringComparison.Ordinal);
        var drifted = text[..passThru] + text[text.IndexOf("### -Confirm", StringComparison.Ordinal)..];
        drifted = drifted.Replace("### -UseDefault", "### -Bogus\nInvented.\n\n### -UseDefault")
            .Replace("Aliases: PSPath, LP", "Aliases: PSPath")
            .Replace("Position: 0", "Position: 1")
            .Replace("Accept pipeline input: True (ByPropertyName, ByValue)", "Accept pipeline input: True (ByValue)")
            .Replace("Parameter Sets: UseDefault", "Parameter Sets: Path")
            .Replace("### TorchHub.Cache.HubDirectoryInfo", "### Something.Else");
        var problems = Compare(cmdlet, MarkdownHelpReader.Read(drifted));
        Assert.Contains("Set-HubDirectory: -PassThru is not documented", problems);
        Assert.Contains("Set-HubDirectory: the page documents -Bogus, which the cmdlet does not have", problems);
        Assert.Contains(problems, p => p.StartsWith("Set-HubDirectory -Path: Aliases", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Set-HubDirectory -Path: Position", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Set-HubDirectory -Path: Accept pipeline input", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Set-HubDirectory -UseDefault: Parameter Sets", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("OUTPUTS does not list", StringComparison.Ordinal));
    }

    /// <summary>Every way a page can disagree with the cmdlet's metadata.</summary>
    internal static List<string> Compare(CmdletInfo cmdlet, CommandHelp page)
    {
        var problems = new List<string>();
        var actual = ModuleFacts.DocumentedParameters(cmdlet).ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        var documented = page.Parameters.ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);

        foreach (var name in actual.Keys.Except(documented.Keys, StringComparer.OrdinalIgnoreCase))
            problems.Add($"{cmdlet.Name}: -{name} is not documented");
        foreach (var name in documented.Keys.Except(actual.Keys, StringComparer.OrdinalIgnoreCase))
            problems.Add($"{cmdlet.Name}: the page documents -{name}, which the cmdlet does not have");

        var allSets = cmdlet.ParameterSets.Select(s => s.Name).ToList();
        foreach (var (name, meta) in actual)
        {
            if (!documented.TryGetValue(name, out var doc)) continue;
            void Check(bool ok, string what) { if (!ok) problems.Add($"{cmdlet.Name} -{name}: {what}"); }

            Check(TypeMatches(doc.Type, meta.ParameterType), $"Type '{doc.Type}' but the code has {meta.ParameterType.Name}");
            Check(new HashSet<string>(doc.Aliases, StringComparer.OrdinalIgnoreCase).SetEquals(meta.Aliases), $"Aliases '{string.Join(", ", doc.Aliases)}' but the code has '{string.Join(", ", meta.Aliases)}'");

            var codeSets = meta.ParameterSets.Keys.Where(k => k != ParameterAttribute.AllParameterSets).ToList();
            var inAll = meta.ParameterSets.ContainsKey(ParameterAttribute.AllParameterSets) || allSets.All(codeSets.Contains);
            Check(doc.InAllSets ? inAll : new HashSet<string>(doc.ParameterSets, StringComparer.OrdinalIgnoreCase).SetEquals(codeSets),
                $"Parameter Sets '{string.Join(", ", doc.ParameterSets)}' but the code has '{(inAll ? "(All)" : string.Join(", ", codeSets))}'");

            var sets = meta.ParameterSets.Values.ToList();
            var required = sets.Select(s => s.IsMandatory).Distinct().ToList();
            if (required.Count == 1) Check(doc.Required == required[0], $"Required: {doc.Required} but the code says {required[0]}");
            var positions = sets.Select(s => s.Position < 0 ? "Named" : s.Position.ToString(System.Globalization.CultureInfo.InvariantCulture)).Distinct().ToList();
            if (positions.Count == 1) Check(string.Equals(doc.Position, positions[0], StringComparison.OrdinalIgnoreCase), $"Position: {doc.Position} but the code says {positions[0]}");

            var byValue = sets.Any(s => s.ValueFromPipeline);
            var byName = sets.Any(s => s.ValueFromPipelineByPropertyName);
            Check(doc.PipelineInput.Contains("ByValue", StringComparison.OrdinalIgnoreCase) == byValue
                  && doc.PipelineInput.Contains("ByPropertyName", StringComparison.OrdinalIgnoreCase) == byName
                  && doc.PipelineInput.StartsWith("True", StringComparison.OrdinalIgnoreCase) == (byValue || byName),
                $"Accept pipeline input '{doc.PipelineInput}' but the code says ByValue={byValue}, ByPropertyName={byName}");

            var wildcards = meta.Attributes.OfType<SupportsWildcardsAttribute>().Any();
            Check(doc.Globbing == wildcards, $"Accept wildcard characters: {doc.Globbing} but [SupportsWildcards] is {(wildcards ? "" : "not ")}there");
        }

        foreach (var output in cmdlet.OutputType.Select(t => t.Name))
        {
            if (!page.Outputs.Any(o => o.TypeName == output || output.EndsWith("." + o.TypeName, StringComparison.Ordinal)))
                problems.Add($"{cmdlet.Name}: OUTPUTS does not list [OutputType] {output}");
        }
        return problems;
    }

    /// <summary>PlatyPS writes short type names (String, SwitchParameter, String[]); full names are accepted too.</summary>
    private static bool TypeMatches(string documented, Type type) =>
        documented == type.Name || documented == type.FullName
        || (type.IsGenericType && documented.StartsWith(type.Name.Split('`')[0], StringComparison.Ordinal));
}
