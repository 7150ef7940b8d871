using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using TorchHub.Tests.Hosting;
using Xunit;

namespace TorchHub.Tests.PowerShell.Help;

/// <summary>Get-Help, as users call it, for every exported cmdlet and for about_TorchHub.</summary>
public sealed class HelpContentTests
{
    private readonly Xunit.Abstractions.ITestOutputHelper _output;

    public HelpContentTests(Xunit.Abstractions.ITestOutputHelper output) => _output = output;

    [Fact]
    public void GetHelpFull_ReadsWell()
    {
        var (text, _, errors) = ModuleFacts.RunFormatted("Get-Help Set-HubDirectory -Full | Out-Host");
        _output.WriteLine(text);
        Assert.Empty(errors);
        var lines = text.Split('\n').Select(l => l.TrimEnd()).ToList();
        foreach (var section in new[] { "NAME", "SYNOPSIS", "SYNTAX", "DESCRIPTION", "PARAMETERS", "INPUTS", "OUTPUTS", "NOTES", "RELATED LINKS" })
            Assert.Contains(section, lines);
        // The host has no buffer width, so PowerShell wraps at 80 columns; join wrapped lines back.
        var unwrapped = System.Text.RegularExpressions.Regex.Replace(text, "\n +", "");
        Assert.Contains("Set-HubDirectory [-Path] <String> [-PassThru] [-WhatIf] [-Confirm] [<CommonParameters>]", unwrapped);
        Assert.Contains("Set-HubDirectory -UseDefault [-PassThru] [-WhatIf] [-Confirm] [<CommonParameters>]", unwrapped);
        Assert.Contains(lines, l => l.Trim() == "-Path <String>");
        Assert.Contains(lines, l => l.Trim() == "TorchHub.Cache.HubDirectoryInfo");
        Assert.DoesNotContain(lines, l => l.Length > 130);
    }

    [Fact]
    public void EveryCmdlet_HasSynopsisDescriptionParameterDescriptionsAndExamples()
    {
        using var ps = new PowerShellSession();
        var cmdlets = ModuleFacts.Cmdlets(ps);
        Assert.Contains(cmdlets, c => c.Name == "Get-HubDirectory");
        var problems = new List<string>();
        foreach (var cmdlet in cmdlets)
        {
            var help = ps.Run($"Get-Help '{cmdlet.Name}' -Full").ThrowIfFailed().Output.Single();
            var synopsis = (help.Properties["Synopsis"]?.Value as string ?? "").Trim();
            // Without MAML, Get-Help falls back to the syntax as the synopsis.
            if (synopsis.Length == 0 || synopsis.StartsWith(cmdlet.Name, System.StringComparison.Ordinal))
                problems.Add($"{cmdlet.Name}: no synopsis (is docs/help/{cmdlet.Name}.md missing?)");

            var description = Texts(help.Properties["description"]?.Value);
            if (description.Count == 0) problems.Add($"{cmdlet.Name}: no description");

            var examples = Items(help, "examples", "example");
            if (examples.Count < 2) problems.Add($"{cmdlet.Name}: {examples.Count} example(s), at least 2 expected");
            foreach (var example in examples)
            {
                if (string.IsNullOrWhiteSpace(example.Properties["code"]?.Value?.ToString()))
                    problems.Add($"{cmdlet.Name}: an example without code");
                if (Texts(example.Properties["remarks"]?.Value).Count == 0)
                    problems.Add($"{cmdlet.Name}: an example without remarks");
            }

            var documented = Items(help, "parameters", "parameter")
                .ToDictionary(p => p.Properties["name"].Value.ToString()!, p => Texts(p.Properties["description"]?.Value), System.StringComparer.OrdinalIgnoreCase);
            foreach (var parameter in ModuleFacts.DocumentedParameters(cmdlet))
            {
                if (!documented.TryGetValue(parameter.Name, out var text) || text.Count == 0)
                    problems.Add($"{cmdlet.Name}: parameter -{parameter.Name} has no description in Get-Help");
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void GetHelpFull_HasEverySection_ForEveryCmdlet()
    {
        using var ps = new PowerShellSession();
        var names = ModuleFacts.Cmdlets(ps).Select(c => c.Name).ToList();
        var script = string.Join("\n", names.Select(n => $"'=== {n}'; Get-Help {n} -Full | Out-Host"));
        var (text, output, errors) = ModuleFacts.RunFormatted(script.Replace("'=== ", "Out-Host -InputObject '=== "));
        Assert.Empty(errors);
        var problems = new List<string>();
        foreach (var name in names)
        {
            var start = text.IndexOf($"=== {name}\n", System.StringComparison.Ordinal);
            var end = text.IndexOf("=== ", start + 4, System.StringComparison.Ordinal);
            var lines = text[start..(end < 0 ? text.Length : end)].Split('\n').Select(l => l.TrimEnd()).ToList();
            foreach (var section in new[] { "NAME", "SYNOPSIS", "SYNTAX", "DESCRIPTION", "PARAMETERS", "INPUTS", "OUTPUTS", "RELATED LINKS" })
                if (!lines.Contains(section)) problems.Add($"{name}: Get-Help -Full has no {section} section");
            if (!lines.Any(l => l.Contains("Example 1", System.StringComparison.Ordinal))) problems.Add($"{name}: Get-Help -Full shows no examples");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void GetHelpParameter_ShowsTypeAliasesAndPipelineInput()
    {
        using var ps = new PowerShellSession();
        var path = ps.Run("Get-Help Set-HubDirectory -Parameter Path").ThrowIfFailed().Output.Single();
        Assert.Equal("true", path.Properties["required"].Value);
        Assert.Equal("0", path.Properties["position"].Value);
        Assert.Equal("PSPath, LP", path.Properties["aliases"].Value);
        Assert.Equal("True (ByPropertyName, ByValue)", path.Properties["pipelineInput"].Value);
        Assert.Contains("relative path", string.Join(" ", Texts(path.Properties["description"].Value)));
    }

    [Fact]
    public void GetHelpSyntax_ListsEachParameterSet()
    {
        using var ps = new PowerShellSession();
        var items = ps.Run("(Get-Help Set-HubDirectory).syntax.syntaxItem | ForEach-Object { ($_.parameter | ForEach-Object { $_.name }) -join ',' }")
            .ThrowIfFailed().Output.Select(o => o.ToString()).ToList();
        Assert.Equal(2, items.Count);
        Assert.Contains("Path,PassThru,WhatIf,Confirm", items);
        Assert.Contains("UseDefault,PassThru,WhatIf,Confirm", items);
    }

    [Fact]
    public void AboutTopic_IsFoundAndReadable()
    {
        using var ps = new PowerShellSession();
        var text = string.Join("\n", ps.Run("Get-Help about_TorchHub").ThrowIfFailed().Output.Select(o => o.ToString()));
        Assert.Contains("about_TorchHub", text);
        Assert.Contains("SHORT DESCRIPTION", text);
        Assert.Contains("TORCH_HOME", text);
        Assert.Contains("trusted_list", text);
        Assert.Contains("torch.hub.load_state_dict_from_url", text);
        Assert.Contains("hubconf.cs", text);
        Assert.All(text.Split('\n'), line => Assert.True(line.TrimEnd('\r').Length <= 120, "line too long: " + line));
    }

    [Fact]
    public void ExamplesRender_WithCodeApartFromRemarks()
    {
        var (text, _, errors) = ModuleFacts.RunFormatted("Get-Help Set-HubDirectory -Examples | Out-Host");
        Assert.Empty(errors);
        var lines = text.Split('\n').Select(l => l.Trim()).ToList();
        // The command is on a line of its own, and the remark follows on its own line.
        var code = lines.FindIndex(l => l.EndsWith("Set-HubDirectory -UseDefault -PassThru", System.StringComparison.Ordinal));
        Assert.True(code >= 0, text);
        var remark = lines.FindIndex(code + 1, l => l.StartsWith("The hub directory is resolved from", System.StringComparison.Ordinal));
        Assert.True(remark > code, text);
        Assert.Contains("Example 1: Use a folder for this session", text);
    }

    internal static List<string> Texts(object? value)
    {
        var texts = new List<string>();
        foreach (var item in LanguagePrimitives.GetEnumerable(value) ?? new[] { value })
        {
            if (item is null) continue;
            var pso = PSObject.AsPSObject(item);
            var text = pso.Properties["Text"]?.Value as string ?? (pso.BaseObject as string);
            if (!string.IsNullOrWhiteSpace(text)) texts.Add(text.Trim());
        }
        return texts;
    }

    private static List<PSObject> Items(PSObject help, string list, string item)
    {
        var container = help.Properties[list]?.Value;
        if (container is null) return new List<PSObject>();
        var items = PSObject.AsPSObject(container).Properties[item]?.Value;
        if (items is null) return new List<PSObject>();
        return (LanguagePrimitives.GetEnumerable(items)?.Cast<object>() ?? new[] { items }).Select(PSObject.AsPSObject).ToList();
    }
}
