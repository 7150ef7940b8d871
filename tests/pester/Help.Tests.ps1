#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Mirrors tests/TorchHub.Tests/PowerShell/Help/*: Get-Help for every exported cmdlet, pages in docs/help.

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot '../../out/TorchHub/TorchHub.psd1') -Force
    $commands = Get-Command -Module TorchHub -CommandType Cmdlet | ForEach-Object { @{ Name = $_.Name } }
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../out/TorchHub/TorchHub.psd1') -Force
    $helpFolder = Join-Path $PSScriptRoot '../../docs/help'
    $common = [System.Management.Automation.Cmdlet]::CommonParameters
}

Describe '<Name>' -ForEach $commands {
    BeforeAll {
        $help = Get-Help $Name -Full
        $command = Get-Command $Name
    }

    It 'has a page in docs/help' {
        Join-Path $helpFolder "$Name.md" | Should -Exist
    }

    It 'has a synopsis and a description' {
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -BeLike "$Name*"
        ($help.description.Text -join '') | Should -Not -BeNullOrEmpty
    }

    It 'has at least two examples with code and remarks' {
        @($help.examples.example).Count | Should -BeGreaterOrEqual 2
        foreach ($example in $help.examples.example) {
            $example.code | Should -Not -BeNullOrEmpty
            ($example.remarks.Text -join '') | Should -Not -BeNullOrEmpty
        }
    }

    It 'documents every parameter, and no other' {
        $actual = $command.Parameters.Keys | Where-Object { $_ -notin $common } | Sort-Object
        $documented = @($help.parameters.parameter | ForEach-Object { $_.name }) | Sort-Object
        $documented | Should -Be $actual
        foreach ($parameter in $help.parameters.parameter) {
            ($parameter.description.Text -join '') | Should -Not -BeNullOrEmpty -Because "-$($parameter.name) needs a description"
        }
    }

    It 'has examples that parse' {
        foreach ($example in $help.examples.example) {
            $errors = $null
            [System.Management.Automation.Language.Parser]::ParseInput($example.code, [ref]$null, [ref]$errors) | Out-Null
            $errors | Should -BeNullOrEmpty
        }
    }
}

Describe 'about_TorchHub' {
    It 'is found by Get-Help' {
        $text = Get-Help about_TorchHub | Out-String
        $text | Should -Match 'SHORT DESCRIPTION'
        $text | Should -Match 'TORCH_HOME'
        $text | Should -Match 'trusted_list'
    }
}
