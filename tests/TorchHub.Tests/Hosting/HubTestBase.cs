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

    /// <summary>
    /// Points GitHub requests at a stand-in: its API and web roots, no token, online, no HTTP
    /// timeout override, and 10 ms retry delays so fault tests stay fast.
    /// </summary>
    protected void UseGitHubStandIn(Servers.GitHubStandIn server)
    {
        SetEnvironment("GITHUB_API_URL", server.ApiUrl.ToString());
        SetEnvironment("GITHUB_SERVER_URL", server.WebUrl.ToString());
        SetEnvironment("GITHUB_TOKEN", null);
        SetEnvironment("TORCHHUB_OFFLINE", null);
        SetEnvironment("TORCHHUB_HTTP_TIMEOUT", null);
        SetEnvironment("TORCHHUB_RETRY_DELAY_MS", "10");
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
