using System.Collections.Generic;
using System.IO;
using System.Linq;
using Markdig.Syntax;
using TorchHub.HelpBuilder;
using TorchHub.Tests.Hosting;
using Xunit;

namespace TorchHub.Tests.PowerShell.Help;

/// <summary>
/// The examples in docs/help parse as PowerShell and bind: every TorchHub command in them names
/// parameters the cmdlet has, with the arguments a parameter set accepts (PowerShell's own static
/// binder, as tab completion and PSScriptAnalyzer use it). Commands from other modules are left alone.
/// </summary>
public sealed class HelpExampleTests : HubTestBase
{

    [Fact]
    public void Examples_ParseAndBind()
    {
        using var ps = new PowerShellSession();
        var problems = new List<string>();
        var bound = 0;
        foreach (var file in Directory.GetFiles(ModuleFacts.HelpFolder, "*.md"))
        {
            var page = File.ReadAllText(file);
            var examples = Path.GetFileName(file).StartsWith("about_", System.StringComparison.OrdinalIgnoreCase)
                ? CodeBlocks(page)
                : MarkdownHelpReader.Read(page, file).Examples.SelectMany(e => e.Code);
            foreach (var code in examples)
            {
                var lines = StaticBindCheck.Run(ps, code);
                bound += lines.Count(l => l.StartsWith("bound: ", System.StringComparison.Ordinal));
                problems.AddRange(lines.Where(l => !l.StartsWith("bound: ", System.StringComparison.Ordinal)).Select(l => $"{Path.GetFileName(file)}: {l}\n{code}"));
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n\n", problems));
        Assert.True(bound >= 6, $"only {bound} TorchHub commands found in the examples");
    }

    [Fact]
    public void BindCheck_CatchesAnUnknownParameter()
    {
        using var ps = new PowerShellSession();
        var lines = StaticBindCheck.Run(ps, "Set-HubDirectory -NoSuchThing 3");
        Assert.Contains(lines, l => l.StartsWith("bind: Set-HubDirectory NoSuchThing", System.StringComparison.Ordinal));
    }

    [Fact]
    public void BindCheck_ReadsPastAPrompt()
    {
        using var ps = new PowerShellSession();
        var lines = StaticBindCheck.Run(ps, "PS C:\\> Get-HubDirectory -Bogus");
        Assert.Contains("bound: Get-HubDirectory", lines);
        Assert.Contains(lines, l => l.StartsWith("bind: Get-HubDirectory Bogus", System.StringComparison.Ordinal));
    }

    [Fact]
    public void HubDirectoryExamples_WorkAsWritten()
    {
        // Run the examples that need nothing beyond the engine's own commands.
        using var ps = new PowerShellSession();
        var set = MarkdownHelpReader.ReadFile(ModuleFacts.PagePath("Set-HubDirectory"));
        var get = MarkdownHelpReader.ReadFile(ModuleFacts.PagePath("Get-HubDirectory"));
        ps.Run($"$null = $ExecutionContext.SessionState.Path.SetLocation('{Temp.Path}')").ThrowIfFailed();

        var whatIf = ps.Run(set.Examples[1].Code.Single()).ThrowIfFailed();
        Assert.Empty(whatIf.Output);
        Assert.Equal(HubDir, TorchHub.Cache.HubDirectory.Get().Path);

        var reset = ps.Run(set.Examples[2].Code.Single()).ThrowIfFailed().Objects<TorchHub.Cache.HubDirectoryInfo>().Single();
        Assert.NotEqual(TorchHub.Cache.HubDirectorySource.Set, reset.Source);

        var shown = ps.Run(get.Examples[0].Code.Single()).ThrowIfFailed().Objects<TorchHub.Cache.HubDirectoryInfo>().Single();
        Assert.Equal(reset.Path, shown.Path);
    }

    private static IEnumerable<string> CodeBlocks(string markdown) =>
        Markdig.Markdown.Parse(markdown, MarkdownHelpReader.Pipeline).Descendants<FencedCodeBlock>()
            .Where(b => b.Info is "powershell" or "pwsh" or "ps1")
            .Select(MarkdownHelpReader.CodeText);
}
