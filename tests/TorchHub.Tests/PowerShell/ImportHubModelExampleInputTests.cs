using System.IO;
using System.Linq;
using System.Management.Automation;
using TorchHub.Tests.Engine.Models.Python;
using TorchHub.Tests.Hosting;
using Xunit;
using static TorchSharp.torch;

namespace TorchHub.Tests.PowerShell;

/// <summary>
/// Import-HubModel -ExampleInput: the input torch.jit.trace runs on when a hubconf.py model cannot
/// be scripted. The repository is the smallest such model: its forward calls a lambda attribute,
/// which torch.jit.script cannot compile and torch.jit.trace records as the tensor operations it runs.
/// </summary>
public sealed class ImportHubModelExampleInputTests : PythonRouteTestBase
{
    private const string Cmd = ",TorchHub.PowerShell.Commands.ImportHubModelCommand";

    private readonly string _repo;

    public ImportHubModelExampleInputTests()
    {
        Temp.Write("traceable/hubconf.py", string.Join('\n',
            "dependencies = ['torch']",
            "import torch",
            "from torch import nn",
            "class Doubled(nn.Module):",
            "    def __init__(self):",
            "        super().__init__()",
            "        self.lin = nn.Linear(4, 3)",
            "        self.activation = lambda t: torch.relu(t) * 2",
            "    def forward(self, x):",
            "        return self.activation(self.lin(x))",
            "def traced_only():",
            "    torch.manual_seed(7)",
            "    return Doubled().eval()",
            ""));
        _repo = Temp.Combine("traceable");
    }

    [Fact]
    public void WithoutExampleInput_TheErrorNamesTheScriptStep_AndSuggestsExampleInput()
    {
        using var ps = new PowerShellSession();
        var error = Assert.Single(ps.Run($"Import-HubModel -Path '{_repo}' -Name traced_only").AllErrors);
        Assert.Equal("PythonScriptFailed" + Cmd, error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidResult, error.CategoryInfo.Category);
        Assert.Contains("failed at step 'script'", error.Exception.Message);
        Assert.Contains("no example input was given", error.Exception.Message);
        Assert.Contains("-ExampleInput 1,3,224,224", error.ErrorDetails.RecommendedAction);
        Assert.Empty(Directory.Exists(Path.Combine(HubDir, ".torchhub", "exports"))
            ? Directory.GetFiles(Path.Combine(HubDir, ".torchhub", "exports"), "*.pt", SearchOption.AllDirectories)
            : []);
    }

    [Theory]
    [InlineData("2,4")]                                                 // a shape: a random float32 input
    [InlineData("'2x4'")]                                               // a shape as text
    [InlineData("([TorchSharp.torch]::zeros([long[]](5, 4)))")]         // a tensor (tracing does not fix the batch size)
    public void WithExampleInput_TheModelIsTraced_AndGivesPyTorchsEagerOutput(string example)
    {
        using var ps = new PowerShellSession();
        var r = ps.Run($"Import-HubModel -Path '{_repo}' -Name traced_only -ExampleInput {example} -Verbose").ThrowIfFailed();
        var module = Assert.IsType<jit.ScriptModule>(Assert.Single(r.Output).BaseObject);
        Assert.Contains(r.Verbose, v => v.Contains("with torch.jit.trace"));
        AssertClose(Eager(_repo, "traced_only"), (Tensor)module.call(Input()));
    }

    [Fact]
    public void SameShapeAgain_TakesTheExportFromTheCache()
    {
        using var ps = new PowerShellSession();
        ps.Run($"Import-HubModel -Path '{_repo}' -Name traced_only -ExampleInput 1,4").ThrowIfFailed();
        var r = ps.Run($"Import-HubModel -Path '{_repo}' -Name traced_only -ExampleInput 1,4 -Verbose").ThrowIfFailed();
        Assert.Contains(r.Verbose, v => v.Contains("taken from the export cache"));
    }

    [Theory]
    [InlineData("0,4", "not valid")]
    [InlineData("'two,four'", "takes shapes")]
    [InlineData("([System.DateTime]::UnixEpoch)", "takes shapes")]
    [InlineData("100000,100000", "elements")]
    public void InvalidExampleInput_IsRefusedBeforePythonRuns(string example, string message)
    {
        using var ps = new PowerShellSession();
        var error = Assert.Single(ps.Run($"Import-HubModel -Path '{_repo}' -Name traced_only -ExampleInput {example}").AllErrors);
        Assert.Equal("InvalidExampleInput" + Cmd, error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Contains(message, error.Exception.Message);
        Assert.False(Directory.Exists(Path.Combine(HubDir, ".torchhub", "exports")));
    }
}
