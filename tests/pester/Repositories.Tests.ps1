#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Mirrors the offline, spec and -WhatIf scenarios of tests/TorchHub.Tests/PowerShell/
# SaveHubRepositoryTests.cs, OfflineRepositoryTests.cs and GetHubCacheTests.cs that need no
# network. CI runs it in real pwsh (.ci/run).

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../out/TorchHub/TorchHub.psd1') -Force
}

Describe 'Repositories without the network' {
    BeforeEach {
        $hub = Join-Path $TestDrive "hub-$([guid]::NewGuid().ToString('n'))"
        Set-HubDirectory $hub
        $savedOffline = $env:TORCHHUB_OFFLINE
        $env:TORCHHUB_OFFLINE = $null
    }
    AfterEach {
        $env:TORCHHUB_OFFLINE = $savedOffline
        Set-HubDirectory -UseDefault
    }

    It 'refuses a malformed spec as InvalidRepositorySpec (InvalidArgument)' {
        $e = $null
        try { Save-HubRepository 'acme/zoo:a:b' -ErrorAction Stop } catch { $e = $_ }
        $e.FullyQualifiedErrorId | Should -BeLike 'InvalidRepositorySpec,*'
        $e.CategoryInfo.Category | Should -Be 'InvalidArgument'
    }

    It 'refuses a malformed spec for Get-HubEntrypoint -Repository too' {
        $e = $null
        try { Get-HubEntrypoint -Repository 'acme/zoo:a:b' -ErrorAction Stop } catch { $e = $_ }
        $e.FullyQualifiedErrorId | Should -BeLike 'InvalidRepositorySpec,*'
        $e.CategoryInfo.Category | Should -Be 'InvalidArgument'
    }

    It 'fails fast with -Offline when nothing is cached, naming the folder' {
        $e = $null
        try { Save-HubRepository acme/zoo:v1 -Offline -TrustRepo -ErrorAction Stop } catch { $e = $_ }
        $e.FullyQualifiedErrorId | Should -BeLike 'OfflineCacheMiss,*'
        $e.CategoryInfo.Category | Should -Be 'ResourceUnavailable'
        $e.Exception.Message | Should -BeLike '*acme_zoo_v1*'
        $e.Exception.Message | Should -BeLike '*-Offline*'
    }

    It 'treats TORCHHUB_OFFLINE=1 as -Offline' {
        $env:TORCHHUB_OFFLINE = '1'
        $e = $null
        try { Save-HubRepository acme/zoo -TrustRepo -ErrorAction Stop } catch { $e = $_ }
        $e.FullyQualifiedErrorId | Should -BeLike 'OfflineCacheMiss,*'
        $e.Exception.Message | Should -BeLike '*TORCHHUB_OFFLINE*'
        $e.Exception.Message | Should -BeLike '*acme_zoo_main*'
    }

    It 'writes nothing with -WhatIf' {
        Save-HubRepository acme/zoo:v1 -TrustRepo -WhatIf | Should -BeNullOrEmpty
        $hub | Should -Not -Exist
    }

    It 'lists nothing for an empty hub directory' {
        New-Item -ItemType Directory -Path $hub | Out-Null
        Get-HubCache | Should -BeNullOrEmpty
    }
}
