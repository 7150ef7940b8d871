#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Mirrors tests/TorchHub.Tests/PowerShell/HubDirectoryCmdletTests.cs for a real pwsh 7.4+.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../out/TorchHub/TorchHub.psd1') -Force
}

Describe 'Get-HubDirectory' {
    BeforeEach {
        $saved = @{ TORCH_HOME = $env:TORCH_HOME; XDG_CACHE_HOME = $env:XDG_CACHE_HOME; HOME = $env:HOME }
        Set-HubDirectory -UseDefault
    }
    AfterEach {
        $env:TORCH_HOME = $saved.TORCH_HOME
        $env:XDG_CACHE_HOME = $saved.XDG_CACHE_HOME
        $env:HOME = $saved.HOME
        Set-HubDirectory -UseDefault
    }

    It 'uses $env:TORCH_HOME/hub first' {
        $env:TORCH_HOME = Join-Path $TestDrive 'th'
        $env:XDG_CACHE_HOME = Join-Path $TestDrive 'xdg'
        $info = Get-HubDirectory
        $info.Path | Should -Be (Join-Path $TestDrive 'th' 'hub')
        $info.Source | Should -Be 'TorchHome'
    }

    It 'falls back to $env:XDG_CACHE_HOME/torch/hub' {
        $env:TORCH_HOME = $null
        $env:XDG_CACHE_HOME = Join-Path $TestDrive 'xdg'
        $info = Get-HubDirectory
        $info.Path | Should -Be (Join-Path $TestDrive 'xdg' 'torch' 'hub')
        $info.Source | Should -Be 'XdgCacheHome'
    }

    It 'expands ~ in TORCH_HOME' -Skip:$IsWindows {
        $env:HOME = Join-Path $TestDrive 'home'
        $env:TORCH_HOME = '~/th'
        (Get-HubDirectory).Path | Should -Be (Join-Path $TestDrive 'home' 'th' 'hub')
    }

    It 'says how the folder is locked, and TORCHHUB_LOCK forces lock files' {
        $savedLock = $env:TORCHHUB_LOCK
        try {
            $env:TORCH_HOME = Join-Path $TestDrive 'th'
            $env:TORCHHUB_LOCK = $null
            (Get-HubDirectory).LockStrategy | Should -Be 'Kernel'
            $env:TORCHHUB_LOCK = 'file'
            (Get-HubDirectory).LockStrategy | Should -Be 'File'
            (Get-HubDirectory | Out-String) | Should -Match 'Lock\s*\r?\n.*\r?\n.*\bFile\b'
            $env:TORCHHUB_LOCK = 'nfs'
            { Get-HubDirectory -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidLockSetting,TorchHub.PowerShell.Commands.GetHubDirectoryCommand'
        }
        finally { $env:TORCHHUB_LOCK = $savedLock }
    }

    It 'creates nothing' {
        $env:TORCH_HOME = Join-Path $TestDrive 'never'
        (Get-HubDirectory).Exists | Should -BeFalse
        Join-Path $TestDrive 'never' | Should -Not -Exist
    }
}

Describe 'Set-HubDirectory' {
    AfterEach { Set-HubDirectory -UseDefault }

    It 'resolves a relative path against the current location' {
        Push-Location $TestDrive
        try {
            $info = Set-HubDirectory ./relative-hub -PassThru
            $info.Path | Should -Be (Join-Path $TestDrive 'relative-hub')
            $info.Source | Should -Be 'Set'
            (Get-HubDirectory).Path | Should -Be $info.Path
        }
        finally { Pop-Location }
    }

    It 'writes nothing without -PassThru' {
        Set-HubDirectory (Join-Path $TestDrive 'quiet') | Should -BeNullOrEmpty
    }

    It 'changes nothing with -WhatIf' {
        Set-HubDirectory (Join-Path $TestDrive 'first')
        Set-HubDirectory (Join-Path $TestDrive 'second') -WhatIf
        (Get-HubDirectory).Path | Should -Be (Join-Path $TestDrive 'first')
    }

    It 'refuses a file with a clear error' {
        $file = New-Item -Path (Join-Path $TestDrive 'a-file') -ItemType File
        { Set-HubDirectory $file.FullName -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidHubDirectory,TorchHub.PowerShell.Commands.SetHubDirectoryCommand'
    }

    It 'takes a folder from the pipeline' {
        $folder = New-Item -Path (Join-Path $TestDrive 'piped') -ItemType Directory
        $folder | Set-HubDirectory
        (Get-HubDirectory).Path | Should -Be $folder.FullName
    }

    It 'returns to the environment with -UseDefault' {
        Set-HubDirectory (Join-Path $TestDrive 'set')
        (Set-HubDirectory -UseDefault -PassThru).Source | Should -Not -Be 'Set'
    }
}
