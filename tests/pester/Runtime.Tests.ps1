#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Install-HubRuntime and Get-HubRuntime in real pwsh (the engine against a NuGet feed stand-in:
# tests/TorchHub.Tests/Engine/Runtime), and a session whose TorchSharp start failed.

BeforeAll {
    $root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    Import-Module (Join-Path $root 'out/TorchHub/TorchHub.psd1') -Force

    function Invoke-ChildPwsh([string] $Command, [hashtable] $Environment = @{}) {
        $pwsh = [Environment]::ProcessPath
        [string[]] $prefix = if ([IO.Path]::GetFileNameWithoutExtension($pwsh) -eq 'dotnet') { @([Reflection.Assembly]::GetEntryAssembly().Location) } else { @() }
        $start = [Diagnostics.ProcessStartInfo]::new($pwsh)
        foreach ($a in $prefix + @('-NoProfile', '-NonInteractive', '-Command', $Command)) { $start.ArgumentList.Add($a) }
        $start.RedirectStandardOutput = $true
        $start.RedirectStandardError = $true
        $start.WorkingDirectory = $root
        foreach ($key in $Environment.Keys) { $start.Environment[$key] = $Environment[$key] }
        $process = [Diagnostics.Process]::Start($start)
        $stderr = $process.StandardError.ReadToEndAsync()
        $stdout = $process.StandardOutput.ReadToEnd()
        $process.WaitForExit()
        [pscustomobject]@{ ExitCode = $process.ExitCode; Output = $stdout; Errors = $stderr.Result }
    }
}

Describe 'Get-HubRuntime' {
    It 'reports an empty folder as Missing, package by package' {
        $runtime = Get-HubRuntime -Path (Join-Path $TestDrive 'empty')
        # Loaded when an earlier spec in this session started TorchSharp (from the NuGet cache).
        $runtime.Status | Should -BeIn 'Missing', 'Loaded'
        $runtime.Installed | Should -BeFalse
        $runtime.Platform | Should -Be 'linux-x64'
        $runtime.Packages.Id | Should -Be @('TorchSharp', 'libtorch-cpu-linux-x64')
        $text = $runtime | Out-String -Width 200
        $text | Should -Match 'Status\s+: (Missing|Loaded)'
        $text | Should -Match 'TorchSharp 0\.107\.0 \(missing\), libtorch-cpu-linux-x64 2\.10\.0 \(missing\)'
    }

    It 'reads TORCHHUB_RUNTIME when no -Path is given' {
        $env:TORCHHUB_RUNTIME = Join-Path $TestDrive 'admin'
        try { (Get-HubRuntime).Path | Should -Be (Join-Path $TestDrive 'admin') }
        finally { Remove-Item Env:TORCHHUB_RUNTIME }
    }
}

Describe 'Install-HubRuntime' {
    It 'with -WhatIf names the packages and changes nothing' {
        $folder = Join-Path $TestDrive 'whatif'
        $result = Invoke-ChildPwsh "Import-Module ./out/TorchHub/TorchHub.psd1; Install-HubRuntime -Path '$folder' -WhatIf"
        $result.Output | Should -Match 'What if: .*Install TorchSharp 0\.107\.0, libtorch-cpu-linux-x64 2\.10\.0'
        $folder | Should -Not -Exist
    }

    It 'offline and not installed is OfflineCacheMiss' {
        { Install-HubRuntime -Path (Join-Path $TestDrive 'offline') -Offline -ErrorAction Stop } |
            Should -Throw -ErrorId 'OfflineCacheMiss,TorchHub.PowerShell.Commands.InstallHubRuntimeCommand'
    }

    It 'a feed that is down is RuntimeFeedUnavailable, with the remedy shown once' {
        $err = $null
        try { Install-HubRuntime -Path (Join-Path $TestDrive 'down') -Source 'http://127.0.0.1:9/v3/index.json' -ErrorAction Stop }
        catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Be 'RuntimeFeedUnavailable,TorchHub.PowerShell.Commands.InstallHubRuntimeCommand'
        $err.CategoryInfo.Category | Should -Be 'ConnectionError'
        $err.ErrorDetails.RecommendedAction | Should -Match 'TORCHHUB_RUNTIME_FEED'
        $err.Exception.Message | Should -Not -Match 'TORCHHUB_RUNTIME_FEED'
    }
}

Describe 'A session whose TorchSharp start failed' {
    It 'refuses with TorchSharpStartFailed instead of crashing when the fix is applied in the same session' {
        $empty = Join-Path $TestDrive 'no-libtorch'
        New-Item -ItemType Directory $empty | Out-Null
        # The issue's sequence: no libtorch, Import-HubModel fails, TorchSharp used directly fails,
        # the environment is fixed, Import-HubModel again (which used to end pwsh with exit 139).
        $script = @"
`$env:NUGET_PACKAGES = '$empty'; `$env:TORCHHUB_RUNTIME = '$empty'
Import-Module ./out/TorchHub/TorchHub.psd1
try { Import-HubModel -Path ./examples/tiny-hub -Name tiny -ErrorAction Stop } catch { "FIRST `$(`$_.FullyQualifiedErrorId)" }
try { [TorchSharp.torch]::ones(1, 4) } catch { 'DIRECT failed' }
Remove-Item Env:NUGET_PACKAGES, Env:TORCHHUB_RUNTIME
try { Import-HubModel -Path ./examples/tiny-hub -Name tiny -ErrorAction Stop } catch { "AGAIN `$(`$_.FullyQualifiedErrorId) `$(`$_.ErrorDetails.RecommendedAction)" }
"STATUS `$((Get-HubRuntime).Status)"
"@
        $result = Invoke-ChildPwsh $script
        $result.ExitCode | Should -Be 0
        $result.Output | Should -Match 'FIRST TorchSharpUnavailable,'
        $result.Output | Should -Match 'DIRECT failed'
        $result.Output | Should -Match 'AGAIN TorchSharpStartFailed,TorchHub.PowerShell.Commands.ImportHubModelCommand Start a new PowerShell session'
        $result.Output | Should -Match 'STATUS Failed'
    }
}
