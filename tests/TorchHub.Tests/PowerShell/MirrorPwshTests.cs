using System;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;
using TorchHub.Tests.Hosting;
using TorchHub.Tests.Servers;
using Xunit;

namespace TorchHub.Tests.PowerShell;

/// <summary>
/// -Mirror and TORCHHUB_MIRRORS as a user sees them in a real pwsh: the Verbose line, the file under
/// its original name, the origin never asked, and an invalid rule stopping the command with its id.
/// </summary>
public sealed class MirrorPwshTests : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _temp = new("torchhub-mirror-pwsh");
    private FileServer _origin = null!;
    private FileServer _mirror = null!;

    public async Task InitializeAsync()
    {
        _origin = await FileServer.StartAsync();
        _mirror = await FileServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _origin.DisposeAsync();
        await _mirror.DisposeAsync();
    }

    public void Dispose() => _temp.Dispose();

    private (int Code, string Output) Pwsh(string script, string? mirrorsVariable = null)
    {
        var start = new ProcessStartInfo(PwshFactAttribute.Path!) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "-NoProfile", "-NonInteractive", "-Command", $"Import-Module '{RepoPaths.ModuleManifest}'\n{script}" })
            start.ArgumentList.Add(argument);
        start.Environment["TORCH_HOME"] = _temp.Combine("torch");
        start.Environment["POWERSHELL_TELEMETRY_OPTOUT"] = "1";
        start.Environment["TORCHHUB_MIRRORS"] = mirrorsVariable;
        start.Environment["TORCHHUB_RETRY_DELAY_MS"] = "10";
        start.Environment["GITHUB_TOKEN"] = null;
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(120_000), "pwsh did not finish in 2 minutes");
        return (process.ExitCode, output + error.Result);
    }

    [PwshFact]
    public void SaveHubFile_WithMirror_SaysSoInVerbose_AndSavesUnderTheOriginalName()
    {
        var data = FileServer.RandomBytes(50_000, seed: 3);
        var name = $"net-{FileServer.Sha256(data)[..8]}.pth";
        _mirror.Add("store/" + name, data);
        var checkpoint = Path.Combine(_temp.Combine("torch"), "hub", "checkpoints", name);

        var (code, output) = Pwsh($$"""
            $file = Save-HubFile '{{_origin.Url("models/" + name)}}' -CheckHash -Mirror @{ '{{_origin.Url("models/")}}' = '{{_mirror.Url("store/")}}' } -Verbose 4>&1 |
                ForEach-Object { if ($_ -is [System.Management.Automation.VerboseRecord]) { "VERBOSE: $($_.Message)" } else { $_ } }
            $file
            "NAME $(($file | Where-Object { $_ -isnot [string] }).Name)"
            """);

        Assert.True(code == 0, output);
        Assert.Contains($"VERBOSE: Mirror: requesting '{_origin.Url("models/" + name)}' from '{_mirror.Url("store/" + name)}'.", output);
        Assert.Contains("NAME " + name, output);
        Assert.Equal(data, File.ReadAllBytes(checkpoint));
        Assert.Empty(_origin.Requests);
    }

    [PwshFact]
    public void TorchhubMirrors_AppliesToEveryCommand_AndAnInvalidRuleStopsTheCommandWithItsId()
    {
        _mirror.Add("store/a.pth", new byte[100]);
        var (code, output) = Pwsh($"(Save-HubFile '{_origin.Url("models/a.pth")}').Length", $"{_origin.Url("models/")}={_mirror.Url("store/")}");
        Assert.True(code == 0, output);
        Assert.Equal("100", output.Trim());
        Assert.Empty(_origin.Requests);

        (code, output) = Pwsh($$"""
            try { Save-HubFile '{{_origin.Url("models/a.pth")}}' -Mirror @{ 'models/' = '{{_mirror.Url("store/")}}' } -ErrorAction Stop }
            catch { "ID $($_.FullyQualifiedErrorId)"; "MESSAGE $($_.Exception.Message)"; exit 3 }
            """);
        Assert.Equal(3, code);
        Assert.Contains("ID InvalidMirrorRule,TorchHub.PowerShell.Commands.SaveHubFileCommand", output);
        Assert.Contains("-Mirror has 'models/'", output);
        Assert.Empty(_origin.Requests);
        Assert.Single(_mirror.Requests);
    }
}
