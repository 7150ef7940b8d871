#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Mirrors tests/TorchHub.Tests/PowerShell/Help/ManifestTests.cs.

BeforeAll {
    $root = Join-Path $PSScriptRoot '../..'
    $manifestPath = Join-Path $root 'out/TorchHub/TorchHub.psd1'
    $version = ([xml](Get-Content (Join-Path $root 'Directory.Build.props') -Raw)).Project.PropertyGroup.ModuleVersion | Where-Object { $_ } | Select-Object -First 1
}

Describe 'TorchHub manifest' {
    It 'passes Test-ModuleManifest' {
        { Test-ModuleManifest -Path $manifestPath -ErrorAction Stop } | Should -Not -Throw
    }

    It 'carries the one version of Directory.Build.props' {
        (Test-ModuleManifest -Path $manifestPath).Version | Should -Be ([version]$version)
        $dll = Join-Path $root 'out/TorchHub/TorchHub.PowerShell.dll'
        [System.Reflection.AssemblyName]::GetAssemblyName($dll).Version | Should -Be ([version]"$version.0")
    }

    It 'has what the PowerShell Gallery needs' {
        $module = Test-ModuleManifest -Path $manifestPath
        $module.Author | Should -Not -BeNullOrEmpty
        $module.CompanyName | Should -Not -BeNullOrEmpty
        $module.Copyright | Should -Not -BeNullOrEmpty
        $module.Description | Should -Not -BeNullOrEmpty
        $module.PowerShellVersion | Should -Be ([version]'7.6')
        $module.CompatiblePSEditions | Should -Be @('Core')
        $module.Tags | Should -Contain 'PSEdition_Core'
        $module.ProjectUri | Should -Not -BeNullOrEmpty
        $module.LicenseUri | Should -Not -BeNullOrEmpty
        $module.ReleaseNotes | Should -Not -BeNullOrEmpty
    }

    It 'exports explicitly, without wildcards' {
        $data = Import-PowerShellDataFile $manifestPath
        foreach ($key in 'CmdletsToExport', 'FunctionsToExport', 'AliasesToExport', 'VariablesToExport') {
            $data.ContainsKey($key) | Should -BeTrue -Because "$key must be explicit"
            $data[$key] | Where-Object { $_ -like '*`**' } | Should -BeNullOrEmpty
        }
        Import-Module $manifestPath -Force
        (Get-Command -Module TorchHub -CommandType Cmdlet).Name | Sort-Object | Should -Be ($data.CmdletsToExport | Sort-Object)
    }

    It 'ships its help and formats' {
        Join-Path $root 'out/TorchHub/en-US/TorchHub.PowerShell.dll-Help.xml' | Should -Exist
        Join-Path $root 'out/TorchHub/en-US/about_TorchHub.help.txt' | Should -Exist
        foreach ($format in (Import-PowerShellDataFile $manifestPath).FormatsToProcess) {
            Join-Path $root 'out/TorchHub' $format | Should -Exist
        }
    }

    It 'gives each type at most one view of each kind (pwsh would use only the first)' {
        Import-Module $manifestPath -Force
        $twice = foreach ($type in Get-FormatData -TypeName 'TorchHub.*', 'TorchSharp.*') {
            $type.FormatViewDefinition | Group-Object { $_.Control.GetType().Name } |
                Where-Object Count -gt 1 | ForEach-Object { "$($type.TypeNames -join ', '): $($_.Count) $($_.Name)s" }
        }
        $twice | Should -BeNullOrEmpty
        (Get-FormatData -TypeName TorchHub.Hubconf.HubEntrypoint).FormatViewDefinition.Control.GetType().Name | Should -Be 'TableControl'
    }
}
