# Pester 5: which assemblies a new PowerShell loads, as a scheduled task starts one: the ReadyToRun images (compiled ahead
# of time) on PowerShell 7 / .NET 10 / Linux x64, the portable netstandard2.0 assemblies everywhere else or when asked.

BeforeAll {
    $root = Split-Path -Parent $PSScriptRoot
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $work = Join-Path ([System.IO.Path]::GetTempPath()) ('cftssltrace-load-' + [guid]::NewGuid())
    $null = New-Item -ItemType Directory -Path $work
    $busy = Join-Path $PSScriptRoot 'fixtures/real/busy.log'
    # a new shell: imports the module, reads the busy fixture once, and tells where the assemblies came from, how many
    # methods the runtime compiled during that first read, and what it read
    $probe = Join-Path $work 'probe.ps1'
    Set-Content -LiteralPath $probe -Value @"
param([string] `$Portable)
if (`$Portable) { `$env:CFTSSLTRACE_PORTABLE = '1' }
Import-Module '$(Join-Path $root 'CftSslTrace.psd1')' -ErrorAction Stop
`$before = [System.Runtime.JitInfo]::GetCompiledMethodCount(`$false)
`$sessions = @(Get-CftSslSession -Path '$busy')
`$after = [System.Runtime.JitInfo]::GetCompiledMethodCount(`$false)
'core=' + [CftSslTrace.Sessions.CftSslSession].Assembly.Location
'cmdlets=' + (Get-Command Get-CftSslSession).ImplementingType.Assembly.Location
'compiled=' + (`$after - `$before)
'sessions=' + ((`$sessions | ForEach-Object { '{0}:{1}:{2}:{3}' -f `$_.Ctx, `$_.Result, `$_.Version, `$_.Failure.Name }) -join ',')
'enum=' + (Get-TypeData Deserialized.CftSslTrace.Sessions.SessionResult).TypeName
Remove-Module CftSslTrace
'removed=' + [bool](Get-TypeData Deserialized.CftSslTrace.Sessions.SessionResult)
Import-Module '$(Join-Path $root 'CftSslTrace.psd1')' -ErrorAction Stop
'again=' + @(Get-CftSslSession -Path '$busy').Count
"@
    function Invoke-Probe([switch] $Portable) {
        $values = @{}
        $arguments = if ($Portable) { @('-Portable', '1') } else { @() }
        foreach ($line in (Invoke-ChildShell $probe $arguments)) { $k, $v = "$line" -split '=', 2; if ($v -ne $null) { $values[$k] = $v } }
        $values
    }
    $native = $PSVersionTable.PSEdition -eq 'Core' -and [Environment]::Version.Major -ge 10 -and $IsLinux -and
        [System.Runtime.InteropServices.RuntimeInformation]::ProcessArchitecture -eq 'X64'
}

AfterAll { Remove-Item -Recurse -Force $work -ErrorAction SilentlyContinue }

Describe 'The assemblies a new shell loads' {
    It 'loads the ReadyToRun images on .NET 10 / Linux x64, whose first read compiles under half the methods the portable assemblies need, with the same sessions' {
        if (-not $native) { Set-ItResult -Skipped -Because "the ReadyToRun images are for PowerShell 7 on .NET 10 or later on Linux x64 (this is $($PSVersionTable.PSEdition) on .NET $([Environment]::Version), $([System.Runtime.InteropServices.RuntimeInformation]::OSDescription))"; return }
        if (-not (Test-Path (Join-Path $root 'module/bin/linux-x64/CftSslTrace.Core.dll'))) { Set-ItResult -Skipped -Because 'module/bin/linux-x64 is not built (dotnet build CftSslTrace.slnx builds src/CftSslTrace.ReadyToRun)'; return }
        $r2r = Invoke-Probe
        $portable = Invoke-Probe -Portable
        $r2r.core | Should -Be (Join-Path $root 'module/bin/linux-x64/CftSslTrace.Core.dll')
        $r2r.cmdlets | Should -Be (Join-Path $root 'module/bin/linux-x64/CftSslTrace.PowerShell.dll')
        $portable.core | Should -Be (Join-Path $root 'module/bin/CftSslTrace.Core.dll')
        $portable.cmdlets | Should -Be (Join-Path $root 'module/bin/CftSslTrace.PowerShell.dll')
        # the runtime uses the images' native code (it would compile everything again if it refused them)
        [int] $r2r.compiled | Should -BeLessThan ([int] $portable.compiled / 2) -Because "ReadyToRun: $($r2r.compiled) methods compiled, portable: $($portable.compiled)"
        $r2r.sessions | Should -Be $portable.sessions
        ($r2r.sessions -split ',') | Should -HaveCount 5
        $r2r.sessions | Should -Match ':Failed:'
    }

    It 'names the enumerations for deserialization while imported, forgets them with the module, and imports again' {
        $values = Invoke-Probe -Portable:(-not $native)
        $values.enum | Should -Be 'Deserialized.CftSslTrace.Sessions.SessionResult'
        $values.removed | Should -Be 'False'
        $values.again | Should -Be 5
    }
}
