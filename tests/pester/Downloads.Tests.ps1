#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Mirrors the Save-HubFile scenarios of tests/TorchHub.Tests/PowerShell/SaveHubFileCmdletTests.cs
# and Engine/Downloads/DownloaderTests.cs that need no server. CI runs it in real pwsh (.ci/run).

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../out/TorchHub/TorchHub.psd1') -Force
}

Describe 'Save-HubFile without the network' {
    BeforeEach {
        $hub = Join-Path $TestDrive "hub-$([guid]::NewGuid().ToString('n'))"
        Set-HubDirectory $hub
    }
    AfterEach { Set-HubDirectory -UseDefault }

    It 'reports each bad URI as its own error and goes on' {
        $files = Save-HubFile -Uri 'not a url', 'ftp://host/x.pth' -ErrorVariable err -ErrorAction SilentlyContinue
        $files | Should -BeNullOrEmpty
        $err.Count | Should -Be 2
        $err[0].FullyQualifiedErrorId | Should -BeLike 'InvalidUri,*'
        $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err[1].FullyQualifiedErrorId | Should -BeLike 'UnsupportedUriScheme,*'
        $err[1].CategoryInfo.Category | Should -Be 'InvalidArgument'
    }

    It 'downloads nothing with -WhatIf' {
        Save-HubFile -Uri 'http://127.0.0.1:9/w.pth' -WhatIf | Should -BeNullOrEmpty
        Join-Path $hub 'checkpoints' | Should -Not -Exist
    }

    It 'refuses a -HashPrefix that is not hex as InvalidHashPrefix' {
        $e = $null
        try { Save-HubFile -Uri 'http://127.0.0.1:9/w.pth' -HashPrefix xyz -ErrorAction Stop } catch { $e = $_ }
        $e.FullyQualifiedErrorId | Should -BeLike 'InvalidHashPrefix,*'
        $e.CategoryInfo.Category | Should -Be 'InvalidArgument'
        Join-Path $hub 'checkpoints' 'w.pth' | Should -Not -Exist
    }
}
