#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The fleet commands in a real pwsh: trust as data, the cache listing and pruning.
# Mirrors tests/TorchHub.Tests/PowerShell/HubTrustCmdletTests.cs and HubCacheCmdletTests.cs.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../out/TorchHub/TorchHub.psd1') -Force
}

Describe 'Get-HubTrust, Add-HubTrust, Remove-HubTrust' {
    BeforeEach {
        $hub = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        Set-HubDirectory $hub
        $list = Join-Path $hub 'trusted_list'
    }
    AfterEach { Set-HubDirectory -UseDefault }

    It 'adds torch''s owner_repo lines and lists them as objects' {
        'acme/zoo', 'acme/other:v1' | Add-HubTrust
        Get-Content $list | Should -Be @('acme_zoo', 'acme_other')
        $entries = Get-HubTrust
        $entries.Repository | Should -Be @('acme/zoo', 'acme/other')
        $entries[0].PSObject.TypeNames[0] | Should -Be 'TorchHub.Repositories.Trust.TrustedRepository'
        $entries[0].Reason | Should -Be 'TrustedList'
    }

    It 'formats as a table with the repository first' {
        Add-HubTrust acme/zoo
        $text = Get-HubTrust | Out-String
        $text | Should -Match 'Repository\s+Reason\s+Key'
        $text | Should -Match 'acme/zoo\s+TrustedList\s+acme_zoo'
    }

    It 'honours -WhatIf' {
        Add-HubTrust acme/zoo -WhatIf
        $list | Should -Not -Exist
    }

    It 'removes through the pipeline and refuses the built-in owners' {
        Add-HubTrust acme/zoo, acme/other
        Get-HubTrust acme/zoo | Remove-HubTrust -Confirm:$false
        Get-Content $list | Should -Be @('acme_other')
        { Get-HubTrust -IncludeTrustedOwners | Where-Object Reason -eq TrustedOwner | Select-Object -First 1 | Remove-HubTrust -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ErrorId 'TrustedOwnerNotRemovable,TorchHub.PowerShell.Commands.RemoveHubTrustCommand'
        { Remove-HubTrust acme/unknown -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ErrorId 'TrustEntryNotFound,TorchHub.PowerShell.Commands.RemoveHubTrustCommand'
    }

    It 'shows the help page' {
        (Get-Help Add-HubTrust).Synopsis | Should -Match 'trusted_list'
        (Get-Help Remove-HubTrust -Examples).examples.example.Count | Should -BeGreaterOrEqual 2
    }
}
