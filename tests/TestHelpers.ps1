# Helpers the Pester files share (dot-sourced in their BeforeAll; not a test file itself).

# Lines rendered by the default view at a given width, as a console, Out-File or a transcript shows them.
function Show($InputObject, [int] $Width) {
    ($InputObject | Out-String -Width $Width) -split "`r?`n"
}

# A PowerShell in a new process, as a scheduled task starts one.
function Invoke-ChildShell([string] $File, [string[]] $Arguments) {
    $exe = Join-Path $PSHOME 'pwsh'
    if ($PSVersionTable.PSVersion.Major -lt 6) { & powershell.exe -NoProfile -NonInteractive -File $File @Arguments }
    elseif (Test-Path $exe) { & $exe -NoProfile -NonInteractive -File $File @Arguments }
    elseif (Test-Path "$exe.exe") { & "$exe.exe" -NoProfile -NonInteractive -File $File @Arguments }
    else { & dotnet (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -File $File @Arguments }
}
