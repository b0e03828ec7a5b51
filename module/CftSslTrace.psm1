# CftSslTrace's root module: loads the decoder and the cmdlets from the build that fits this PowerShell.
#  - PowerShell 7 on .NET 10 or later, Linux x64: bin/linux-x64/, the assemblies compiled ahead of time (ReadyToRun), so
#    that a fresh shell's first call runs native code at once instead of compiling the decoder as it reads;
#  - everywhere else (Windows PowerShell 5.1, PowerShell 7.4 and 7.5, other systems and processors): bin/, the portable
#    netstandard2.0 assemblies (the same code, compiled by the runtime as it runs).
# $env:CFTSSLTRACE_PORTABLE = 1 before the import chooses the portable assemblies everywhere.
# Engine commands and .NET only: the module also loads in hosts that have no other PowerShell command.
$bin = [System.IO.Path]::Combine($PSScriptRoot, 'bin')
# ($IsLinux exists from PowerShell 6 on; the cheapest tests first: each first call of a .NET member costs a new shell time)
if ($IsLinux -and -not $env:CFTSSLTRACE_PORTABLE -and [Environment]::Version.Major -ge 10 -and
    [System.Runtime.InteropServices.RuntimeInformation]::ProcessArchitecture -eq 'X64' -and
    [System.IO.File]::Exists([System.IO.Path]::Combine($bin, 'linux-x64', 'CftSslTrace.PowerShell.dll'))) {
    $bin = [System.IO.Path]::Combine($bin, 'linux-x64')
}
# the decoder, the cmdlets, then the type data bound to their types (the enumerations', the sessions' Frames: read once
# the assemblies are loaded);
# LoadFrom keeps an already loaded decoder (a host that references it)
$null = [System.Reflection.Assembly]::LoadFrom([System.IO.Path]::Combine($bin, 'CftSslTrace.Core.dll'))
Import-Module ([System.IO.Path]::Combine($bin, 'CftSslTrace.PowerShell.dll'))
Import-Module ([System.IO.Path]::Combine($PSScriptRoot, 'CftSslTrace.Bound.psd1'))
Export-ModuleMember -Cmdlet *
