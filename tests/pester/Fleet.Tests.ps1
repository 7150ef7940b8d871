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

Describe 'Get-HubCache and Remove-HubCache' {
    BeforeEach {
        $hub = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        Set-HubDirectory $hub
        $checkpoints = New-Item -ItemType Directory (Join-Path $hub 'checkpoints')
        Set-Content (Join-Path $checkpoints 'old-00000000.pth') ('x' * 5000) -NoNewline
        Set-Content (Join-Path $checkpoints 'new-11111111.pth') ('y' * 3000) -NoNewline
        (Get-Item (Join-Path $checkpoints 'old-00000000.pth')).LastAccessTimeUtc = (Get-Date).ToUniversalTime().AddDays(-60)
        (Get-Item (Join-Path $checkpoints 'old-00000000.pth')).LastWriteTimeUtc = (Get-Date).ToUniversalTime().AddDays(-60)
    }
    AfterEach { Set-HubDirectory -UseDefault }

    It 'lists weight files with kind, size and last use, as a table' {
        $entries = Get-HubCache -Kind Checkpoint
        $entries.FileName | Should -Be @('new-11111111.pth', 'old-00000000.pth')
        $entries[1].Size | Should -Be 5000
        $text = Get-HubCache | Out-String
        $text | Should -Match 'Kind\s+Size\s+LastUse\s+Commit\s+Name'
        $text | Should -Match 'Checkpoint\s+4\.9 KB'
    }

    It 'removes down to a size budget, least recently used first, and reports what it freed' {
        Remove-HubCache -MaxSize 4000 -WhatIf
        (Get-HubCache).Count | Should -Be 2
        $freed = Remove-HubCache -MaxSize 4000 -Confirm:$false
        $freed.FileName | Should -Be 'old-00000000.pth'
        $freed.FreedBytes | Should -Be 5000
        # The folder once above its entries (a long path is never cut), each name whole.
        $text = $freed | Out-String -Width 120
        $text | Should -Match "Directory: $([regex]::Escape($checkpoints.FullName))"
        $text | Should -Match 'Checkpoint\s+4\.9 KB old-00000000\.pth'
        (Get-HubCache).FileName | Should -Be 'new-11111111.pth'
    }

    It 'names a repository TorchHub fetched by its spec, whatever its owner' {
        # What Save-HubRepository pytorch/vision:v0.14.1 leaves (issue 11 saw 'pytorch/?' here): the
        # folder, and the spec in the hub's record of fetched specs.
        New-Item -ItemType Directory (Join-Path $hub 'pytorch_vision_v0.14.1') | Out-Null
        New-Item -ItemType Directory (Join-Path $hub 'pytorch_vision_main') | Out-Null
        Set-Content (Join-Path (New-Item -ItemType Directory (Join-Path $hub '.torchhub') -Force) 'repositories') 'pytorch/vision:v0.14.1'
        $text = Get-HubCache -Kind Repository | Out-String -Width 120
        $text | Should -Match 'Repository\s+\d+ B\s+[0-9-]+ [0-9:]+\s+pytorch/vision:v0\.14\.1'
        $text | Should -Match 'Repository\s+\d+ B\s+[0-9-]+ [0-9:]+\s+pytorch_vision_main'   # not recorded: its folder name
        $text | Should -Not -Match '/\?'
    }

    It 'refuses to run without a selector' {
        { Remove-HubCache -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ErrorId 'CacheSelectorRequired,TorchHub.PowerShell.Commands.RemoveHubCacheCommand'
    }
}

Describe 'Restore-HubCache and Export-HubLockFile' {
    BeforeEach {
        $hub = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        Set-HubDirectory $hub
        $lock = Join-Path $TestDrive 'bad.lock.json'
    }
    AfterEach { Set-HubDirectory -UseDefault }

    It 'refuses a lock file of another schema version with a clear error' {
        '{ "schemaVersion": 9 }' | Set-Content $lock
        { Restore-HubCache $lock -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidLockFile,TorchHub.PowerShell.Commands.RestoreHubCacheCommand'
    }

    It 'restores nothing and sends nothing for an empty lock file, even twice' {
        '{ "schemaVersion": 1, "repositories": [], "files": [] }' | Set-Content $lock
        Restore-HubCache $lock | Should -BeNullOrEmpty
        Get-Item $lock | Restore-HubCache | Should -BeNullOrEmpty
    }

    It 'skips entries it cannot lock, with a warning' {
        New-Item -ItemType Directory (Join-Path $hub 'someone_repo_main') | Out-Null
        $out = Join-Path $TestDrive 'exported.lock.json'
        $file = Get-HubCache | Export-HubLockFile $out -WarningVariable warned -WarningAction SilentlyContinue
        $file.FullName | Should -Be $out
        # As Get-Item shows it (a bare FileInfo renders with empty mode, owner and size in pwsh 7.6).
        $text = $file | Out-String -Width 120
        $text | Should -Match "Directory: $([regex]::Escape((Resolve-Path $TestDrive).Path))"
        $text | Should -Match "\s$((Get-Item $out).Length) exported\.lock\.json"
        $warned.Count | Should -Be 1
        (Get-Content $out -Raw | ConvertFrom-Json).schemaVersion | Should -Be 1
    }
}

Describe 'Mirror rules (-Mirror, TORCHHUB_MIRRORS)' {
    # The requests themselves are tested against local servers in MirrorRuleTests, MirrorPwshTests and FleetSimulationTests.
    BeforeEach { Set-HubDirectory (Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))) }
    # The variable first: with an invalid rule still set, Set-HubDirectory itself would stop.
    AfterEach { $env:TORCHHUB_MIRRORS = $null; Set-HubDirectory -UseDefault }

    It 'stops the command on an invalid -Mirror rule, before any request' {
        { Save-HubFile 'http://127.0.0.1:9/models/a.pth' -Mirror @{ 'models/' = 'http://127.0.0.1:9/store/' } -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidMirrorRule,TorchHub.PowerShell.Commands.SaveHubFileCommand'
    }

    It 'stops the command on an invalid TORCHHUB_MIRRORS' {
        $env:TORCHHUB_MIRRORS = 'https://download.pytorch.org/models/'
        { Restore-HubCache (Join-Path $TestDrive 'none.lock.json') -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidMirrorRule,TorchHub.PowerShell.Commands.RestoreHubCacheCommand'
    }

    It 'documents -Mirror with an example' {
        (Get-Help Restore-HubCache -Parameter Mirror).type.name | Should -Match 'IDictionary'
        ((Get-Help Restore-HubCache -Examples).examples.example.code -join "`n") | Should -Match '-Mirror \$mirrors'
    }
}
