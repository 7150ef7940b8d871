using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using TorchHub.Downloads;
using TorchHub.Runtime;

namespace TorchHub;

public sealed partial class Hub
{
    /// <summary>
    /// Installs TorchSharp's native library and libtorch-cpu for this platform from a NuGet v3
    /// feed into the runtime folder (Install-HubRuntime). Already installed packages are kept.
    /// TorchSharp finds the folder at its next start in a new process.
    /// </summary>
    public HubRuntime InstallRuntime(RuntimeInstallRequest request, CancellationToken cancellationToken = default) =>
        InstallRuntimeAsync(request, cancellationToken).GetAwaiter().GetResult();

    /// <inheritdoc cref="InstallRuntime"/>
    public Task<HubRuntime> InstallRuntimeAsync(RuntimeInstallRequest request, CancellationToken cancellationToken = default) =>
        new RuntimeInstaller(Feedback, Options.Downloads ?? DownloadOptions.FromEnvironment(), new Http.RedirectFollower(Options.ResolveHttp(request.Offline)), Options.Locks!).InstallAsync(request, cancellationToken);

    /// <summary>The packages <see cref="InstallRuntimeAsync"/> would download, for -WhatIf.</summary>
    public static IReadOnlyList<RuntimePackage> PlanRuntimeInstall(RuntimeInstallRequest request, out RuntimeFolder folder) =>
        RuntimeInstaller.Plan(request, out folder, out _);

    /// <summary>What is installed in a runtime folder (null: the default one) and whether TorchSharp runs in this process (Get-HubRuntime).</summary>
    public static HubRuntime GetRuntime(string? path = null, RuntimePlatform? platform = null) =>
        HubRuntime.Read(path is { Length: > 0 } ? new RuntimeFolder(path) : RuntimeFolder.Default, platform ?? RuntimePlatform.Current);
}
