# Type data that names the decoder's enumerations, in a module of its own: CftSslTrace.psm1 imports it once the decoder's
# assembly is loaded (PowerShell resolves the types as it reads the file), and it goes with CftSslTrace.
@{
    ModuleVersion     = '0.4.0'
    GUID              = '0d3c9a51-7e2b-4f86-9c1d-5a8e2f4b7c60'
    Description       = 'Type data of CftSslTrace enumerations (imported by CftSslTrace).'
    TypesToProcess    = @('CftSslTrace.Enums.Types.ps1xml')
    CmdletsToExport   = @()
    FunctionsToExport = @()
    VariablesToExport = @()
    AliasesToExport   = @()
}
