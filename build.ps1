#Requires -Version 7.4
<#
.SYNOPSIS
    Builds, documents, tests and packages the TorchHub module.
.DESCRIPTION
    Tasks run in this order, whichever are named:
      Clean    removes out/ and the build outputs.
      Build    builds the cmdlets and lays out out/TorchHub (manifest stamped with the version).
      Help     turns docs/help/*.md into out/TorchHub/en-US: PlatyPS when installed
               (Microsoft.PowerShell.PlatyPS v1, or platyPS 0.14), else the Markdig converter in
               tools/TorchHub.HelpBuilder, which reads the same schema (Build already runs it).
      Test     dotnet test, then Pester 5 specs in tests/pester in a fresh pwsh when Pester 5 is installed.
      Package  out/packages/TorchHub.<version>.nupkg, laid out as Publish-PSResource makes it.
               Native libraries (libtorch) are left out unless -IncludeNative.
.EXAMPLE
    ./build.ps1
    Builds the module and its help into out/TorchHub.
.EXAMPLE
    ./build.ps1 -Task Clean, Build, Help, Test, Package
    Everything, as CI does.
#>
[CmdletBinding()]
param(
    [ValidateSet('Clean', 'Build', 'Help', 'Test', 'Package')]
    [string[]] $Task = @('Build', 'Help'),

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Put this platform's native libraries (libtorch, TorchSharp's shim) in the package.
    [switch] $IncludeNative
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$root = $PSScriptRoot
$outDir = Join-Path $root 'out'
$moduleDir = Join-Path $outDir 'TorchHub'
$helpDir = Join-Path $root 'docs/help'
$cultureDir = Join-Path $moduleDir 'en-US'

function Invoke-Dotnet {
    param([Parameter(ValueFromRemainingArguments)] [string[]] $Arguments)
    Write-Verbose "dotnet $($Arguments -join ' ')"
    & dotnet @Arguments
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($Arguments -join ' ') failed with exit code $LASTEXITCODE." }
}

function Invoke-Clean {
    if (Test-Path $outDir) { Remove-Item -LiteralPath $outDir -Recurse -Force }
    Invoke-Dotnet clean (Join-Path $root 'TorchHub.sln') -c $Configuration --nologo -v quiet
}

function Invoke-Build {
    # Building the help tool builds the cmdlets first (project reference), lays out out/TorchHub,
    # then writes the help with the converter.
    Invoke-Dotnet build (Join-Path $root 'tools/TorchHub.HelpBuilder') -c $Configuration --nologo
}

function Invoke-Help {
    $v1 = Get-Module Microsoft.PowerShell.PlatyPS -ListAvailable | Sort-Object Version -Descending | Select-Object -First 1
    $v0 = Get-Module platyPS -ListAvailable | Sort-Object Version -Descending | Select-Object -First 1
    if ($v1) {
        Import-Module $v1 -Force
        $staging = Join-Path $outDir 'obj/help'
        Measure-PlatyPSMarkdown -Path (Join-Path $helpDir '*.md') |
            Where-Object Filetype -Match 'CommandHelp' |
            Import-MarkdownCommandHelp -Path { $_.FilePath } |
            Export-MamlCommandHelp -OutputFolder $staging -Force | Out-Null
        New-Item -ItemType Directory -Path $cultureDir -Force | Out-Null
        Copy-Item -Path (Join-Path $staging 'TorchHub/*.xml') -Destination $cultureDir -Force
        Write-Host "Help: MAML by $($v1.Name) $($v1.Version); about topics by the converter (Build)."
    }
    elseif ($v0) {
        Import-Module $v0 -Force
        New-ExternalHelp -Path $helpDir -OutputPath $cultureDir -Force | Out-Null
        Write-Host "Help: MAML and about topics by $($v0.Name) $($v0.Version)."
    }
    else {
        $tool = Join-Path $root 'tools/TorchHub.HelpBuilder'
        Invoke-Dotnet run --project $tool -c $Configuration -- help --docs $helpDir --module $moduleDir
        Write-Host 'Help: PlatyPS is not installed; used tools/TorchHub.HelpBuilder (same Markdown schema).'
    }
}

function Invoke-Test {
    Invoke-Dotnet test (Join-Path $root 'TorchHub.sln') -c $Configuration --nologo

    $pester = Get-Module Pester -ListAvailable | Where-Object { $_.Version.Major -ge 5 } | Sort-Object Version -Descending | Select-Object -First 1
    if (-not $pester) {
        Write-Warning 'Pester 5 is not installed (Install-Module Pester -MinimumVersion 5.0); skipped tests/pester.'
        return
    }
    # A fresh pwsh: a loaded module DLL cannot be unloaded, and out/ must come first on PSModulePath.
    $script = @"
`$env:PSModulePath = '$outDir' + [IO.Path]::PathSeparator + `$env:PSModulePath
Import-Module Pester -RequiredVersion $($pester.Version)
`$config = New-PesterConfiguration
`$config.Run.Path = '$(Join-Path $root 'tests/pester')'
`$config.Run.Exit = `$true
`$config.Output.Verbosity = 'Detailed'
`$config.TestResult.Enabled = `$true
`$config.TestResult.OutputPath = '$(Join-Path $outDir 'pester-results.xml')'
Invoke-Pester -Configuration `$config
"@
    $pwsh = (Get-Process -Id $PID).Path
    & $pwsh -NoProfile -NonInteractive -Command $script
    if ($LASTEXITCODE -ne 0) { throw "Pester failed ($LASTEXITCODE failed test(s))." }
}

function Invoke-Package {
    $native = if ($IncludeNative) { 'true' } else { 'false' }
    Invoke-Dotnet build (Join-Path $root 'tools/TorchHub.HelpBuilder') -c $Configuration --nologo -t:PackModule "-p:IncludeNative=$native"
    Get-ChildItem (Join-Path $outDir 'packages/*.nupkg') | ForEach-Object { Write-Host "Package: $($_.FullName) ($([math]::Round($_.Length / 1MB, 1)) MB)" }
}

foreach ($name in 'Clean', 'Build', 'Help', 'Test', 'Package') {
    if ($Task -contains $name) {
        Write-Host "== $name"
        & "Invoke-$name"
    }
}
