#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The trust question as a user meets it: a child pwsh whose standard input answers (or has ended),
# as in a terminal, under cron or in CI. torch asks (y/N): Enter is no. Mirrors
# tests/TorchHub.Tests/PowerShell/RepositoryTrustTests.cs, which answers through a test host.

BeforeAll {
    . (Join-Path $PSScriptRoot ChildPwsh.ps1)

    # -Offline: the question comes before the cache and the network (torch's order), and then no
    # request is sent, so a trusted repository ends in OfflineCacheMiss.
    function New-TrustScript([string] $Body) {
        $torch = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        $script = Join-Path $TestDrive "$([guid]::NewGuid().ToString('N')).ps1"
        Set-Content $script "Import-Module TorchHub`n$Body"
        [pscustomobject]@{ Script = $script; Environment = @{ TORCH_HOME = $torch }; TrustedList = Join-Path $torch 'hub/trusted_list' }
    }

    $report = @'
try { Save-HubRepository acme/zoo:v1 -Offline -ErrorAction Stop }
catch { "id=$($_.FullyQualifiedErrorId)"; "action=$($_.ErrorDetails.RecommendedAction)" }
'@
}

Describe 'The trust question in pwsh' {
    It 'asks torch''s question with No as the default, and refuses on Enter, recording nothing' {
        $job = New-TrustScript $report
        $result = Invoke-ChildPwsh $job.Script $job.Environment -StandardInput "`n"
        $result.Output | Should -Match 'acme_zoo does not belong to the list of trusted repositories'
        $result.Output | Should -Match '\[Y\] Yes\s+\[N\] No'
        $result.Output | Should -Match '\(default is "N"\)'
        $result.Output | Should -Match 'id=UntrustedRepository,TorchHub.PowerShell.Commands.SaveHubRepositoryCommand'
        $job.TrustedList | Should -Not -Exist
    }

    It 'trusts on y and records owner_repo in trusted_list' {
        $job = New-TrustScript $report
        $result = Invoke-ChildPwsh $job.Script $job.Environment -StandardInput "y`n"
        $result.Output | Should -Match 'id=OfflineCacheMiss,'       # trusted: it got as far as the cache
        Get-Content $job.TrustedList | Should -Be 'acme_zoo'
    }

    It 'fails with UntrustedRepository and a recommended action when standard input has ended' {
        $job = New-TrustScript $report
        $result = Invoke-ChildPwsh $job.Script $job.Environment -StandardInput $null
        $result.Output | Should -Match 'id=UntrustedRepository,'
        $result.Output | Should -Match "action=.*'Add-HubTrust acme/zoo'.*-TrustRepo"
        $result.Errors | Should -Not -Match 'NullReferenceException|Object reference'
        $job.TrustedList | Should -Not -Exist
    }

    It 'ends a script that stops on errors with exit code 1, naming the remedy, when standard input has ended' {
        $job = New-TrustScript "`$ErrorActionPreference = 'Stop'`nSave-HubRepository acme/zoo:v1 -Offline`n'not reached'"
        $result = Invoke-ChildPwsh $job.Script $job.Environment -StandardInput $null
        $result.ExitCode | Should -Be 1
        $result.Output | Should -Not -Match 'not reached'
        $result.Errors | Should -Match 'acme/zoo is not trusted'
        $result.Errors | Should -Match "Recommendation: .*'Add-HubTrust acme/zoo'.*-TrustRepo"
        $result.Errors | Should -Not -Match 'Object reference'
    }

    It 'fails the same way with -NonInteractive' {
        $job = New-TrustScript $report
        $result = Invoke-ChildPwsh $job.Script $job.Environment -NonInteractive
        $result.Output | Should -Match 'id=UntrustedRepository,'
        $job.TrustedList | Should -Not -Exist
    }
}
