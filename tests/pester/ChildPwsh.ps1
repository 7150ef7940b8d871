# Dot-sourced by the specs that need a separate pwsh: exit codes, standard input, a fresh session.
# Not a spec itself (Pester runs only *.Tests.ps1).

# Runs -File in a child of the pwsh running the specs (as a .NET tool that is 'dotnet pwsh.dll'),
# with out/ first on PSModulePath. -StandardInput is written to the child's standard input, which
# is then closed: $null (the default) means input that has ended at once, as under cron or with
# '< /dev/null'. -NonInteractive adds pwsh's switch of that name.
function Invoke-ChildPwsh {
    param(
        [Parameter(Mandatory)] [string] $File,
        [hashtable] $Environment = @{},
        [AllowNull()] [string] $StandardInput,
        [switch] $NonInteractive,
        [int] $TimeoutSeconds = 120
    )
    $root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $pwsh = [Environment]::ProcessPath
    [string[]] $prefix = if ([IO.Path]::GetFileNameWithoutExtension($pwsh) -eq 'dotnet') { @([Reflection.Assembly]::GetEntryAssembly().Location) } else { @() }
    [string[]] $switches = if ($NonInteractive) { @('-NoProfile', '-NonInteractive') } else { @('-NoProfile') }
    $start = [Diagnostics.ProcessStartInfo]::new($pwsh)
    foreach ($a in $prefix + $switches + @('-File', $File)) { $start.ArgumentList.Add($a) }
    $start.RedirectStandardInput = $true
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $start.Environment['PSModulePath'] = (Join-Path $root 'out') + [IO.Path]::PathSeparator + $env:PSModulePath
    $start.Environment['NO_COLOR'] = '1'
    foreach ($key in $Environment.Keys) { $start.Environment[$key] = $Environment[$key] }
    $process = [Diagnostics.Process]::Start($start)
    if ($StandardInput) { $process.StandardInput.Write($StandardInput) }
    $process.StandardInput.Close()
    $stderr = $process.StandardError.ReadToEndAsync()
    $stdout = $process.StandardOutput.ReadToEndAsync()
    if (-not $process.WaitForExit($TimeoutSeconds * 1000)) {
        $process.Kill($true)
        throw "The child pwsh did not finish within $TimeoutSeconds s (waiting for input?). Output: $($stdout.Result)"
    }
    [pscustomobject]@{ ExitCode = $process.ExitCode; Output = $stdout.Result; Errors = $stderr.Result }
}
