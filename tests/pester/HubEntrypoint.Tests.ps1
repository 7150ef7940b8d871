#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Pester 5 specs for Get-HubEntrypoint and Get-HubHelp, for people with pwsh. The same behaviour
# is tested through the hosted engine by tests/TorchHub.Tests/PowerShell/EntrypointCmdletTests.cs
# CI runs it in real pwsh (.ci/run).

BeforeAll {
    $root = Resolve-Path (Join-Path $PSScriptRoot '../..')
    Import-Module (Join-Path $root 'out/TorchHub/TorchHub.psd1') -Force
    $vision = Join-Path $root 'examples/vision'
}

Describe 'Get-HubEntrypoint' {
    It 'lists what torch.hub.list lists, sorted' {
        (Get-HubEntrypoint -Path $vision).Name | Should -Be @(
            'alexnet', 'get_model_weights', 'get_weight', 'raft_large', 'raft_small', 'resnet18', 'resnet50', 'wide_resnet50_2')
    }

    It 'filters with wildcards' {
        (Get-HubEntrypoint -LiteralPath $vision -Name resnet*).Name | Should -Be @('resnet18', 'resnet50')
    }

    It 'reports an unknown exact name as EntrypointNotFound with a suggestion' {
        Get-HubEntrypoint -Path $vision -Name resnet19 -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -Be 'EntrypointNotFound,TorchHub.PowerShell.Commands.GetHubEntrypointCommand'
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $err[0].Exception.Message | Should -Match "Did you mean 'resnet18'"
    }

    It 'exposes the dependencies list' {
        (Get-HubEntrypoint -Path $vision -AsListing).Dependencies | Should -Be @('torch')
    }

    It 'fails clearly for a folder without hubconf' {
        $empty = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'empty')
        { Get-HubEntrypoint -LiteralPath $empty.FullName -ErrorAction Stop } |
            Should -Throw -ErrorId 'HubconfNotFound,TorchHub.PowerShell.Commands.GetHubEntrypointCommand'
    }

    It 'gives the docstring''s first sentence as the synopsis, its wrapped lines joined' {
        # raft_large's docstring breaks its first sentence after 'RAFT model from'.
        (Get-HubEntrypoint -Path $vision -Name raft_large).Synopsis |
            Should -BeExactly 'RAFT model from `RAFT: Recurrent All Pairs Field Transforms for Optical Flow <https://arxiv.org/abs/2003.12039>`_.'
    }

    It 'shows one table, grouped by repository, marking an entrypoint it is unsure of with [?]' {
        $folder = New-Item -ItemType Directory (Join-Path $TestDrive 'decorated')
        Set-Content (Join-Path $folder 'hubconf.py') "from elsewhere import deco`ndependencies = []`n`n@deco`ndef odd():`n    '''Made by a decorator.'''`n`ndef plain():`n    '''A plain one.'''"
        $text = Get-HubEntrypoint -LiteralPath $folder.FullName -Name odd, plain | Out-String -Width 120
        $text | Should -Match "Repository: $([regex]::Escape($folder.FullName))"
        $text | Should -Match '(?m)^Name\s+Language\s+Route\s+Synopsis\s*$'
        $text | Should -Match '(?m)^odd\s+Python\s+\w+\s+Made by a decorator\. \[\?\]\s*$'
        $text | Should -Match '(?m)^plain\s+Python\s+\w+\s+A plain one\.\s*$'
    }

    It 'completes -Name from the repository' {
        $line = "Get-HubEntrypoint -Path '$vision' -Name res"
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText |
            Should -Be @('resnet18', 'resnet50')
    }
}

Describe 'Get-HubHelp' {
    It 'binds piped entrypoints and returns the raw docstring as ToString()' {
        $help = Get-HubEntrypoint -Path $vision -Name resnet18 | Get-HubHelp
        # A backtick escapes the next character in a -like pattern: the docstring's own backtick is matched with -Match.
        $help.ToString() | Should -Match '^ResNet-18 from `Deep Residual Learning'
        $help.Text | Should -Match "`nArgs:`n"
    }

    It 'writes just the string with -Raw' {
        Get-HubHelp -Path $vision -Name alexnet -Raw | Should -BeLike 'AlexNet model architecture*'
    }
}
