using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using TorchHub.Hubconf.CSharp;
using TorchHub.Tests.Hosting;
using Xunit;

namespace TorchHub.Tests.PowerShell;

/// <summary>
/// The README's C# blocks build against the TorchHub.Core being tested, so they use only its public API (the engine's own Roslyn,
/// in its private load context, so the hosted sessions of other tests never see a second Roslyn).
/// The statements go into a method, as top-level statements need an executable. Running the vision
/// block needs the real weights: their published hash is checked, which test weights cannot pass.
/// </summary>
public sealed class ReadmeCSharpTests
{
    [Theory]
    [InlineData("<!-- loading-csharp")]
    [InlineData("<!-- vision")]
    public void CSharpBlock_Compiles(string marker)
    {
        var readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md"));
        var start = readme.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(start >= 0, $"no '{marker}' in README.md");
        var block = Regex.Match(readme[start..], "```csharp\n(.*?)```", RegexOptions.Singleline);
        Assert.True(block.Success, $"no csharp block after '{marker}'");

        var lines = block.Groups[1].Value.Split('\n');
        var usings = lines.TakeWhile(l => l.StartsWith("using ", StringComparison.Ordinal) || l.Trim().Length == 0);
        var statements = lines.Skip(usings.Count());
        var source = string.Join('\n', usings) + "\npublic static class ReadmeExample\n{\n    public static void Run()\n    {\n"
            + string.Join('\n', statements) + "\n    }\n}\n";
        var result = RoslynToolchain.Instance.Compile(new CSharpCompileRequest("ReadmeExample", [new CSharpSource("README.md", source)],
            [typeof(Hub).Assembly.Location, typeof(TorchSharp.torch).Assembly.Location]), default);
        Assert.True(result.Image is not null, string.Join("\n", result.Diagnostics.Where(d => d.IsError)));
    }
}
