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
}
