@{
    # The root module loads the decoder and the cmdlets from the build that fits this PowerShell (module/bin, or its
    # ReadyToRun images in module/bin/linux-x64); the binary module's base folder holds its help (en-US).
    RootModule           = 'module/CftSslTrace.psm1'
    ModuleVersion        = '0.4.0'
    GUID                 = '6f0c2b7e-4d1a-4c59-9a8e-3b1f7c2d5e90'
    Author               = 'CftSslTrace contributors'
    CompanyName          = 'CftSslTrace'
    Copyright            = '(c) CftSslTrace contributors. MIT licence.'
    Description          = 'Decodes Axway Transfer CFT SSL/TLS traces (CFTSSL TRACE=255): sessions, TLS records and handshake messages, certificates, alerts, and why a partner connection failed, as PowerShell objects.'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Desktop', 'Core')
    DotNetFrameworkVersion = '4.7.2'
    FormatsToProcess     = @('module/CftSslTrace.Format.ps1xml')
    TypesToProcess       = @('module/CftSslTrace.Types.ps1xml')
    CmdletsToExport      = @('Get-CftSslSession', 'Get-CftSslFrame', 'Get-CftSslCertificate', 'ConvertFrom-CftHexDump', 'Get-CftCipherSuite', 'Get-CftSslAlert', 'Get-CftSslSecurityRating', 'Export-CftSslPcap', 'Export-CftSslCertificate', 'Get-CftSslPartner', 'Compare-CftSslSession', 'Show-CftSslSession', 'Export-CftSslReport')
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags       = @('Axway', 'TransferCFT', 'CFT', 'TLS', 'SSL', 'Troubleshooting', 'PSEdition_Desktop', 'PSEdition_Core', 'Windows', 'Linux')
            ProjectUri   = 'https://example.invalid/CftSslTrace'
            LicenseUri   = 'https://example.invalid/CftSslTrace/blob/main/module/LICENSE.txt'
            ReleaseNotes = 'See module/ReleaseNotes.md. 0.4.0: the files of a command read as one history (switched logs, gzip and zip archives), Get-CftSslPartner and Compare-CftSslSession (who fails since when, what changed, the likely cause in CFT terms), Show-CftSslSession (the handshake ladder) and Export-CftSslReport (a self-contained HTML report), sessions from remoting grouped per computer, a fleet report.'
        }
    }
}
