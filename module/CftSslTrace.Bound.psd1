# Type data bound to the module's .NET types, in a module of its own: CftSslTrace.psm1 imports it once the assemblies are
# loaded (PowerShell resolves the types it names as it reads the file), and it goes with CftSslTrace: the enumerations'
# deserialization targets, the sessions' Frames code property.
@{
    ModuleVersion     = '0.4.0'
    GUID              = '0d3c9a51-7e2b-4f86-9c1d-5a8e2f4b7c60'
    Description       = 'Type data bound to the CftSslTrace assemblies (imported by CftSslTrace).'
    TypesToProcess    = @('CftSslTrace.Bound.Types.ps1xml')
    CmdletsToExport   = @()
    FunctionsToExport = @()
    VariablesToExport = @()
    AliasesToExport   = @()
}
