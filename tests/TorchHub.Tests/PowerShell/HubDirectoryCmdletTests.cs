using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using TorchHub.Cache;
using TorchHub.Tests.Hosting;
using Xunit;

namespace TorchHub.Tests.PowerShell;

public sealed class HubDirectoryCmdletTests : HubTestBase
{
    [Fact]
    public void GetHubDirectory_ReturnsTheSetPathAndItsSource()
    {
        using var ps = new PowerShellSession();
        var info = ps.Run("Get-HubDirectory").ThrowIfFailed().Objects<HubDirectoryInfo>().Single();
        Assert.Equal(HubDir, info.Path);
        Assert.Equal(HubDirectorySource.Set, info.Source);
        Assert.False(Directory.Exists(HubDir)); // nothing created by asking
    }

    [Fact]
    public void GetHubDirectory_SaysHowTheFolderIsLocked_AndTORCHHUB_LOCK_ForcesTheLockFiles()
    {
        using var ps = new PowerShellSession();
        SetEnvironment(LockOptions.StrategyVariable, null);
        Assert.Equal(LockStrategy.Kernel, ps.Run("Get-HubDirectory").ThrowIfFailed().Objects<HubDirectoryInfo>().Single().LockStrategy); // a local disk

        SetEnvironment(LockOptions.StrategyVariable, "File");
        SetEnvironment(LockOptions.StaleAfterVariable, "12.5");
        Assert.Equal(LockStrategy.File, ps.Run("Get-HubDirectory").ThrowIfFailed().Objects<HubDirectoryInfo>().Single().LockStrategy);
        Assert.Equal(new LockOptions { Strategy = LockStrategy.File, StaleAfter = TimeSpan.FromSeconds(12.5) }, HubOptions.FromEnvironment().Locks);
        var verbose = ps.Run($"Set-HubDirectory '{HubDir}' -Verbose").ThrowIfFailed().Verbose;
        Assert.Contains(verbose, v => v == $"The hub directory is now '{HubDir}' (Set, File lock).");

        foreach (var (name, value) in new[] { (LockOptions.StrategyVariable, "nfs"), (LockOptions.StrategyVariable, "2"), (LockOptions.StaleAfterVariable, "soon") })
        {
            SetEnvironment(LockOptions.StrategyVariable, name == LockOptions.StrategyVariable ? value : "auto");
            SetEnvironment(LockOptions.StaleAfterVariable, name == LockOptions.StaleAfterVariable ? value : null);
            var error = ps.Run("Get-HubDirectory").AllErrors.Single();
            Assert.Equal("InvalidLockSetting,TorchHub.PowerShell.Commands.GetHubDirectoryCommand", error.FullyQualifiedErrorId);
            Assert.Contains($"{name} is '{value}'", error.Exception.Message);
            Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        }
    }

    [Fact]
    public void Resolution_FollowsTorchOrder_AndReadsEnvironmentAtEachCall()
    {
        using var ps = new PowerShellSession();
        ps.Run("Set-HubDirectory -UseDefault").ThrowIfFailed();
        var torchHome = Temp.Combine("torch-home");
        var xdg = Temp.Combine("xdg");

        SetEnvironment("TORCH_HOME", torchHome);
        SetEnvironment("XDG_CACHE_HOME", xdg);
        var first = ps.Run("Get-HubDirectory").ThrowIfFailed().Objects<HubDirectoryInfo>().Single();
        Assert.Equal(Path.Combine(torchHome, "hub"), first.Path);
        Assert.Equal(HubDirectorySource.TorchHome, first.Source);

        ps.Run("$env:TORCH_HOME = $null").ThrowIfFailed();
        var second = ps.Run("Get-HubDirectory").ThrowIfFailed().Objects<HubDirectoryInfo>().Single();
        Assert.Equal(Path.Combine(xdg, "torch", "hub"), second.Path);
        Assert.Equal(HubDirectorySource.XdgCacheHome, second.Source);

        SetEnvironment("XDG_CACHE_HOME", null);
        SetEnvironment("HOME", Temp.Combine("home"));
        var third = ps.Run("Get-HubDirectory").ThrowIfFailed().Objects<HubDirectoryInfo>().Single();
        Assert.Equal(Path.Combine(Temp.Combine("home"), ".cache", "torch", "hub"), third.Path);
        Assert.Equal(HubDirectorySource.Default, third.Source);
    }

    [Fact]
    public void TildeInTorchHome_IsExpanded()
    {
        using var ps = new PowerShellSession();
        ps.Run("Set-HubDirectory -UseDefault").ThrowIfFailed();
        SetEnvironment("HOME", Temp.Combine("home"));
        SetEnvironment("TORCH_HOME", "~/th");
        var info = ps.Run("Get-HubDirectory").ThrowIfFailed().Objects<HubDirectoryInfo>().Single();
        Assert.Equal(Path.Combine(Temp.Combine("home"), "th", "hub"), info.Path);
    }

    [Fact]
    public void SetHubDirectory_ResolvesRelativePathAgainstPowerShellLocation()
    {
        using var ps = new PowerShellSession();
        var result = ps.Run($"$null = $ExecutionContext.SessionState.Path.SetLocation('{Temp.Path}'); Set-HubDirectory ./relative-hub -PassThru").ThrowIfFailed();
        var info = result.Objects<HubDirectoryInfo>().Single();
        Assert.Equal(Temp.Combine("relative-hub"), info.Path);
        Assert.Equal(Temp.Combine("relative-hub"), HubDirectory.Get().Path); // process-wide
        Assert.False(Directory.Exists(info.Path));
    }

    [Fact]
    public void SetHubDirectory_ExpandsTilde()
    {
        using var ps = new PowerShellSession();
        SetEnvironment("HOME", Temp.Combine("home"));
        var info = ps.Run("Set-HubDirectory '~/hub' -PassThru").ThrowIfFailed().Objects<HubDirectoryInfo>().Single();
        Assert.Equal(Path.Combine(Temp.Combine("home"), "hub"), info.Path);
    }

    [Fact]
    public void SetHubDirectory_WhatIf_ChangesNothing()
    {
        using var ps = new PowerShellSession();
        var result = ps.Run($"Set-HubDirectory '{Temp.Combine("other")}' -WhatIf -PassThru").ThrowIfFailed();
        Assert.Empty(result.Output);
        Assert.Equal(HubDir, HubDirectory.Get().Path);
    }

    [Fact]
    public void SetHubDirectory_WithoutPassThru_WritesNothing()
    {
        using var ps = new PowerShellSession();
        var result = ps.Run($"Set-HubDirectory '{Temp.Combine("other")}'").ThrowIfFailed();
        Assert.Empty(result.Output);
        Assert.Equal(Temp.Combine("other"), HubDirectory.Get().Path);
    }

    [Fact]
    public void SetHubDirectory_UseDefault_ReturnsToEnvironmentResolution()
    {
        using var ps = new PowerShellSession();
        SetEnvironment("TORCH_HOME", Temp.Combine("th"));
        var info = ps.Run("Set-HubDirectory -UseDefault -PassThru").ThrowIfFailed().Objects<HubDirectoryInfo>().Single();
        Assert.Equal(HubDirectorySource.TorchHome, info.Source);
    }

    [Fact]
    public void SetHubDirectory_ToAFile_IsAClearError()
    {
        var file = Temp.Write("a-file", "x");
        using var ps = new PowerShellSession();
        var result = ps.Run($"Set-HubDirectory '{file}'");
        var error = Assert.Single(result.AllErrors);
        Assert.Equal("InvalidHubDirectory,TorchHub.PowerShell.Commands.SetHubDirectoryCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Equal(HubDir, HubDirectory.Get().Path);
    }

    [Fact]
    public void SetHubDirectory_AcceptsPipedDirectoryObject()
    {
        using var ps = new PowerShellSession();
        var target = Temp.Combine("piped");
        Directory.CreateDirectory(target);
        ps.Run($"[System.IO.DirectoryInfo]::new('{target}') | ForEach-Object {{ $_.FullName }} | Set-HubDirectory").ThrowIfFailed();
        Assert.Equal(target, HubDirectory.Get().Path);
    }
}
