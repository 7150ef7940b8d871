using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace TorchHub.Tests.Hosting;

/// <summary>
/// A real PowerShell 7.6 engine hosted in-process with the built TorchHub module imported,
/// as a user's pwsh would have it. <see cref="Run"/> executes a script and returns every stream.
/// </summary>
public sealed class PowerShellSession : IDisposable
{
    private readonly Runspace _runspace;

    /// <param name="host">A host that answers prompts; null runs without one (non-interactive).</param>
    /// <param name="importModule">Import out/TorchHub/TorchHub.psd1 first.</param>
    public PowerShellSession(TestHost? host = null, bool importModule = true)
    {
        Host = host;
        var iss = InitialSessionState.CreateDefault2();
        _runspace = host is null ? RunspaceFactory.CreateRunspace(iss) : RunspaceFactory.CreateRunspace(host, iss);
        _runspace.Open();
        if (importModule)
            Run($"Import-Module '{RepoPaths.ModuleManifest}' -ErrorAction Stop").ThrowIfFailed();
    }

    public TestHost? Host { get; }

    public Runspace Runspace => _runspace;

    /// <summary>Runs a script; <paramref name="variables"/> become PowerShell variables first.</summary>
    public PowerShellResult Run(string script, IDictionary<string, object?>? variables = null)
    {
        using var ps = System.Management.Automation.PowerShell.Create();
        ps.Runspace = _runspace;
        if (variables is not null)
        {
            foreach (var (name, value) in variables)
                _runspace.SessionStateProxy.SetVariable(name, value);
        }
        ps.AddScript(script);

        var result = new PowerShellResult();
        try
        {
            result.Output.AddRange(ps.Invoke());
        }
        catch (RuntimeException ex)
        {
            result.TerminatingError = ex.ErrorRecord;
        }
        result.Errors.AddRange(ps.Streams.Error);
        result.Warnings.AddRange(ps.Streams.Warning.Select(w => w.Message));
        result.Verbose.AddRange(ps.Streams.Verbose.Select(v => v.Message));
        result.Progress.AddRange(ps.Streams.Progress);
        result.Information.AddRange(ps.Streams.Information.Select(i => i.MessageData?.ToString() ?? ""));
        return result;
    }

    public void Dispose() => _runspace.Dispose();
}

/// <summary>Everything one script run produced.</summary>
public sealed class PowerShellResult
{
    public List<PSObject> Output { get; } = new();
    public List<ErrorRecord> Errors { get; } = new();
    public List<string> Warnings { get; } = new();
    public List<string> Verbose { get; } = new();
    public List<ProgressRecord> Progress { get; } = new();
    public List<string> Information { get; } = new();

    /// <summary>The error that stopped the script, if any (a terminating error or -ErrorAction Stop).</summary>
    public ErrorRecord? TerminatingError { get; set; }

    /// <summary>All errors: the terminating one first, then the non-terminating ones.</summary>
    public IEnumerable<ErrorRecord> AllErrors =>
        TerminatingError is null ? Errors : new[] { TerminatingError }.Concat(Errors);

    public bool Succeeded => TerminatingError is null && Errors.Count == 0;

    /// <summary>Output base objects cast to T.</summary>
    public List<T> Objects<T>() => Output.Select(o => (T)o.BaseObject).ToList();

    public PowerShellResult ThrowIfFailed()
    {
        var first = AllErrors.FirstOrDefault();
        if (first is not null)
            throw new InvalidOperationException($"PowerShell failed: {first.FullyQualifiedErrorId}: {first.Exception?.Message}\n{first.ScriptStackTrace}");
        return this;
    }
}
