<#
.SYNOPSIS
    Speed and memory of the reading engine, measured in one run against grep and tshark.
.DESCRIPTION
    Builds, from the real fixtures (tests/fixtures/real), a busy CFT log of -SizeMB megabytes (interleaved sessions,
    CTX values reused, node+date prefixes, CRLF, application data as TRACE=255 dumps it) and its twin capture
    (Get-CftSslFrame | Export-CftSslPcap), then prints, in one run, medians of -Repeat measures of:
      grep -c CFTY02Z on the log; tshark -T fields on the twin capture; Get-CftSslSession in a warm shell (this one,
      after a few runs) -- these three in rounds, one after the other, and their ratios as the medians of the rounds'
      ratios --; Get-CftSslFrame | Export-Csv; the first call on a 20 MB log in a fresh shell (a scheduled script).
    With -Memory, the peak working set of a whole fresh pwsh process reading, at -SizeMB and at -LargeSizeMB: one
    session carrying a large transfer, sessions that never close, and the busy log; and of pwsh with the module
    imported and nothing read.
    Needs: the .NET SDK (to build and to generate the logs), grep, tshark. Run it in PowerShell 7:
      ../shared/tools/pwsh -NoProfile -File tests/bench/Invoke-Benchmark.ps1 -Memory
.PARAMETER SizeMB
    Size of the busy log (default 200).
.PARAMETER LargeSizeMB
    Size of the large inputs of the memory test (default 1024).
.PARAMETER Repeat
    Rounds of measures (default 7).
.PARAMETER Work
    Folder for the generated logs (default: a folder in the temp directory; deleted at the end unless -Keep).
#>
[CmdletBinding()]
param(
    [int] $SizeMB = 200,
    [int] $LargeSizeMB = 1024,
    [int] $Repeat = 7,
    [string] $Work = (Join-Path ([IO.Path]::GetTempPath()) 'cftssltrace-bench'),
    [switch] $Memory,
    [switch] $Keep
)

$ErrorActionPreference = 'Stop'
$root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$manifest = Join-Path $root 'CftSslTrace.psd1'
# a fresh shell like this one (a framework-dependent pwsh runs as "dotnet pwsh.dll")
$self = (Get-Process -Id $PID).Path
[string[]] $selfArgs = if ([IO.Path]::GetFileNameWithoutExtension($self) -eq 'dotnet') { @(Join-Path $PSHOME 'pwsh.dll') } else { @() }
function Invoke-FreshShell([string] $command) { & $self @selfArgs -NoProfile -NonInteractive -Command $command }
New-Item -ItemType Directory -Force -Path $Work | Out-Null

function Invoke-Checked([string] $file, [string[]] $arguments) {
    & $file @arguments
    if ($LASTEXITCODE -ne 0) { throw "$file $($arguments -join ' ') failed ($LASTEXITCODE)" }
}

function Get-Median([double[]] $values) {
    $s = $values | Sort-Object
    if ($s.Count % 2) { return $s[[int][math]::Floor($s.Count / 2)] }
    return ($s[$s.Count / 2 - 1] + $s[$s.Count / 2]) / 2
}

function Measure-Median([scriptblock] $block, [int] $times = $Repeat) {
    Get-Median @(foreach ($i in 1..$times) { (Measure-Command $block).TotalSeconds })
}

Write-Host "building (Release) ..."
Invoke-Checked dotnet @('build', (Join-Path $root 'CftSslTrace.slnx'), '-c', 'Release', '-v', 'q', '-nologo')
$generator = Join-Path $root 'tests/CftSslTrace.LargeLogBench/bin/Release/net10.0/CftSslTrace.LargeLogBench.dll'

function New-Log([string] $kind, [int] $mb) {
    $path = Join-Path $Work "$kind-$mb.log"
    if (-not (Test-Path $path)) { Invoke-Checked dotnet @($generator, 'generate', $kind, "$mb", $path) | Write-Host }
    $path
}

Import-Module $manifest
$busy = New-Log busy $SizeMB
$small = New-Log busy 20
$twin = Join-Path $Work "busy-$SizeMB.pcapng"
if (-not (Test-Path $twin)) { Get-CftSslFrame -LiteralPath $busy | Export-CftSslPcap -LiteralPath $twin }
$logMB = (Get-Item $busy).Length / 1MB
$pcapMB = (Get-Item $twin).Length / 1MB

Write-Host "measuring ($Repeat rounds) ..."
# grep and tshark run by /bin/sh with their output to a file (PowerShell does not read it; not /dev/null: GNU grep
# stops at the first match when its output is /dev/null); page cache warm for everyone
$grepOut = Join-Path $Work 'grep.out'
$tsharkOut = Join-Path $Work 'tshark.out'
$grepCommand = "grep -c CFTY02Z '$busy' > '$grepOut'"
$tsharkCommand = "tshark -r '$twin' -T fields -e tls.handshake.type -e tls.record.content_type -e tls.handshake.ciphersuite > '$tsharkOut' 2>/dev/null"
& /bin/sh -c $grepCommand
$dumpLines = [long](Get-Content -LiteralPath $grepOut)
if ($dumpLines -lt 1000) { throw "grep counted $dumpLines CFTY02Z lines in $busy" }
& /bin/sh -c $tsharkCommand
$tsharkLines = [IO.File]::ReadLines($tsharkOut) | Measure-Object | ForEach-Object Count
# warm-up: a shell that has run the command a few times (the engine's code and PowerShell's are compiled)
$sessions = (Get-CftSslSession -LiteralPath $busy | Measure-Object).Count
foreach ($i in 1..3) { Get-CftSslSession -LiteralPath $busy | Out-Null }
# Rounds: grep, tshark and Get-CftSslSession one after the other in each round, so that a slow spell of a shared machine
# weighs on all three; the ratios are the medians of each round's ratios.
$rounds = foreach ($i in 1..$Repeat) {
    $g = (Measure-Command { & /bin/sh -c $grepCommand }).TotalSeconds
    $t = (Measure-Command { & /bin/sh -c $tsharkCommand }).TotalSeconds
    $c = (Measure-Command { Get-CftSslSession -LiteralPath $busy | Out-Null }).TotalSeconds
    [pscustomobject]@{ Grep = $g; Tshark = $t; Session = $c; SessionPerGrep = $c / $g; TsharkPerSession = $t / $c }
}
$grep = Get-Median $rounds.Grep
$tshark = Get-Median $rounds.Tshark
$session = Get-Median $rounds.Session
$perGrep = Get-Median $rounds.SessionPerGrep
$perTshark = Get-Median $rounds.TsharkPerSession
$csv = Join-Path $Work 'frames.csv'
$frames = Measure-Median { Get-CftSslFrame -LiteralPath $busy | Export-Csv -LiteralPath $csv -NoTypeInformation } ([math]::Max(2, [int]($Repeat / 2)))
$frameCount = [IO.File]::ReadLines($csv) | Measure-Object | Select-Object -ExpandProperty Count

# a scheduled script: a fresh shell, the module imported, one call on a 20 MB log
$cold = foreach ($i in 1..$Repeat) {
    $out = Invoke-FreshShell "Import-Module '$manifest'; `$a = (Measure-Command { Get-CftSslSession -LiteralPath '$small' | Out-Null }).TotalSeconds; `$b = (Measure-Command { Get-CftSslSession -LiteralPath '$small' | Out-Null }).TotalSeconds; `"`$a `$b`""
    $parts = "$out".Trim() -split ' '
    [pscustomobject]@{ First = [double]$parts[0]; Second = [double]$parts[1] }
}
$smallMB = (Get-Item $small).Length / 1MB

$rows = @(
    [pscustomobject]@{ What = "grep -c CFTY02Z ($([int]$logMB) MB log)"; Seconds = $grep; 'x grep' = 1.0; 'x tshark' = $grep / $tshark }
    [pscustomobject]@{ What = "tshark -T fields (twin capture, $([int]$pcapMB) MB)"; Seconds = $tshark; 'x grep' = $tshark / $grep; 'x tshark' = 1.0 }
    [pscustomobject]@{ What = "Get-CftSslSession ($sessions sessions), warm"; Seconds = $session; 'x grep' = $session / $grep; 'x tshark' = $session / $tshark }
    [pscustomobject]@{ What = "Get-CftSslFrame | Export-Csv ($($frameCount - 1) frames), warm"; Seconds = $frames; 'x grep' = $frames / $grep; 'x tshark' = $frames / $tshark }
)
Write-Host ""
Write-Host ("grep counted {0} CFTY02Z lines; tshark wrote {1} lines of fields" -f $dumpLines, $tsharkLines)
Write-Host ("Log: {0:0} MB, {1} sessions, {2} lines; this machine: {3} cores, PowerShell {4}, .NET {5}" -f $logMB, $sessions, ([IO.File]::ReadLines($busy) | Measure-Object).Count, [Environment]::ProcessorCount, $PSVersionTable.PSVersion, [Environment]::Version)
$rows | Format-Table What, @{ n = 'Seconds'; e = { '{0:0.000}' -f $_.Seconds }; a = 'right' }, @{ n = 'x grep'; e = { '{0:0.00}' -f $_.'x grep' }; a = 'right' }, @{ n = 'x tshark'; e = { '{0:0.00}' -f $_.'x tshark' }; a = 'right' } -AutoSize | Out-Host
Write-Host ("Get-CftSslSession is {0:0.0}x faster than tshark and takes {1:0.0}x the time of grep (medians of the {2} rounds' ratios; targets: at least 5x faster, within 4x)." -f $perTshark, $perGrep, $Repeat)
Write-Host ("Rounds (grep, tshark, Get-CftSslSession, seconds): " + (($rounds | ForEach-Object { '{0:0.000}/{1:0.000}/{2:0.000}' -f $_.Grep, $_.Tshark, $_.Session }) -join '  '))
Write-Host ("Fresh shell, 20 MB log ({0:0} MB): first call {1:0.000} s, second call {2:0.000} s (medians of {3} shells)." -f $smallMB, (Get-Median $cold.First), (Get-Median $cold.Second), $Repeat)

if ($Memory) {
    Write-Host ""
    Write-Host "memory: peak working set of a fresh pwsh process (module imported, one Get-CftSslSession) ..."
    $probe = "Import-Module '$manifest'; `$n = 0; Get-CftSslSession -LiteralPath '{0}' | ForEach-Object {{ `$n++ }}; [GC]::Collect(); `$p = [Diagnostics.Process]::GetCurrentProcess(); `"`$n `$(`$p.PeakWorkingSet64)`""
    $idle = Invoke-FreshShell "Import-Module '$manifest'; [Diagnostics.Process]::GetCurrentProcess().PeakWorkingSet64"
    $mem = foreach ($kind in 'transfer', 'unclosed', 'busy') {
        $cells = [ordered]@{ Input = $kind }
        foreach ($mb in $SizeMB, $LargeSizeMB) {
            $log = New-Log $kind $mb
            $sw = [Diagnostics.Stopwatch]::StartNew()
            $out = Invoke-FreshShell ($probe -f $log)
            $n, $peak = "$out".Trim() -split ' '
            $cells["$mb MB: sessions"] = [int]$n
            $cells["$mb MB: peak MB"] = [int]([long]$peak / 1MB)
            $cells["$mb MB: s"] = [math]::Round($sw.Elapsed.TotalSeconds, 1)
        }
        $cells['growth'] = '{0:+0.0;-0.0}%' -f (100.0 * ($cells["$LargeSizeMB MB: peak MB"] - $cells["$SizeMB MB: peak MB"]) / $cells["$SizeMB MB: peak MB"])
        [pscustomobject]$cells
    }
    $mem | Format-Table -AutoSize | Out-Host
    Write-Host ("pwsh with the module imported and nothing read: {0:0} MB (targets: at most 200 MB, within 10% between {1} MB and {2} MB)" -f ([long]"$idle".Trim() / 1MB), $SizeMB, $LargeSizeMB)
}

if (-not $Keep) { Remove-Item -Recurse -Force $Work }
