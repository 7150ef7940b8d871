using System.IO;
using System.Linq;
using System.Xml.Linq;
using TorchHub.HelpBuilder;
using TorchHub.Tests.Hosting;
using Xunit;

namespace TorchHub.Tests.Tools;

/// <summary>The Markdown-to-MAML converter on the PlatyPS shapes that pages by other authors will use.</summary>
public sealed class HelpBuilderTests
{
    private const string Page = """
        ---
        external help file: TorchHub.PowerShell.dll-Help.xml
        Module Name: TorchHub
        online version: https://example.test/Get-Thing.md
        schema: 2.0.0
        ---

        # Get-Thing

        ## SYNOPSIS
        Gets a thing.

        ## SYNTAX

        ### ByName (Default)
        ```
        Get-Thing [-Name] <String[]> [<CommonParameters>]
        ```

        ### ByPath
        ```
        Get-Thing -Path <String> [<CommonParameters>]
        ```

        ## DESCRIPTION
        First paragraph
        continues here.

        - one
        - two with `code`

        ## EXAMPLES

        ### Example 1: Two steps
        ```powershell
        $x = Get-Thing a
        ```

        ```powershell
        $x | Get-Thing
        ```

        The first remark.

        The second remark.

        ## PARAMETERS

        ### -Name
        Names, with [a link](https://example.test).

        ```yaml
        Type: String[]
        Parameter Sets: ByName
        Aliases: N

        Required: True
        Position: 0
        Default value: None
        Accept pipeline input: True (ByValue)
        Accept wildcard characters: True
        ```

        ### -Path
        A path.

        ```yaml
        Type: String
        Parameter Sets: ByPath
        Aliases:

        Required: True
        Position: Named
        Default value: None
        Accept pipeline input: False
        Accept wildcard characters: False
        ```

        ### CommonParameters
        Common.

        ## INPUTS

        ### System.String[]
        Names.

        ## OUTPUTS

        ### Thing
        A thing.

        ## NOTES
        A note.

        ## RELATED LINKS

        [Set-Thing](Set-Thing.md)

        [Online](https://example.test/online)
        """;

    [Fact]
    public void Reader_FollowsTheSchema()
    {
        var help = MarkdownHelpReader.Read(Page);
        Assert.Equal("Get-Thing", help.Name);
        Assert.Equal("https://example.test/Get-Thing.md", help.OnlineVersion);
        Assert.Equal("Gets a thing.", help.Synopsis);
        Assert.Equal(["First paragraph continues here.", "- one", "- two with `code`"], help.Description);
        Assert.Equal(["ByName", "ByPath"], help.SyntaxSets);

        var example = Assert.Single(help.Examples);
        Assert.Equal("Example 1: Two steps", example.Title);
        Assert.Equal(["$x = Get-Thing a", "$x | Get-Thing"], example.Code);
        Assert.Equal(["The first remark.", "The second remark."], example.Remarks);

        var name = help.Parameters[0];
        Assert.Equal(("Name", "String[]", true, "0", true, "True (ByValue)"), (name.Name, name.Type, name.Required, name.Position, name.Globbing, name.PipelineInput));
        Assert.Equal(["N"], name.Aliases);
        Assert.Equal(["ByName"], name.ParameterSets);
        Assert.Equal(["Names, with a link."], name.Description);
        Assert.Empty(help.Parameters[1].Aliases);
        Assert.True(help.SupportsCommonParameters);
        Assert.Equal("System.String[]", Assert.Single(help.Inputs).TypeName);
        Assert.Equal("Thing", Assert.Single(help.Outputs).TypeName);
        Assert.Equal(["A note."], help.Notes);
        Assert.Equal([new LinkHelp("Set-Thing", ""), new LinkHelp("Online", "https://example.test/online")], help.Links);
    }

    [Fact]
    public void Maml_KeepsCodeApartFromRemarks_AndBuildsSyntaxPerSet()
    {
        using var temp = new TempDirectory();
        var path = Path.Combine(temp.Path, "help.xml");
        MamlWriter.Write([MarkdownHelpReader.Read(Page)], path);
        var doc = XDocument.Load(path);
        XNamespace command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
        XNamespace maml = "http://schemas.microsoft.com/maml/2004/10";
        XNamespace dev = "http://schemas.microsoft.com/maml/dev/2004/10";

        var example = doc.Descendants(command + "example").Single();
        Assert.Equal("$x = Get-Thing a\n\n$x | Get-Thing", example.Element(dev + "code")!.Value);
        Assert.Equal(["The first remark.", "The second remark.", ""], example.Element(dev + "remarks")!.Elements(maml + "para").Select(p => p.Value));

        var syntax = doc.Descendants(command + "syntaxItem").Select(s => string.Join(",", s.Elements(command + "parameter").Select(p => p.Element(maml + "name")!.Value))).ToList();
        Assert.Equal(["Name", "Path"], syntax);
        var name = doc.Descendants(command + "parameters").Single().Elements(command + "parameter").First();
        Assert.Equal(("true", "0", "N", "true"), (name.Attribute("required")!.Value, name.Attribute("position")!.Value, name.Attribute("aliases")!.Value, name.Attribute("globbing")!.Value));
        Assert.Equal("Online Version:", doc.Descendants(maml + "linkText").First().Value);
    }

    [Fact]
    public void AboutTopic_WrapsTextAndAlignsNarrowTables()
    {
        var text = AboutTopicWriter.Convert("""
            # about_Thing

            ## SHORT DESCRIPTION
            Short.

            ## LONG DESCRIPTION
            A long paragraph that goes on and on, well past the eighty columns a console help topic should keep to, so it wraps.

            | a | b |
            | --- | --- |
            | x | yy |

            ```powershell
            Get-Thing
            ```
            """);
        var lines = text.Replace("\r", "").Split('\n');
        Assert.Equal(["TOPIC", "    about_Thing"], lines[..2]);
        Assert.Contains("SHORT DESCRIPTION", lines);
        Assert.All(lines, l => Assert.True(l.Length <= 80, l));
        Assert.Contains("    a  b", lines);
        Assert.Contains("    -  --", lines);
        Assert.Contains("    x  yy", lines);
        Assert.Contains("        Get-Thing", lines);
    }
}
