using System.Collections.Generic;
using System.Linq;

namespace TorchHub.Tests.Hosting;

/// <summary>
/// Parses PowerShell code and binds every TorchHub command in it statically
/// (StaticParameterBinder), without running anything: how help examples and Pester specs are
/// kept in step with the cmdlets. Returns "bound: Name" per command found, and "parse: ..." /
/// "bind: Name Parameter ..." per problem.
/// </summary>
public static class StaticBindCheck
{
    private const string Script = """
        param($Code)
        # PlatyPS pages often show a prompt before each command ('PS C:\> Get-Thing'); drop it.
        $Code = $Code -replace '(?m)^PS [^>\r\n]*> ', ''
        $tokens = $null; $errors = $null
        $ast = [System.Management.Automation.Language.Parser]::ParseInput($Code, [ref]$tokens, [ref]$errors)
        foreach ($e in $errors) { "parse: $($e.Message) at line $($e.Extent.StartLineNumber)" }
        # The module's names once: a Get-Command per command in the code (Pester's It, Should, ...)
        # searched every module on PSModulePath, which took minutes on a busy machine.
        $torchHub = @{}
        foreach ($info in Get-Command -Module TorchHub) { $torchHub[$info.Name] = $true }
        $commands = $ast.FindAll({ param($a) $a -is [System.Management.Automation.Language.CommandAst] }, $true)
        foreach ($command in $commands) {
            $name = $command.GetCommandName()
            if (-not $name -or -not $torchHub.ContainsKey($name)) { continue }
            "bound: $name"
            $binding = [System.Management.Automation.Language.StaticParameterBinder]::BindCommand($command, $true)
            foreach ($key in $binding.BindingExceptions.Keys) {
                "bind: $name $key at line $($command.Extent.StartLineNumber): $($binding.BindingExceptions[$key].BindingException.Message)"
            }
        }
        """;

    /// <summary>Runs the check on <paramref name="code"/> in a session that has TorchHub imported.</summary>
    public static List<string> Run(PowerShellSession ps, string code) =>
        ps.Run($"& {{ {Script} }} -Code $code", new Dictionary<string, object?> { ["code"] = code })
            .ThrowIfFailed().Output.Select(o => o.ToString()).ToList();
}
