#Requires -Version 7.4
<#
.SYNOPSIS
    Runs the README's main-job block as a new user would: real pwsh, a fresh HOME, the module
    installed from the built package in out/packages, the runtime fetched by Install-HubRuntime.
.DESCRIPTION
    Needs out/packages/TorchHub.<version>.nupkg (./build.ps1 -Task Build, Package). The block runs
    in a child pwsh whose HOME (and so the PSResourceGet settings, the module path, the NuGet
    cache and the runtime folder) is a new empty folder, with NUGET_PACKAGES, TORCHHUB_* and
    PSModulePath cleared, so nothing from the developer's machine helps. Exits 0 when every line
    ran without an error, TorchHub was imported from the fresh HOME, the runtime came from that
    HOME, and the model printed PyTorch's numbers; 1 otherwise.
#>
param(
    # A NuGet v3 feed for Install-HubRuntime instead of nuget.org (passed as TORCHHUB_RUNTIME_FEED).
    [string] $RuntimeFeed
)

$ErrorActionPreference = 'Stop'
$root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$readme = Get-Content -Raw (Join-Path $root 'README.md')
$marker = $readme.IndexOf('<!-- main-job')
if ($marker -lt 0) { Write-Error 'README.md has no main-job marker.' }
$match = [regex]::Match($readme.Substring($marker), '```powershell\n(.*?)```', 'Singleline')
if (-not $match.Success) { Write-Error 'No powershell block after the main-job marker.' }
$block = $match.Groups[1].Value
if (-not (Get-ChildItem (Join-Path $root 'out/packages/TorchHub.*.nupkg') -ErrorAction SilentlyContinue)) {
    Write-Error "No package in $root/out/packages: run ./build.ps1 -Task Build, Package first."
}

$freshHome = Join-Path ([IO.Path]::GetTempPath()) "torchhub-newuser-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
New-Item -ItemType Directory -Path $freshHome | Out-Null
$script = Join-Path $freshHome 'main-job.ps1'
# The block as written, then checks printed with markers.
Set-Content -LiteralPath $script -Value @"
`$ErrorActionPreference = 'Stop'
`$ProgressPreference = 'SilentlyContinue'
Set-Location '$root'
$block
"MODULE `$((Get-Module TorchHub).ModuleBase)"
"RUNTIME `$((Get-HubRuntime).Status) `$((Get-HubRuntime).Loaded.LibTorchDirectory)"
"FORWARD `$(`$net.forward([TorchSharp.torch]::ones(1, 4)).data[float]().ToArray() -join ' ')"
"@

# Start the same pwsh as this one (as a .NET tool it runs as 'dotnet pwsh.dll').
$pwsh = [Environment]::ProcessPath
[string[]] $prefix = if ([IO.Path]::GetFileNameWithoutExtension($pwsh) -eq 'dotnet') { @([Reflection.Assembly]::GetEntryAssembly().Location) } else { @() }
$start = [Diagnostics.ProcessStartInfo]::new($pwsh)
foreach ($a in $prefix + @('-NoProfile', '-NonInteractive', '-File', $script)) { $start.ArgumentList.Add($a) }
$start.RedirectStandardOutput = $true
$start.RedirectStandardError = $true
$start.Environment['HOME'] = $freshHome
foreach ($name in @($start.Environment.Keys)) {
    if ($name -match '^(TORCHHUB_|TORCH_HOME$|XDG_|NUGET_PACKAGES$|PSModulePath$)') { $start.Environment.Remove($name) | Out-Null }
}
if ($RuntimeFeed) { $start.Environment['TORCHHUB_RUNTIME_FEED'] = $RuntimeFeed }

$watch = [Diagnostics.Stopwatch]::StartNew()
$process = [Diagnostics.Process]::Start($start)
$stderr = $process.StandardError.ReadToEndAsync()
$stdout = $process.StandardOutput.ReadToEnd()
$process.WaitForExit()
$errors = $stderr.Result
Write-Host $stdout
if ($errors) { Write-Host $errors }

$failures = @()
if ($process.ExitCode -ne 0) { $failures += "the block exited with $($process.ExitCode)" }
if ($errors.Trim()) { $failures += 'the block wrote errors' }
$module = [regex]::Match($stdout, '(?m)^MODULE (.*)$').Groups[1].Value
if (-not $module.StartsWith($freshHome)) { $failures += "TorchHub was imported from '$module', not from the fresh HOME" }
$runtime = [regex]::Match($stdout, '(?m)^RUNTIME (\S+) (.*)$')
if ($runtime.Groups[1].Value -ne 'Loaded' -or -not $runtime.Groups[2].Value.StartsWith($freshHome)) { $failures += "TorchSharp did not run from the runtime Install-HubRuntime fetched ($($runtime.Value))" }
$expected = (Get-Content -Raw (Join-Path $root 'tests/TorchHub.Tests/Fixtures/torch/expected.json') | ConvertFrom-Json).tiny_forward_ones | ForEach-Object { $_ }
$forward = [regex]::Match($stdout, '(?m)^FORWARD (.*)$').Groups[1].Value.Trim() -split ' ' | Where-Object { $_ } | ForEach-Object { [double]$_ }
if ($forward.Count -ne $expected.Count -or (0..($expected.Count - 1) | Where-Object { [math]::Abs($forward[$_] - $expected[$_]) -gt 1e-6 })) {
    $failures += "the model printed '$($forward -join ', ')', PyTorch printed '$($expected -join ', ')'"
}

if ($failures) {
    Write-Host "README main job FAILED after $([int]$watch.Elapsed.TotalSeconds) s: $($failures -join '; ') (fresh HOME kept: $freshHome)"
    exit 1
}
Remove-Item -LiteralPath $freshHome -Recurse -Force
Write-Host "README main job passed in $([int]$watch.Elapsed.TotalSeconds) s (fresh HOME, package from out/packages, runtime from Install-HubRuntime)."
exit 0
