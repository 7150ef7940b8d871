#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The README's scheduled-job script, run as cron runs it (pwsh -NonInteractive -File) in a child
# pwsh: its exit code says whether every download succeeded.

BeforeAll {
    $root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $readme = Get-Content -Raw (Join-Path $root 'README.md')
    $block = [regex]::Match($readme.Substring($readme.IndexOf('<!-- scheduled-job')), '```powershell\n(.*?)```', 'Singleline').Groups[1].Value

    . (Join-Path $PSScriptRoot ChildPwsh.ps1)

    function New-Job([string[]] $Weights) {
        $torch = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        # acme/zoo:v1.2 is cached already, so Save-HubRepository sends no request.
        New-Item -ItemType Directory -Path (Join-Path $torch 'hub/acme_zoo_v1.2') -Force | Out-Null
        Set-Content (Join-Path $torch 'hub/acme_zoo_v1.2/hubconf.py') "dependencies = []`ndef tiny():`n    return None"
        Set-Content (Join-Path $torch 'weights.txt') $Weights
        $script = Join-Path $torch 'prefetch.ps1'
        Set-Content $script $block.Replace('/srv/torch', $torch)
        $script
    }

    $environment = @{
        TORCHHUB_RETRY_DELAY_MS = '10'
        GITHUB_API_URL = 'http://127.0.0.1:9'      # nothing listens there: a request would fail the job
        GITHUB_SERVER_URL = 'http://127.0.0.1:9'
    }
}

Describe 'The README scheduled job' {
    It 'exits 0 when every file is in the cache' {
        $result = Invoke-ChildPwsh (New-Job @()) $environment -NonInteractive
        $result.Errors | Should -BeNullOrEmpty
        $result.ExitCode | Should -Be 0
    }

    It 'exits 1 when a download failed, after trying the other files' {
        $result = Invoke-ChildPwsh (New-Job @('http://127.0.0.1:9/a-0123abcd.pth', 'http://127.0.0.1:9/b-4567cdef.pth')) $environment -NonInteractive
        $result.ExitCode | Should -Be 1
        $result.Errors | Should -Match 'a-0123abcd\.pth'
        $result.Errors | Should -Match 'b-4567cdef\.pth'
    }

    It 'exits 1 when the repository step fails' {
        $script = New-Job @()
        Remove-Item -Recurse (Join-Path (Split-Path $script) 'hub/acme_zoo_v1.2')
        $result = Invoke-ChildPwsh $script $environment -NonInteractive
        $result.ExitCode | Should -Be 1
    }
}
