<#
.SYNOPSIS
    Brings TorchHub.Core's public API baseline (src/TorchHub.Core/PublicAPI.*.txt) in line with the code.
.DESCRIPTION
    The build fails (RS0016/RS0017, Microsoft.CodeAnalysis.PublicApiAnalyzers) when the public
    surface and the baseline differ. After an intended change, run this script: it rebuilds
    TorchHub.Core with the analyzer's findings as warnings, adds every new public symbol to
    PublicAPI.Unshipped.txt, drops removed ones from it (a removed shipped symbol gets a
    *REMOVED* line there), and sorts the file. Review the diff and commit it with the change.
    -Ship moves everything in PublicAPI.Unshipped.txt into PublicAPI.Shipped.txt (at a release).
.EXAMPLE
    pwsh -NoProfile -File tools/Update-PublicApi.ps1
#>
[CmdletBinding()]
param([switch]$Ship)

$ErrorActionPreference = 'Stop'
$core = Join-Path $PSScriptRoot '..' 'src' 'TorchHub.Core'
$shippedFile = Join-Path $core 'PublicAPI.Shipped.txt'
$unshippedFile = Join-Path $core 'PublicAPI.Unshipped.txt'
$header = '#nullable enable'

function Read-Api([string]$path) { @(Get-Content -LiteralPath $path | Where-Object { $_ -and $_ -ne $header }) }
function Write-Api([string]$path, [string[]]$lines) {
    $sorted = [string[]]@($lines | Sort-Object -Unique)
    [Array]::Sort($sorted, [StringComparer]::Ordinal)
    $text = (@($header) + $sorted) -join "`n"
    [IO.File]::WriteAllText($path, $text + "`n")
}

if ($Ship) {
    $shipped = [Collections.Generic.List[string]]::new([string[]]@(Read-Api $shippedFile))
    foreach ($line in Read-Api $unshippedFile) {
        if ($line.StartsWith('*REMOVED*')) { [void]$shipped.Remove($line.Substring(9)) } else { $shipped.Add($line) }
    }
    Write-Api $shippedFile $shipped
    Write-Api $unshippedFile @()
    return
}

# Rebuild (an up-to-date build runs no analyzer) with the findings as warnings, so they are all reported.
$output = & dotnet build $core --no-incremental -nologo -p:TreatWarningsAsErrors=false 2>&1 | ForEach-Object { "$_" }
$added = @($output | Select-String "RS0016: Symbol '(.+)' is not part of the declared public API" | ForEach-Object { $_.Matches[0].Groups[1].Value } | Sort-Object -Unique)
$removed = @($output | Select-String "RS0017: Symbol '(.+)' is part of the declared API, but is either not public or could not be found" | ForEach-Object { $_.Matches[0].Groups[1].Value } | Sort-Object -Unique)
if ($LASTEXITCODE -ne 0 -and $added.Count -eq 0 -and $removed.Count -eq 0) {
    $output | Select-String ': error ' | ForEach-Object { Write-Host $_ }
    throw 'TorchHub.Core does not build for another reason (above).'
}

$shipped = @(Read-Api $shippedFile)
$unshipped = [Collections.Generic.List[string]]::new([string[]]@(Read-Api $unshippedFile))
foreach ($line in $removed) {
    if (-not $unshipped.Remove($line) -and $shipped -contains $line) { $unshipped.Add("*REMOVED*$line") }
}
foreach ($line in $added) { if (-not $unshipped.Contains($line)) { $unshipped.Add($line) } }
Write-Api $unshippedFile $unshipped
"PublicAPI.Unshipped.txt: $($added.Count) added, $($removed.Count) removed. Review with: git diff -- src/TorchHub.Core/PublicAPI.*.txt"
