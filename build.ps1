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
      Test     dotnet test (all xunit tests; skipped with -SkipDotnetTest), then the Pester 5 specs in
               tests/pester in a fresh pwsh (tests/pester/Invoke-PesterSuite.ps1; NUnit XML in
               out/pester-results.xml). Pester comes from -PesterPath, else the newest Pester 5
               installed, else tools/install-test-tools.sh's folder; without Pester the task fails.
      Package  out/packages/TorchHub.<version>.nupkg, laid out as Publish-PSResource makes it.
               Native libraries (libtorch) are left out unless -IncludeNative.
               A Release package carries ReadyToRun code for one platform (-Runtime, this
               machine's by default) and does not import on another; -Runtime portable makes the
               JIT-compiled package for every platform (what a public gallery needs).
.EXAMPLE
    ./build.ps1
    Builds the module and its help into out/TorchHub.
.EXAMPLE
    ./build.ps1 -Task Clean, Build, Help, Test, Package
    Everything, as CI does.
.EXAMPLE
    ./build.ps1 -Task Build, Help, Package -Runtime portable
    A package that imports on every platform (no precompiled code), for a public gallery.
#>
[CmdletBinding()]
param(
    [ValidateSet('Clean', 'Build', 'Help', 'Test', 'Package')]
    [string[]] $Task = @('Build', 'Help'),

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Put this platform's native libraries (libtorch, TorchSharp's shim) in the package.
    [switch] $IncludeNative,

    # Build and Package: the platform whose ReadyToRun code the Release assemblies carry (a RID
    # such as linux-x64 or win-x64), or 'portable' for IL only, which imports everywhere. Empty:
    # this machine's platform.
    [ValidatePattern('^(portable|[a-z]+(-[a-z0-9]+)+)?$')]
    [string] $Runtime,

    # Test: run only the Pester specs (CI has run dotnet test already).
    [switch] $SkipDotnetTest,

    # Test: the Pester.psd1 to use.
    [string] $PesterPath
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$root = $PSScriptRoot
$outDir = Join-Path $root 'out'
$moduleDir = Join-Path $outDir 'TorchHub'
$helpDir = Join-Path $root 'docs/help'
$cultureDir = Join-Path $moduleDir 'en-US'

# A simple function on purpose: with [Parameter()] attributes it would be advanced, and an argument
# such as -v would bind to the common parameter -Verbose instead of reaching dotnet.
function Invoke-Dotnet {
    Write-Verbose "dotnet $($args -join ' ')"
    & dotnet @args
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($args -join ' ') failed with exit code $LASTEXITCODE." }
}

# The command that starts this same PowerShell as a child. Installed as a .NET tool, pwsh runs as
# 'dotnet pwsh.dll', so the process path alone would start dotnet, not PowerShell.
function Get-PwshCommand {
    $process = [Environment]::ProcessPath
    if ([IO.Path]::GetFileNameWithoutExtension($process) -eq 'dotnet') {
        return @($process, [Reflection.Assembly]::GetEntryAssembly().Location)
    }
    return @($process)
}

function Invoke-Clean {
    if (Test-Path $outDir) { Remove-Item -LiteralPath $outDir -Recurse -Force }
    Invoke-Dotnet clean (Join-Path $root 'TorchHub.sln') -c $Configuration --nologo -v quiet
}

# The MSBuild properties that choose the platform of the precompiled code (Directory.Build.props).
function Get-RuntimeProperties {
    if (-not $Runtime) { return @() }
    if ($Runtime -eq 'portable') { return @('-p:TorchHubReadyToRun=false') }
    return @("-p:TorchHubRuntime=$Runtime")
}

function Invoke-Build {
    # Building the help tool builds the cmdlets first (project reference), lays out out/TorchHub,
    # then writes the help with the converter.
    Invoke-Dotnet build (Join-Path $root 'tools/TorchHub.HelpBuilder') -c $Configuration --nologo @(Get-RuntimeProperties)
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
        Invoke-Dotnet run --project $tool -c $Configuration '--' help --docs $helpDir --module $moduleDir
        Write-Host 'Help: PlatyPS is not installed; used tools/TorchHub.HelpBuilder (same Markdown schema).'
    }
}

function Invoke-Test {
    if (-not $SkipDotnetTest) {
        Invoke-Dotnet test (Join-Path $root 'TorchHub.sln') -c $Configuration --nologo
    }
    [string[]] $pwsh = Get-PwshCommand
    $suite = @(Join-Path $root 'tests/pester/Invoke-PesterSuite.ps1')
    if ($PesterPath) { $suite += @('-PesterPath', $PesterPath) }
    # A fresh pwsh: a loaded module DLL cannot be unloaded, and out/TorchHub must be the module the specs see.
    & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -File @suite
    if ($LASTEXITCODE -ne 0) { throw "Pester: $LASTEXITCODE failed test(s) (details above; NUnit XML in out/pester-results.xml)." }
}

function Invoke-Package {
    $native = if ($IncludeNative) { 'true' } else { 'false' }
    Invoke-Dotnet build (Join-Path $root 'tools/TorchHub.HelpBuilder') -c $Configuration --nologo '-t:PackModule' "-p:IncludeNative=$native" @(Get-RuntimeProperties)
    $platform = if ($Runtime -eq 'portable' -or $Configuration -eq 'Debug') { 'every platform (no precompiled code)' }
                elseif ($Runtime) { "$Runtime only (ReadyToRun)" }
                else { "this machine's platform only (ReadyToRun; -Runtime portable for every platform)" }
    Write-Host "Package for $platform."
    Get-ChildItem (Join-Path $outDir 'packages/*.nupkg') | ForEach-Object { Write-Host "Package: $($_.FullName) ($([math]::Round($_.Length / 1MB, 1)) MB)" }
}

foreach ($name in 'Clean', 'Build', 'Help', 'Test', 'Package') {
    if ($Task -contains $name) {
        Write-Host "== $name"
        & "Invoke-$name"
    }
}
