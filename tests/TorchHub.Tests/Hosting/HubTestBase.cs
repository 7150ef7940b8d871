using System;
using System.Collections.Generic;
using TorchHub.Cache;

namespace TorchHub.Tests.Hosting;

/// <summary>
/// Base for tests that use a hub directory: each test gets a fresh one (set process-wide, as
/// Set-HubDirectory does) and environment variables it changes through <see cref="SetEnvironment"/>
/// are restored afterwards.
/// </summary>
public abstract class HubTestBase : IDisposable
{
    private readonly Dictionary<string, string?> _savedEnvironment = new();

    protected HubTestBase()
    {
        Temp = new TempDirectory();
        HubDir = Temp.Combine("hub");
        HubDirectory.Set(HubDir);
    }

    protected TempDirectory Temp { get; }

    /// <summary>This test's hub directory (not created until something is written).</summary>
    protected string HubDir { get; }

    protected void SetEnvironment(string name, string? value)
    {
        if (!_savedEnvironment.ContainsKey(name))
            _savedEnvironment[name] = Environment.GetEnvironmentVariable(name);
        Environment.SetEnvironmentVariable(name, value);
    }

    public virtual void Dispose()
    {
        foreach (var (name, value) in _savedEnvironment)
            Environment.SetEnvironmentVariable(name, value);
        HubDirectory.Set(null);
        Temp.Dispose();
        GC.SuppressFinalize(this);
    }
}
