#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Mirrors tests/TorchHub.Tests/PowerShell/TensorCmdletTests.cs with the files of examples/tiny-hub
# (saved by PyTorch). CI runs it in real pwsh (.ci/run).

BeforeAll {
    $root = Resolve-Path (Join-Path $PSScriptRoot '../..')
    Import-Module (Join-Path $root 'out/TorchHub/TorchHub.psd1') -Force
    $tinyHub = Join-Path $root 'examples/tiny-hub'
    $weights = Join-Path $tinyHub 'weights/tiny_state.pth'
    $scriptFile = Join-Path $tinyHub 'weights/tiny_script.pt'
    # PyTorch's output for ones(1, 4) (tests/TorchHub.Tests/Fixtures/torch/expected.json).
    $expected = 0.0, 0.46034592
    Set-HubDirectory (Join-Path $TestDrive 'hub')
}

AfterAll { Set-HubDirectory -UseDefault }

Describe 'Import-HubStateDict' {
    It 'reads the keys and shapes PyTorch saved' {
        $state = Import-HubStateDict -Path $weights
        @($state.Keys) | Should -Be @('fc.weight', 'fc.bias')
        $state['fc.weight'].shape | Should -Be @(2, 4)
        $state['fc.bias'].shape | Should -Be @(2)
    }

    It 'loads into a model from Import-HubModel, then forward equals PyTorch' {
        $model = Import-HubModel -Path $tinyHub -Name tiny
        $report = Import-HubStateDict -Path $weights -Module $model
        $report.IsComplete | Should -BeTrue
        $report.LoadedKeys | Should -Be @('fc.weight', 'fc.bias')
        $values = $model.forward([TorchSharp.torch]::ones(1, 4)).data[float]().ToArray()
        $values.Count | Should -Be 2
        for ($i = 0; $i -lt 2; $i++) { [math]::Abs($values[$i] - $expected[$i]) | Should -BeLessThan 1e-5 }
    }

    It 'reports a missing file as CheckpointFileNotFound' {
        $e = $null
        try { Import-HubStateDict -LiteralPath (Join-Path $TestDrive 'missing.pth') -ErrorAction Stop } catch { $e = $_ }
        $e.FullyQualifiedErrorId | Should -BeLike 'CheckpointFileNotFound,*'
        $e.CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'reports a file that is no checkpoint as UnsupportedCheckpoint' {
        $text = Join-Path $TestDrive 'notes.txt'
        Set-Content -LiteralPath $text -Value 'not a model'
        $e = $null
        try { Import-HubStateDict -LiteralPath $text -ErrorAction Stop } catch { $e = $_ }
        $e.FullyQualifiedErrorId | Should -BeLike 'UnsupportedCheckpoint,*'
        $e.CategoryInfo.Category | Should -Be 'InvalidData'
    }
}

Describe 'Import-HubTorchScript' {
    It 'runs forward(ones(1, 4)) as PyTorch does' {
        $module = Import-HubTorchScript -Path $scriptFile
        $y = $module.forward([TorchSharp.torch]::ones(1, 4))
        $y.shape | Should -Be @(1, 2)
        $values = $y.data[float]().ToArray()
        for ($i = 0; $i -lt 2; $i++) { [math]::Abs($values[$i] - $expected[$i]) | Should -BeLessThan 1e-5 }
    }
}
