#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Mirrors tests/TorchHub.Tests/PowerShell/TinyHubExampleTests.cs and ImportHubModelTests.cs with the
# local examples (no network). CI runs it in real pwsh (.ci/run).

BeforeAll {
    $root = Resolve-Path (Join-Path $PSScriptRoot '../..')
    Import-Module (Join-Path $root 'out/TorchHub/TorchHub.psd1') -Force
    $tinyHub = Join-Path $root 'examples/tiny-hub'
    $vision = Join-Path $root 'examples/vision'
    # PyTorch's output for ones(1, 4) (tests/TorchHub.Tests/Fixtures/torch/expected.json).
    $expected = 0.0, 0.46034592
    Set-HubDirectory (Join-Path $TestDrive 'hub')
}

AfterAll { Set-HubDirectory -UseDefault }

Describe 'Import-HubModel' {
    It 'loads the pretrained tiny model, whose output equals PyTorch''s' {
        $model = Import-HubModel -Path $tinyHub -Name tiny -Parameter @{ pretrained = $true }
        $values = $model.forward([TorchSharp.torch]::ones(1, 4)).data[float]().ToArray()
        $values.Count | Should -Be 2
        for ($i = 0; $i -lt 2; $i++) { [math]::Abs($values[$i] - $expected[$i]) | Should -BeLessThan 1e-5 }
    }

    It 'reports an unknown entrypoint as EntrypointNotFound' {
        $e = $null
        try { Import-HubModel -Path $tinyHub -Name no_such_model -ErrorAction Stop } catch { $e = $_ }
        $e.FullyQualifiedErrorId | Should -BeLike 'EntrypointNotFound,*'
        $e.CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'reports an unknown parameter as UnknownEntrypointArgument' {
        $e = $null
        try { Import-HubModel -Path $tinyHub -Name tiny -Parameter @{ nope = 1 } -ErrorAction Stop } catch { $e = $_ }
        $e.FullyQualifiedErrorId | Should -BeLike 'UnknownEntrypointArgument,*'
        $e.Exception.Message | Should -BeLike "*no parameter named 'nope'*"
    }

    It 'says what works instead for a repository with only hubconf.py, when no Python with torch is there' {
        $e = $null
        $saved = $env:TORCHHUB_PYTHON
        $env:TORCHHUB_PYTHON = '/nonexistent/python3'
        try { Import-HubModel -Path $vision -Name resnet18 -ErrorAction Stop } catch { $e = $_ } finally { $env:TORCHHUB_PYTHON = $saved }
        $e.FullyQualifiedErrorId | Should -BeLike 'PythonEntrypointNotRunnable,*'
        $e.CategoryInfo.Category | Should -Be 'NotImplemented'
        $e.ErrorDetails.RecommendedAction | Should -BeLike '*Get-HubEntrypoint*'
    }

    It 'shows what was loaded, from where, by which route, and its size' {
        $model = Import-HubModel -Path $tinyHub -Name tiny
        $text = $model | Out-String -Width 120
        $text | Should -Match '(?m)^Module\s+: TinyHub\.TinyNet\s*$'
        $text | Should -Match '(?m)^Entrypoint\s+: tiny\s*$'
        $text | Should -Match "(?m)^Repository\s+: $([regex]::Escape($tinyHub.ToString()))\s*$"
        $text | Should -Match '(?m)^Route\s+: CSharp\s*$'
        $text | Should -Match '(?m)^Parameters\s+: 10 in 2 tensors\s*$'   # Linear(4, 2): 8 weights + 2 biases
        $text | Should -Match '(?m)^Training\s+: False\s*$'
        # The note properties stay with the model in a variable, and it is still the module itself.
        ($model | Out-String -Width 120) | Should -Be $text
        $model.Route | Should -Be 'CSharp'
        $model.forward([TorchSharp.torch]::ones(1, 4)).shape | Should -Be @(1, 2)
    }

    It 'shows a TorchScript module the same way, without the origin it does not have' {
        $text = Import-HubTorchScript -Path (Join-Path $tinyHub 'weights/tiny_script.pt') | Out-String -Width 120
        $text | Should -Match '(?m)^Module\s+: ScriptModule\s*$'
        $text | Should -Match '(?m)^Parameters\s+: 10 in 2 tensors\s*$'
        $text | Should -Not -Match 'Entrypoint|Route'
    }
}

Describe 'Import-HubModel -Name completion' {
    BeforeAll {
        function Complete([string] $Line) { (TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches.CompletionText }
    }

    It 'offers each entrypoint once, a name that starts others first' {
        # hubconf.py and hubconf.cs both publish tiny and tiny_script; hubconf.py also has the class
        # TinyNet, which torch.hub.list lists (the Python route loads it). 'tiny' first makes
        # PSReadLine's Tab insert 'tiny', a real name, not the common prefix 'Tiny'.
        Complete "Import-HubModel -Path '$tinyHub' -Name " | Should -BeExactly @('tiny', 'TinyNet', 'tiny_script')
        Complete "Import-HubModel -Path '$tinyHub' -Name tiny_" | Should -BeExactly @('tiny_script')
    }

    It 'offers only the entrypoints of a hubconf.cs, not its other classes' {
        $dotnet = New-Item -ItemType Directory (Join-Path $TestDrive 'dotnet-only')
        Copy-Item (Join-Path $tinyHub 'hubconf.cs'), (Join-Path $tinyHub 'TinyNet.cs') $dotnet
        Complete "Import-HubModel -Path '$($dotnet.FullName)' -Name " | Should -BeExactly @('tiny', 'tiny_script')
    }
}
