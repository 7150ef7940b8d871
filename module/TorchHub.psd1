@{
    RootModule           = 'TorchHub.PowerShell.dll'
    ModuleVersion        = '{{ModuleVersion}}'
    CompatiblePSEditions = @('Core')
    PowerShellVersion    = '7.6'
    GUID                 = '6f1d3c8e-5b2a-4e7f-9a41-2c7d8b0e9f13'
    Author               = 'TorchHub contributors'
    CompanyName          = 'TorchHub'
    Copyright            = '(c) 2026 TorchHub contributors. MIT License.'
    Description          = 'PyTorch Hub for PowerShell and .NET: list, document and load hub models, prefetch repositories and weights into a cache that PyTorch shares, safely.'
    # One file per area: TorchHub.Format.ps1xml, TorchHub.<Area>.Format.ps1xml. Keep explicit;
    # a test fails when a module/*.ps1xml file is missing here or a listed file is missing.
    FormatsToProcess     = @(
        'TorchHub.Format.ps1xml'
        'TorchHub.Downloads.Format.ps1xml'
        'TorchHub.Repositories.Format.ps1xml'
        'TorchHub.Tensors.Format.ps1xml'
        'TorchHub.Fleet.Format.ps1xml'
        'TorchHub.Runtime.Format.ps1xml'
    )
    CmdletsToExport      = @(
        'Get-HubDirectory'
        'Get-HubEntrypoint'
        'Get-HubHelp'
        'Set-HubDirectory'
        'Import-HubModel'
        'Save-HubFile'
        'Save-HubRepository'
        'Get-HubCache'
        'Import-HubStateDict'
        'Import-HubTorchScript'
        'Get-HubTrust'
        'Add-HubTrust'
        'Remove-HubTrust'
        'Remove-HubCache'
        'Restore-HubCache'
        'Export-HubLockFile'
        'Install-HubRuntime'
        'Get-HubRuntime'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('PyTorch', 'TorchHub', 'TorchSharp', 'MachineLearning', 'PSEdition_Core', 'Linux', 'Windows', 'MacOS')
            ProjectUri   = 'https://github.com/torchhub-ps/TorchHub'
            LicenseUri   = 'https://github.com/torchhub-ps/TorchHub/blob/main/LICENSE'
            ReleaseNotes = 'First release: hub directory, listing and help of hub repositories, downloads into the cache PyTorch shares, checkpoint and TorchScript loading, hubconf.cs models.'
        }
    }
}
