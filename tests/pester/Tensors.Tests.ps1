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

    It 'shows every key whole at 120 columns, however long' {
        # A safetensors file (8-byte header length, JSON header, data) with two keys that only
        # differ after their 30th character, where pwsh's own dictionary table cuts them.
        $keys = 'backbone.layer4.1.downsample.1.running_mean', 'backbone.layer4.1.downsample.1.running_var'
        $header = [Text.Encoding]::UTF8.GetBytes((ConvertTo-Json -Compress @{
            $keys[0] = @{ dtype = 'F32'; shape = @(2); data_offsets = @(0, 8) }
            $keys[1] = @{ dtype = 'F32'; shape = @(2); data_offsets = @(8, 16) } }))
        $file = Join-Path $TestDrive 'long-keys.safetensors'
        [IO.File]::WriteAllBytes($file, [BitConverter]::GetBytes([long]$header.Length) + $header + [byte[]]::new(16))

        $state = Import-HubStateDict -LiteralPath $file
        $state.PSObject.TypeNames[0] | Should -Be 'TorchHub.Tensors.StateDict'
        $state.Count | Should -Be 2   # still the dictionary: indexing and counting work as before
        $lines = ($state | Out-String -Width 120) -split '\r?\n' | Where-Object { $_.Trim() }
        $lines[0] | Should -Match '^Name\s+Value$'
        $lines | Should -Contain "$($keys[0])  (2) Float32"
        $lines | Should -Contain "$($keys[1])   (2) Float32"
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
