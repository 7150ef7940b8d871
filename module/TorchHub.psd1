@{
    RootModule           = 'TorchHub.PowerShell.dll'
    ModuleVersion        = '{{ModuleVersion}}'
    CompatiblePSEditions = @('Core')
    PowerShellVersion    = '7.4'
    GUID                 = '6f1d3c8e-5b2a-4e7f-9a41-2c7d8b0e9f13'
    Author               = 'TorchHub contributors'
    CompanyName          = 'TorchHub'
    Copyright            = '(c) 2026 TorchHub contributors. MIT License.'
    Description          = 'PyTorch Hub for PowerShell and .NET: list, document and load hub models, prefetch repositories and weights into a cache that PyTorch shares, safely.'
    FormatsToProcess     = @('TorchHub.Downloads.Format.ps1xml', 'TorchHub.Tensors.Format.ps1xml')
    CmdletsToExport      = @(
        'Get-HubDirectory'
        'Set-HubDirectory'
        'Save-HubFile'
        'Import-HubStateDict'
        'Import-HubTorchScript'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('PyTorch', 'TorchHub', 'TorchSharp', 'MachineLearning', 'PSEdition_Core', 'Linux', 'Windows', 'MacOS')
            ProjectUri   = 'https://github.com/torchhub-ps/TorchHub'
            LicenseUri   = 'https://github.com/torchhub-ps/TorchHub/blob/main/LICENSE'
            ReleaseNotes = 'First release.'
        }
    }
}
