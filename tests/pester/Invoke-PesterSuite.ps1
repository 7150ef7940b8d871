#Requires -Version 7.4
<#
.SYNOPSIS
    Runs the Pester specs in tests/pester against the built module in out/TorchHub.
.DESCRIPTION
    Used by build.ps1 -Task Test and by .ci/run. Run it in a fresh pwsh: a loaded module DLL
    cannot be unloaded, so out/TorchHub must be the first TorchHub this process sees.
    Writes NUnit XML to -ResultPath, prints one line "Pester: N passed, N failed, N skipped"
    and exits with the number of failed tests (0 when all passed; 1 when the run itself failed).
.EXAMPLE
    pwsh -NoProfile -File tests/pester/Invoke-PesterSuite.ps1 -PesterPath /work/tools/pester/Pester.psd1
#>
param(
    # Pester.psd1 to import; default: the newest Pester 5 on PSModulePath, else the one
    # tools/install-test-tools.sh installed.
    [string] $PesterPath,

    # Where the NUnit XML report goes.
    [string] $ResultPath = (Join-Path $PSScriptRoot '../../out/pester-results.xml'),

    [ValidateSet('None', 'Normal', 'Detailed', 'Diagnostic')]
    [string] $Verbosity = 'Normal'
)

$ErrorActionPreference = 'Stop'
$root = Resolve-Path (Join-Path $PSScriptRoot '../..')

if (-not $PesterPath) {
    $installed = Get-Module Pester -ListAvailable | Where-Object { $_.Version.Major -ge 5 } |
        Sort-Object Version -Descending | Select-Object -First 1
    $toolsFolder = if ($env:TORCHHUB_TEST_TOOLS) { $env:TORCHHUB_TEST_TOOLS } else { Join-Path $HOME '.local/share/torchhub-test-tools' }
    $PesterPath = if ($installed) { $installed.Path } else { Join-Path $toolsFolder 'pester/5.9.1/tools/Pester.psd1' }
}
if (-not (Test-Path -LiteralPath $PesterPath)) {
    Write-Error "Pester 5 is not installed ($PesterPath not found): run tools/install-test-tools.sh, or pass -PesterPath."
    exit 1
}
Import-Module $PesterPath -Force

# The specs import out/TorchHub by path; putting out/ first on PSModulePath keeps any child pwsh
# they start on the same build.
$env:PSModulePath = (Join-Path $root 'out') + [IO.Path]::PathSeparator + $env:PSModulePath

$config = New-PesterConfiguration
$config.Run.Path = $PSScriptRoot
$config.Run.PassThru = $true
$config.Output.Verbosity = $Verbosity
$config.TestResult.Enabled = $true
$config.TestResult.OutputFormat = 'NUnitXml'
$config.TestResult.OutputPath = [IO.Path]::GetFullPath($ResultPath)

$result = Invoke-Pester -Configuration $config
# A container that failed to load (a syntax error, a failing BeforeAll outside any test) counts as failed.
$failed = $result.FailedCount + $result.FailedContainersCount + $result.FailedBlocksCount
Write-Host "Pester: $($result.PassedCount) passed, $failed failed, $($result.SkippedCount) skipped"
if ($result.Result -ne 'Passed' -and $failed -eq 0) { $failed = 1 }
exit $failed
