#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# build.ps1 in real pwsh, on a copy of the script with a stand-in `dotnet` first on PATH that
# records its arguments: what each task passes to dotnet, and that Test starts the Pester runner
# in a child pwsh (also when pwsh is the .NET tool, whose process is `dotnet`). CI runs the real
# build.ps1 -Task Clean, Build, Help, Test, Package as well (.ci/run).

BeforeAll {
    $root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $copy = Join-Path $TestDrive 'repo'
    New-Item -ItemType Directory -Path (Join-Path $copy 'tests/pester'), (Join-Path $copy 'bin') -Force | Out-Null
    Copy-Item (Join-Path $root 'build.ps1') $copy
    # The runner the Test task starts: it reports where it ran and with which arguments.
    Set-Content (Join-Path $copy 'tests/pester/Invoke-PesterSuite.ps1') 'param($PesterPath) "RUNNER pwsh $($PSVersionTable.PSVersion) pester=$PesterPath" | Set-Content (Join-Path $PSScriptRoot runner.txt); exit 0'
    $log = Join-Path $TestDrive 'dotnet-args.txt'
    $fake = Join-Path $copy 'bin/dotnet'
    Set-Content $fake "#!/bin/sh`nfor a in `"`$@`"; do printf '[%s]' `"`$a`"; done >> '$log'`necho >> '$log'`n"
    chmod +x $fake

    function Invoke-Build([string] $Arguments) {
        Remove-Item $log, (Join-Path $copy 'tests/pester/runner.txt') -ErrorAction SilentlyContinue
        $pwsh = [Environment]::ProcessPath
        [string[]] $prefix = if ([IO.Path]::GetFileNameWithoutExtension($pwsh) -eq 'dotnet') { @([Reflection.Assembly]::GetEntryAssembly().Location) } else { @() }
        $env:PATH = (Join-Path $copy 'bin') + [IO.Path]::PathSeparator + $env:PATH
        try { $output = & $pwsh @prefix -NoProfile -NonInteractive -Command "& '$copy/build.ps1' $Arguments" 2>&1 }
        finally { $env:PATH = $env:PATH.Substring($env:PATH.IndexOf([IO.Path]::PathSeparator) + 1) }
        [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = ($output | Out-String); Dotnet = @(Get-Content $log -ErrorAction SilentlyContinue) }
    }
}

Describe 'build.ps1' {
    It 'Clean passes -v quiet to dotnet (not to PowerShell''s -Verbose)' {
        $result = Invoke-Build '-Task Clean'
        $result.ExitCode | Should -Be 0 -Because $result.Output
        $result.Dotnet | Should -Contain "[clean][$copy/TorchHub.sln][-c][Release][--nologo][-v][quiet]"
    }

    It 'Help and Package pass -- and -t:PackModule through whole' {
        New-Item -ItemType Directory (Join-Path $copy 'out/packages') -Force | Out-Null   # where the real dotnet would write the package
        $result = Invoke-Build '-Task Help, Package'
        $result.ExitCode | Should -Be 0 -Because $result.Output
        $result.Dotnet | Should -Contain "[run][--project][$copy/tools/TorchHub.HelpBuilder][-c][Release][--][help][--docs][$copy/docs/help][--module][$copy/out/TorchHub]"
        $result.Dotnet | Should -Contain "[build][$copy/tools/TorchHub.HelpBuilder][-c][Release][--nologo][-t:PackModule][-p:IncludeNative=false]"
    }

    It 'Package -Runtime chooses the platform of the precompiled code and says it' {
        New-Item -ItemType Directory (Join-Path $copy 'out/packages') -Force | Out-Null
        $portable = Invoke-Build '-Task Build, Package -Runtime portable'
        $portable.ExitCode | Should -Be 0 -Because $portable.Output
        $portable.Dotnet | Should -Contain "[build][$copy/tools/TorchHub.HelpBuilder][-c][Release][--nologo][-p:TorchHubReadyToRun=false]"
        $portable.Dotnet | Should -Contain "[build][$copy/tools/TorchHub.HelpBuilder][-c][Release][--nologo][-t:PackModule][-p:IncludeNative=false][-p:TorchHubReadyToRun=false]"
        $portable.Output | Should -Match 'Package for every platform'

        $windows = Invoke-Build '-Task Package -Runtime win-x64'
        $windows.ExitCode | Should -Be 0 -Because $windows.Output
        $windows.Dotnet | Should -Contain "[build][$copy/tools/TorchHub.HelpBuilder][-c][Release][--nologo][-t:PackModule][-p:IncludeNative=false][-p:TorchHubRuntime=win-x64]"
        $windows.Output | Should -Match 'Package for win-x64 only'

        $default = Invoke-Build '-Task Package'
        $default.Output | Should -Match "this machine's platform only"

        $bad = Invoke-Build '-Task Package -Runtime "x;rm"'
        $bad.ExitCode | Should -Not -Be 0
        $bad.Dotnet | Should -BeNullOrEmpty
    }

    It 'Test runs dotnet test, then the Pester runner in a child pwsh' {
        $result = Invoke-Build '-Task Test -PesterPath /p/Pester.psd1'
        $result.ExitCode | Should -Be 0 -Because $result.Output
        $result.Dotnet | Should -Contain "[test][$copy/TorchHub.sln][-c][Release][--nologo]"
        Get-Content (Join-Path $copy 'tests/pester/runner.txt') | Should -Be "RUNNER pwsh $($PSVersionTable.PSVersion) pester=/p/Pester.psd1"
    }

    It 'Test -SkipDotnetTest runs only the Pester runner' {
        $result = Invoke-Build '-Task Test -SkipDotnetTest'
        $result.ExitCode | Should -Be 0 -Because $result.Output
        $result.Dotnet | Should -BeNullOrEmpty
        Join-Path $copy 'tests/pester/runner.txt' | Should -Exist
    }

    It 'fails when the Pester runner reports failures' {
        Set-Content (Join-Path $copy 'tests/pester/Invoke-PesterSuite.ps1') 'exit 3'
        $result = Invoke-Build '-Task Test -SkipDotnetTest'
        $result.ExitCode | Should -Not -Be 0
        $result.Output | Should -Match 'Pester: 3 failed test'
    }
}
