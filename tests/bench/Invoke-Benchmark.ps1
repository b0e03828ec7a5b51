<#
.SYNOPSIS
    Speed and memory of the reading engine on every shape of log, measured in one run against grep and tshark.
.DESCRIPTION
    Builds (Release), writes from the real fixtures (tests/fixtures/real) one log of each shape, and measures them in
    one run, in rounds: in each round grep -c CFTY02Z on the log, tshark -T fields on its twin capture (where there is
    one: Get-CftSslFrame | Export-CftSslPcap of the same sessions) and Get-CftSslSession in this warm shell run one
    after the other, so that a slow spell of a shared machine weighs on all of them; ratios are the medians of the
    rounds' ratios.
      busy         a busy server: interleaved sessions, file transfers (1 to 16 KB, one in a hundred of 256 KB to 1 MB)
      handshakes   a busy server whose sessions are mostly handshakes (little application data); has a twin capture
      unclosed     sessions that never write a closing line, in a log whose lines carry no time
      oneline      a log of one-line sessions (a dump line of a CTX seen once: every line a session and a warning)
      switched     the busy log as CFT's log switches leave it, archived: ten files, all gzip-compressed (and what
                   inflating them alone costs: the floor of reading them)
      many         the busy log as a thousand switched files of 200 KB (a log switched when small, a month of them)
      many-gz      the same thousand files, all gzip-compressed
      many-zip     the same thousand files as the entries of one zip archive (a month archived)
      transfers    the busy log with a line of a transfer of a partner without SSL after each of its lines (CFTT57I,
                   CFTR12I, CFTH11E of partners that have no session: a server whose other partners do not use SSL)
      cr           the busy log with CR line ends alone (old Mac tools, some exports); grep reads it through tr
      utf16        the busy log in UTF-16LE with a byte-order mark (Windows PowerShell 5.1's Out-File and > write so);
                   grep reads it through iconv
    Then the scheduled script: a fresh PowerShell process that imports the module and reads the handshake-heavy log
    once (start to exit), against the tshark process on its twin capture; and, in a fresh process, the first call
    against the warm calls after it; both again with the environment a scheduled task can give its pwsh
    (DOTNET_TieredPGO=0, DOTNET_GCgen0size=0x2000000; about_CftSslTrace, SCHEDULED SCRIPTS), and on a copy of this
    pwsh compiled ahead of time as PowerShell's installers ship it (when this pwsh is framework-dependent, IL only: the
    assemblies it loads compiled by crossgen2 into -Work). And the shapes that hold
    many sessions open, read twice in a fresh process (the second read timed, and the process's peak), as it is and
    with that environment.
    With -Memory, the peak working set of a whole fresh pwsh process reading (the median of three), at -SizeMB and at -LargeSizeMB: one
    session carrying a large transfer, sessions that never close, and the busy log; and of pwsh with the module
    imported and nothing read. And the answers built on the sessions, each in a fresh process: Get-CftSslPartner and
    Get-CftSslSession | Export-CftSslReport on the million one-line sessions, the handshakes and the busy log, their
    time and peak against Get-CftSslSession alone.
    Needs: the .NET SDK (to build and to generate the logs; its restore brings crossgen2), grep, gzip, tshark. Run it
    in PowerShell 7:
      ../shared/tools/pwsh -NoProfile -File tests/bench/Invoke-Benchmark.ps1 -Memory
.PARAMETER SizeMB
    Size of the busy and handshake-heavy logs (default 200); the log without closing lines is 1.65 times that, the
    log of one-line sessions holds a million sessions (100 MB).
.PARAMETER LargeSizeMB
    Size of the large inputs of the memory test (default 1024).
.PARAMETER Repeat
    Rounds of measures (default 5).
.PARAMETER Work
    Folder for the generated logs (default: a folder in the temp directory; deleted at the end unless -Keep).
#>
[CmdletBinding()]
param(
    [int] $SizeMB = 200,
    [int] $LargeSizeMB = 1024,
    [int] $Repeat = 5,
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
# the same with environment variables set for the child only (the runtime reads them when the process starts)
function Invoke-FreshShellWith([hashtable] $environment, [string] $command) {
    $saved = @{}
    foreach ($k in $environment.Keys) { $saved[$k] = [Environment]::GetEnvironmentVariable($k); [Environment]::SetEnvironmentVariable($k, $environment[$k]) }
    try { Invoke-FreshShell $command }
    finally { foreach ($k in $saved.Keys) { [Environment]::SetEnvironmentVariable($k, $saved[$k]) } }
}
# PowerShell as its installers ship it (MSI, deb, rpm, tar.gz: self-contained, ReadyToRun; PowerShell/PowerShell#26131):
# a framework-dependent pwsh ("dotnet pwsh.dll", as ../shared/tools has one) is IL only and compiles some 5,000 methods
# to start. The same pwsh with the assemblies such a process loads compiled ahead of time here (crossgen2, from the
# package the module's own ReadyToRun build restores) measures the start of an installed PowerShell; null (and why)
# where this pwsh is ReadyToRun already or crossgen2 is not there.
function Test-ReadyToRun([string] $path) {
    $stream = [IO.File]::OpenRead($path)
    try {
        $pe = [System.Reflection.PortableExecutable.PEReader]::new($stream)
        $cor = $pe.PEHeaders.CorHeader
        return $null -ne $cor -and $cor.ManagedNativeHeaderDirectory.Size -gt 0
    }
    finally { $stream.Dispose() }
}
function New-ReadyToRunShell([string] $folder) {
    $sma = Join-Path $PSHOME 'System.Management.Automation.dll'
    if (Test-ReadyToRun $sma) { return [pscustomobject]@{ Path = $null; Why = 'this pwsh is ReadyToRun already: the fresh shell above is an installed one' } }
    if (-not ($IsLinux -and [Runtime.InteropServices.RuntimeInformation]::ProcessArchitecture -eq 'X64')) { return [pscustomobject]@{ Path = $null; Why = 'crossgen2 is run here for Linux x64 only' } }
    $packages = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path $HOME '.nuget/packages' }
    $versions = Join-Path $packages 'microsoft.netcore.app.crossgen2.linux-x64'
    $runtime = [Environment]::Version
    $version = Get-ChildItem -LiteralPath $versions -Directory -ErrorAction SilentlyContinue | Where-Object { $_.Name -like "$($runtime.Major).*" } |
        Sort-Object { [version]$_.Name } | Select-Object -Last 1
    if (-not $version) { return [pscustomobject]@{ Path = $null; Why = "no crossgen2 $($runtime.Major).x package in $versions" } }
    $crossgen = Join-Path $version.FullName 'tools/crossgen2'
    $dll = Join-Path $folder 'pwsh.dll'
    if (Test-Path (Join-Path $folder '.compiled')) { return [pscustomobject]@{ Path = $dll; Why = $null } }
    if (Test-Path $folder) { Remove-Item -Recurse -Force $folder }
    Copy-Item -Recurse -LiteralPath $PSHOME -Destination $folder
    $framework = [Runtime.InteropServices.RuntimeEnvironment]::GetRuntimeDirectory()
    # the assemblies of $PSHOME this process loaded (it imported the module and read logs: a superset of the scheduled script's)
    $loaded = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { -not $_.IsDynamic -and $_.Location -and $_.Location.StartsWith($PSHOME) } | ForEach-Object Location
    foreach ($file in @($loaded) + (Join-Path $PSHOME 'pwsh.dll') | Sort-Object -Unique) {
        if (Test-ReadyToRun $file) { continue }
        $out = Join-Path $folder ([IO.Path]::GetFileName($file))
        # in a response file: PowerShell would expand the references' wildcards into inputs
        $rsp = "$out.rsp"
        Set-Content -LiteralPath $rsp -Value @($file, '-o', "$out.r2r", '-r', (Join-Path $framework '*.dll'), '-r', (Join-Path $PSHOME '*.dll'), '--targetos', 'linux', '--targetarch', 'x64', '-O')
        & $crossgen "@$rsp" | Out-Null
        Remove-Item -LiteralPath $rsp
        if ($LASTEXITCODE -ne 0) { return [pscustomobject]@{ Path = $null; Why = "crossgen2 failed on $file" } }
        Move-Item -Force "$out.r2r" $out
    }
    $null = New-Item -ItemType File -Path (Join-Path $folder '.compiled')
    [pscustomobject]@{ Path = $dll; Why = $null }
}
# a fresh shell of the ReadyToRun copy (run as this one is: by dotnet, or by its own apphost)
function Invoke-InstalledShell([string] $command) {
    if ($selfArgs.Count) { & $self $installed.Path -NoProfile -NonInteractive -Command $command }
    else { & (Join-Path (Split-Path $installed.Path) ([IO.Path]::GetFileName($self))) -NoProfile -NonInteractive -Command $command }
}
# what a scheduled task can set for its pwsh (see about_CftSslTrace, SCHEDULED SCRIPTS): no tiered PGO instrumentation
# (the first call runs without the instrumented tier), a 32 MB young generation (sessions held open are collected less often)
$tuned = @{ DOTNET_TieredPGO = '0'; DOTNET_GCgen0size = '0x2000000' }
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

Write-Host "building (Release) ..."
Invoke-Checked dotnet @('build', (Join-Path $root 'CftSslTrace.slnx'), '-c', 'Release', '-v', 'q', '-nologo')
$generator = Join-Path $root 'tests/CftSslTrace.LargeLogBench/bin/Release/net10.0/CftSslTrace.LargeLogBench.dll'

function New-Log([string] $kind, [int] $mb) {
    $path = Join-Path $Work "$kind-$mb.log"
    if (-not (Test-Path $path)) { Invoke-Checked dotnet @($generator, 'generate', $kind, "$mb", $path) | Write-Host }
    $path
}

function New-Twin([string] $log) {
    $twin = [IO.Path]::ChangeExtension($log, '.pcapng')
    if (-not (Test-Path $twin)) { Get-CftSslFrame -LiteralPath $log | Export-CftSslPcap -LiteralPath $twin }
    $twin
}

# the busy log as CFT's log switches leave it, archived: ten files at line boundaries, all gzip-compressed (the hardest
# case: every byte inflated)
function New-Switched([string] $log, [string] $name = 'switched', [int] $files = 10, [switch] $Plain) {
    $dir = Join-Path $Work $name
    if (Test-Path $dir) { return $dir }
    $null = New-Item -ItemType Directory -Path "$dir.part"
    $lines = [IO.File]::ReadLines($log) | Measure-Object | ForEach-Object Count
    $digits = [math]::Max(2, ([string]($files - 1)).Length)
    $compress = if ($Plain) { 'true' } else { 'gzip cftlog-*' }
    & /bin/sh -c "cd '$dir.part' && split -d -a $digits -l $([math]::Ceiling($lines / $files)) '$log' cftlog- && $compress"
    if ($LASTEXITCODE -ne 0) { throw "splitting $log failed" }
    Move-Item "$dir.part" $dir
    $dir
}

# the busy log as other tools leave it: CR line ends alone, or UTF-16LE with a byte-order mark (its CRLF kept)
function New-Variant([string] $log, [string] $name, [string] $command) {
    $path = Join-Path $Work "$name.log"
    if (-not (Test-Path $path)) {
        & /bin/sh -c ($command -f $log, "$path.part")
        if ($LASTEXITCODE -ne 0) { throw "writing $path failed" }
        Move-Item "$path.part" $path
    }
    $path
}

Import-Module $manifest
$shapes = @(
    [pscustomobject]@{ Name = 'busy'; Log = (New-Log busy $SizeMB); Twin = $null; Files = $null }
    [pscustomobject]@{ Name = 'handshakes'; Log = (New-Log handshakes $SizeMB); Twin = $null; Files = $null }
    [pscustomobject]@{ Name = 'unclosed'; Log = (New-Log unclosed-notime ([int]($SizeMB * 1.65))); Twin = $null; Files = $null }
    [pscustomobject]@{ Name = 'oneline'; Log = (New-Log oneline 100); Twin = $null; Files = $null }
)
$shapes[0].Twin = New-Twin $shapes[0].Log
$shapes[1].Twin = New-Twin $shapes[1].Log
$switched = New-Switched $shapes[0].Log
$shapes += [pscustomobject]@{ Name = 'switched'; Log = $shapes[0].Log; Twin = $null; Files = (Join-Path $switched '*') }
$many = New-Switched $shapes[0].Log 'many' 1000 -Plain
$shapes += [pscustomobject]@{ Name = 'many'; Log = $shapes[0].Log; Twin = $null; Files = (Join-Path $many '*'); Grep = "cat '$many'/* | grep -c CFTY02Z" }
$manyGz = New-Switched $shapes[0].Log 'many-gz' 1000
$shapes += [pscustomobject]@{ Name = 'many-gz'; Log = $shapes[0].Log; Twin = $null; Files = (Join-Path $manyGz '*'); Grep = "zcat '$manyGz'/* | grep -c CFTY02Z" }
$manyZip = Join-Path $Work 'many.zip'
if (-not (Test-Path $manyZip)) {
    & /bin/sh -c "cd '$many' && zip -q -1 '$manyZip.part' cftlog-* && mv '$manyZip.part' '$manyZip'"
    if ($LASTEXITCODE -ne 0) { throw "zipping $many failed" }
}
$shapes += [pscustomobject]@{ Name = 'many-zip'; Log = $shapes[0].Log; Twin = $null; Files = $manyZip; Grep = "unzip -p '$manyZip' | grep -c CFTY02Z" }
# the busy log with a line of a transfer without SSL after each of its lines (its prefix, one of three messages)
function New-Transfers([string] $log) {
    $path = Join-Path $Work 'busy-transfers.log'
    if (Test-Path $path) { return $path }
    $messages = 'CFTT57I PART=NOSSL042 IDF=BIN IDT=A0412345 _ ACT end of transfer',
        'CFTR12I END Treated for USER cft : PART=NOSSL017 IDF=BIN IDT=A0412346',
        'CFTH11E Error Opening session PART=NOSSL108 EVENT=REJECT PID=77'
    $writer = [IO.StreamWriter]::new("$path.part", $false, [Text.UTF8Encoding]::new($false), 1MB)
    try {
        $n = 0
        foreach ($line in [IO.File]::ReadLines($log)) {
            $writer.Write($line); $writer.Write("`r`n")
            $prefix = if ($line.Length -gt 24 -and $line[2] -eq ' ') { $line.Substring(0, 24) } else { '' }
            $writer.Write($prefix); $writer.Write($messages[$n++ % 3]); $writer.Write("`r`n")
        }
    }
    finally { $writer.Dispose() }
    Move-Item "$path.part" $path
    $path
}
$transfers = New-Transfers $shapes[0].Log
$shapes += [pscustomobject]@{ Name = 'transfers'; Log = $transfers; Twin = $null; Files = $null }
$cr = New-Variant $shapes[0].Log 'busy-cr' "tr -d '\n' < '{0}' > '{1}'"
$shapes += [pscustomobject]@{ Name = 'cr'; Log = $cr; Twin = $null; Files = $null; Grep = "tr '\r' '\n' < '$cr' | grep -c CFTY02Z" }
$utf16 = New-Variant $shapes[0].Log 'busy-utf16' "{{ printf '\377\376'; iconv -f LATIN1 -t UTF-16LE < '{0}'; }} > '{1}'"
$shapes += [pscustomobject]@{ Name = 'utf16'; Log = $utf16; Twin = $null; Files = $null; Grep = "iconv -f UTF-16 -t UTF-8 < '$utf16' | grep -c CFTY02Z" }

# what each shape holds: lines, CFTY02Z lines (grep), sessions
$grepOut = Join-Path $Work 'grep.out'
$tsharkOut = Join-Path $Work 'tshark.out'
foreach ($s in $shapes) {
    $s | Add-Member Lines ([IO.File]::ReadLines($s.Log) | Measure-Object | ForEach-Object Count)
    $s | Add-Member MB ((Get-Item $s.Log).Length / 1MB)
    $input_ = if ($s.Files) { $s.Files } else { $s.Log }
    $s | Add-Member Sessions ((Get-CftSslSession -Path $input_ 3>$null | Measure-Object).Count)
    $s | Add-Member StoredMB ($(if ($s.Files) { (Get-ChildItem $s.Files | Measure-Object Length -Sum).Sum / 1MB } else { $s.MB }))
}

Write-Host "measuring ($Repeat rounds) ..."
# grep and tshark run by /bin/sh with their output to a file (PowerShell does not read it; not /dev/null: GNU grep
# stops at the first match when its output is /dev/null); page cache warm for everyone
function Measure-Sh([string] $command) { (Measure-Command { & /bin/sh -c $command }).TotalSeconds }
# what inflating the archives alone costs .NET (GZipStream, 64 KB reads, as the reader does): the floor of reading them
function Measure-Inflate([string] $folder) {
    $buffer = [byte[]]::new(65536)
    (Measure-Command {
        foreach ($f in (Get-ChildItem -LiteralPath $folder -File | Sort-Object Name)) {
            $fs = [IO.File]::OpenRead($f.FullName)
            try {
                $gz = [IO.Compression.GZipStream]::new($fs, [IO.Compression.CompressionMode]::Decompress)
                while ($gz.Read($buffer, 0, $buffer.Length) -gt 0) { }
            }
            finally { $fs.Dispose() }
        }
    }).TotalSeconds
}
$results = foreach ($s in $shapes) {
    $input_ = if ($s.Files) { $s.Files } else { $s.Log }
    $grepCommand = if ($s.PSObject.Properties['Grep']) { "$($s.Grep) > '$grepOut'" } elseif ($s.Files) { "zcat -f '$switched'/* | grep -c CFTY02Z > '$grepOut'" } else { "grep -c CFTY02Z '$($s.Log)' > '$grepOut'" }
    $tsharkCommand = if ($s.Twin) { "tshark -r '$($s.Twin)' -T fields -e tls.handshake.type -e tls.record.content_type -e tls.handshake.ciphersuite > '$tsharkOut' 2>/dev/null" }
    # warm-up: a shell that has read this shape a few times
    foreach ($i in 1..2) { Get-CftSslSession -Path $input_ 3>$null | Out-Null }
    $rounds = foreach ($i in 1..$Repeat) {
        $g = Measure-Sh $grepCommand
        $t = if ($tsharkCommand) { Measure-Sh $tsharkCommand } else { [double]::NaN }
        $c = (Measure-Command { Get-CftSslSession -Path $input_ 3>$null | Out-Null }).TotalSeconds
        $z = if ($s.Name -eq 'switched') { Measure-Inflate $switched } else { [double]::NaN }
        [pscustomobject]@{ Grep = $g; Tshark = $t; Session = $c; PerGrep = $c / $g; TsharkPer = $t / $c; Inflate = $z }
    }
    [pscustomobject]@{
        Shape = $s.Name; Lines = $s.Lines; Sessions = $s.Sessions; MB = $s.StoredMB
        Grep = Get-Median $rounds.Grep; Tshark = $(if ($tsharkCommand) { Get-Median $rounds.Tshark } else { $null })
        Seconds = Get-Median $rounds.Session; PerGrep = Get-Median $rounds.PerGrep
        TsharkPer = $(if ($tsharkCommand) { Get-Median $rounds.TsharkPer } else { $null })
        Inflate = $(if ($s.Name -eq 'switched') { Get-Median $rounds.Inflate } else { $null })
        Rounds = $rounds
    }
}
$busy = $results | Where-Object Shape -eq 'busy'
$busyPerLine = $busy.Seconds / $busy.Lines
$busyPerSession = $busy.Seconds / $busy.Sessions

# the scheduled script: a fresh process, the module imported, one read of the handshake-heavy log, start to exit,
# against the tshark process on its twin; and in a fresh process, the first call against the warm calls after it
$hs = $shapes | Where-Object Name -eq 'handshakes'
Write-Host "a ReadyToRun copy of this pwsh (as PowerShell's installers ship it) ..."
$installed = New-ReadyToRunShell (Join-Path $Work 'pwsh-readytorun')
$fresh = foreach ($i in 1..$Repeat) {
    $p = (Measure-Command { Invoke-FreshShell "Import-Module '$manifest'; Get-CftSslSession -LiteralPath '$($hs.Log)' | Out-Null" }).TotalSeconds
    $t = Measure-Sh "tshark -r '$($hs.Twin)' -T fields -e tls.handshake.type -e tls.record.content_type -e tls.handshake.ciphersuite > '$tsharkOut' 2>/dev/null"
    $out = Invoke-FreshShell "Import-Module '$manifest'; `$t = foreach (`$i in 1..5) { (Measure-Command { Get-CftSslSession -LiteralPath '$($hs.Log)' | Out-Null }).TotalSeconds }; `$t -join ' '"
    $calls = [double[]]("$out".Trim() -split ' ')
    $tp = (Measure-Command { Invoke-FreshShellWith $tuned "Import-Module '$manifest'; Get-CftSslSession -LiteralPath '$($hs.Log)' | Out-Null" }).TotalSeconds
    $out = Invoke-FreshShellWith $tuned "Import-Module '$manifest'; `$t = foreach (`$i in 1..5) { (Measure-Command { Get-CftSslSession -LiteralPath '$($hs.Log)' | Out-Null }).TotalSeconds }; `$t -join ' '"
    $tcalls = [double[]]("$out".Trim() -split ' ')
    $ip = $if = $iw = [double]::NaN
    if ($installed.Path) {
        $ip = (Measure-Command { Invoke-InstalledShell "Import-Module '$manifest'; Get-CftSslSession -LiteralPath '$($hs.Log)' | Out-Null" }).TotalSeconds
        $out = Invoke-InstalledShell "Import-Module '$manifest'; `$t = foreach (`$i in 1..5) { (Measure-Command { Get-CftSslSession -LiteralPath '$($hs.Log)' | Out-Null }).TotalSeconds }; `$t -join ' '"
        $icalls = [double[]]("$out".Trim() -split ' ')
        $if = $icalls[0]; $iw = Get-Median $icalls[2..4]
    }
    [pscustomobject]@{ Process = $p; Tshark = $t; First = $calls[0]; Warm = Get-Median $calls[2..4]; TunedProcess = $tp; TunedFirst = $tcalls[0]; TunedWarm = Get-Median $tcalls[2..4]
        InstalledProcess = $ip; InstalledFirst = $if; InstalledWarm = $iw }
}
# the shapes that hold many sessions open, in a fresh process (a read after a warm-up one), as it is and tuned
$probeWarm = "Import-Module '$manifest'; Get-CftSslSession -LiteralPath '{0}' 3>`$null | Out-Null; `$s = (Measure-Command {{ Get-CftSslSession -LiteralPath '{0}' 3>`$null | Out-Null }}).TotalSeconds; `"`$s `$([Diagnostics.Process]::GetCurrentProcess().PeakWorkingSet64)`""
$heldOpen = foreach ($name in 'unclosed', 'oneline', 'busy') {
    $log = ($shapes | Where-Object Name -eq $name).Log
    $plain, $plainPeak = "$(Invoke-FreshShell ($probeWarm -f $log))".Trim() -split ' '
    $tunedS, $tunedPeak = "$(Invoke-FreshShellWith $tuned ($probeWarm -f $log))".Trim() -split ' '
    [pscustomobject]@{ Shape = $name; Seconds = [double]$plain; PeakMB = [int]([long]$plainPeak / 1MB); TunedSeconds = [double]$tunedS; TunedPeakMB = [int]([long]$tunedPeak / 1MB) }
}

Write-Host ""
Write-Host ("This machine: {0} cores, PowerShell {1}, .NET {2}; {3} rounds, medians" -f [Environment]::ProcessorCount, $PSVersionTable.PSVersion, [Environment]::Version, $Repeat)
$results | Format-Table @(
    'Shape'
    @{ n = 'MB'; e = { '{0:0}' -f $_.MB }; a = 'right' }
    @{ n = 'Lines'; e = { '{0:N0}' -f $_.Lines }; a = 'right' }
    @{ n = 'Sessions'; e = { '{0:N0}' -f $_.Sessions }; a = 'right' }
    @{ n = 'grep s'; e = { '{0:0.000}' -f $_.Grep }; a = 'right' }
    @{ n = 'tshark s'; e = { if ($null -ne $_.Tshark) { '{0:0.000}' -f $_.Tshark } else { '' } }; a = 'right' }
    @{ n = 'Session s'; e = { '{0:0.000}' -f $_.Seconds }; a = 'right' }
    @{ n = 'x grep'; e = { '{0:0.0}' -f $_.PerGrep }; a = 'right' }
    @{ n = 'tshark/x'; e = { if ($null -ne $_.TsharkPer) { '{0:0.0}' -f $_.TsharkPer } else { '' } }; a = 'right' }
    @{ n = 'us/line'; e = { '{0:0.000}' -f (1e6 * $_.Seconds / $_.Lines) }; a = 'right' }
    @{ n = 'x busy/line'; e = { '{0:0.00}' -f (($_.Seconds / $_.Lines) / $busyPerLine) }; a = 'right' }
    @{ n = 'x busy/session'; e = { '{0:0.00}' -f (($_.Seconds / $_.Sessions) / $busyPerSession) }; a = 'right' }
) -AutoSize | Out-String -Width 200 | Write-Host
$h = $results | Where-Object Shape -eq 'handshakes'
$o = $results | Where-Object Shape -eq 'oneline'
$sw = $results | Where-Object Shape -eq 'switched'
Write-Host ("Handshake-heavy log, warm: {0:0.0}x faster than tshark (target at least 5x), {1:0.0}x grep (target within 4x)." -f $h.TsharkPer, $h.PerGrep)
Write-Host ("Busy log, warm: {0:0.0}x faster than tshark, {1:0.0}x grep. Ten switched files, all gzip: {2:0.00}x the plain log's time (inflating them alone, .NET's GZipStream: {3:0.00} s, {4:0.00}x)." -f $busy.TsharkPer, $busy.PerGrep, ($sw.Seconds / $busy.Seconds), $sw.Inflate, ($sw.Inflate / $busy.Seconds))
Write-Host ("A million one-line sessions: {0:0.0} s (target under 10 s)." -f $o.Seconds)
$mf = $results | Where-Object Shape -eq 'many'; $mg = $results | Where-Object Shape -eq 'many-gz'
$mz = $results | Where-Object Shape -eq 'many-zip'
Write-Host ("A thousand switched files: {0:0.00}x the one log's time; all gzip: {1:0.00}x the ten gzip files'; in one zip archive: {2:0.00}x the ten gzip files' (target within 1.5x)." -f ($mf.Seconds / $busy.Seconds), ($mg.Seconds / $sw.Seconds), ($mz.Seconds / $sw.Seconds))
$tr = $results | Where-Object Shape -eq 'transfers'
Write-Host ("The busy log with a line of a transfer without SSL after each of its lines: {0:0.00}x its time per line (target within 1.5x)." -f (($tr.Seconds / $tr.Lines) / $busyPerLine))
$crR = $results | Where-Object Shape -eq 'cr'; $u16 = $results | Where-Object Shape -eq 'utf16'
Write-Host ("The busy log with CR line ends alone: {0:0.00}x its time per line with CRLF; in UTF-16LE: {1:0.00}x (target within 1.5x)." -f (($crR.Seconds / $crR.Lines) / $busyPerLine), (($u16.Seconds / $u16.Lines) / $busyPerLine))
$fp = Get-Median $fresh.Process; $ft = Get-Median $fresh.Tshark; $ff = Get-Median $fresh.First; $fw = Get-Median $fresh.Warm
$kindOfShell = if (Test-ReadyToRun (Join-Path $PSHOME 'System.Management.Automation.dll')) { 'ReadyToRun' } else { 'IL only, compiled as it starts' }
Write-Host ("Fresh shell (this pwsh: $kindOfShell), handshake-heavy log: the whole process {0:0.00} s, tshark's {1:0.00} s: {2:0.0}x faster (target at least 2x); first call {3:0.00} s, warm {4:0.00} s: {5:0.00}x (target within 1.5x)." -f $fp, $ft, ($ft / $fp), $ff, $fw, ($ff / $fw))
$tp = Get-Median $fresh.TunedProcess; $tf = Get-Median $fresh.TunedFirst; $tw = Get-Median $fresh.TunedWarm
Write-Host ("Fresh shell tuned (DOTNET_TieredPGO=0, DOTNET_GCgen0size=0x2000000): the whole process {0:0.00} s: {1:0.0}x faster than tshark; first call {2:0.00} s, warm {3:0.00} s: {4:0.00}x." -f $tp, ($ft / $tp), $tf, $tw, ($tf / $tw))
if ($installed.Path) {
    $ip = Get-Median $fresh.InstalledProcess; $if = Get-Median $fresh.InstalledFirst; $iw = Get-Median $fresh.InstalledWarm
    Write-Host ("Fresh shell on this pwsh compiled ahead of time, as PowerShell's installers ship it: the whole process {0:0.00} s: {1:0.0}x faster than tshark (target at least 2x); first call {2:0.00} s, warm {3:0.00} s: {4:0.00}x (target within 1.5x)." -f $ip, ($ft / $ip), $if, $iw, ($if / $iw))
    Write-Host ("Fresh shells compiled ahead of time (process/first/warm): " + (($fresh | ForEach-Object { '{0:0.00}/{1:0.00}/{2:0.00}' -f $_.InstalledProcess, $_.InstalledFirst, $_.InstalledWarm }) -join '  '))
}
else { Write-Host "Fresh shell compiled ahead of time: not measured ($($installed.Why))." }
Write-Host "Second read in a fresh process, as it is and tuned:"
Write-Host ($heldOpen | Format-Table Shape, @{ n = 's'; e = { '{0:0.00}' -f $_.Seconds }; a = 'right' }, @{ n = 'peak MB'; e = { $_.PeakMB }; a = 'right' }, @{ n = 'tuned s'; e = { '{0:0.00}' -f $_.TunedSeconds }; a = 'right' }, @{ n = 'tuned peak MB'; e = { $_.TunedPeakMB }; a = 'right' } -AutoSize | Out-String -Width 200).TrimEnd()
Write-Host ("Rounds (grep/tshark/Get-CftSslSession, seconds): " + (($results | ForEach-Object { $_.Shape + ' ' + (($_.Rounds | ForEach-Object { '{0:0.000}/{1:0.000}/{2:0.000}' -f $_.Grep, $_.Tshark, $_.Session }) -join ' ') }) -join '; '))
Write-Host ("Fresh shells (process/tshark/first/warm): " + (($fresh | ForEach-Object { '{0:0.00}/{1:0.00}/{2:0.00}/{3:0.00}' -f $_.Process, $_.Tshark, $_.First, $_.Warm }) -join '  '))

if ($Memory) {
    Write-Host ""
    Write-Host "memory: peak working set of a fresh pwsh process (module imported, one Get-CftSslSession; the median of three processes) ..."
    $probe = "Import-Module '$manifest'; `$n = 0; Get-CftSslSession -LiteralPath '{0}' 3>`$null | ForEach-Object {{ `$n++ }}; [GC]::Collect(); `$p = [Diagnostics.Process]::GetCurrentProcess(); `"`$n `$(`$p.PeakWorkingSet64)`""
    $idle = Invoke-FreshShell "Import-Module '$manifest'; [Diagnostics.Process]::GetCurrentProcess().PeakWorkingSet64"
    $mem = foreach ($kind in 'transfer', 'unclosed', 'busy') {
        $cells = [ordered]@{ Input = $kind }
        foreach ($mb in $SizeMB, $LargeSizeMB) {
            $log = New-Log $kind $mb
            # three processes, the median: a process's peak moves by a few megabytes from one to the next
            $runs = foreach ($r in 1..3) {
                $sw = [Diagnostics.Stopwatch]::StartNew()
                $out = Invoke-FreshShell ($probe -f $log)
                $n, $peak = "$out".Trim() -split ' '
                [pscustomobject]@{ Sessions = [int]$n; PeakMB = [long]$peak / 1MB; Seconds = $sw.Elapsed.TotalSeconds }
            }
            $cells["$mb MB: sessions"] = $runs[0].Sessions
            $cells["$mb MB: peak MB"] = [int](Get-Median $runs.PeakMB)
            $cells["$mb MB: s"] = [math]::Round((Get-Median $runs.Seconds), 1)
            $cells["$mb MB: peaks"] = ($runs | ForEach-Object { '{0:0}' -f $_.PeakMB }) -join '/'
        }
        $cells['growth'] = '{0:+0.0;-0.0}%' -f (100.0 * ($cells["$LargeSizeMB MB: peak MB"] - $cells["$SizeMB MB: peak MB"]) / $cells["$SizeMB MB: peak MB"])
        [pscustomobject]$cells
    }
    # wide enough for every column, whatever the host (a redirected host is 80 columns)
    Write-Host ($mem | Format-Table -AutoSize | Out-String -Width 200).TrimEnd()
    Write-Host ("pwsh with the module imported and nothing read: {0:0} MB (targets: at most 200 MB, within 10% between {1} MB and {2} MB)" -f ([long]"$idle".Trim() / 1MB), $SizeMB, $LargeSizeMB)

    # the answers built on the sessions, in a fresh process each: the partners' histories and the HTML report hold the
    # partners, not the sessions; their time and peak against reading the sessions alone
    Write-Host ""
    Write-Host "answers: Get-CftSslPartner and Export-CftSslReport against Get-CftSslSession, each in a fresh pwsh (time of the command, peak working set; the median of three) ..."
    $reportPath = Join-Path $Work 'bench-report.html'
    $timed = "Import-Module '$manifest'; `$sw = [Diagnostics.Stopwatch]::StartNew(); {0}; `"`$(`$sw.Elapsed.TotalSeconds) `$([Diagnostics.Process]::GetCurrentProcess().PeakWorkingSet64)`""
    $answers = foreach ($name in 'oneline', 'handshakes', 'busy') {
        $log = ($shapes | Where-Object Name -eq $name).Log
        $cells = [ordered]@{ Shape = $name }
        foreach ($what in @(
                @{ Name = 'sessions'; Command = "Get-CftSslSession -LiteralPath '$log' 3>`$null | Out-Null" }
                @{ Name = 'partners'; Command = "Get-CftSslPartner -LiteralPath '$log' 3>`$null | Out-Null" }
                @{ Name = 'report'; Command = "Get-CftSslSession -LiteralPath '$log' 3>`$null | Export-CftSslReport -Path '$reportPath'" })) {
            $runs = foreach ($r in 1..3) {
                $seconds, $peak = "$(Invoke-FreshShell ($timed -f $what.Command))".Trim() -split ' '
                [pscustomobject]@{ Seconds = [double]$seconds; PeakMB = [long]$peak / 1MB }
            }
            $cells["$($what.Name) s"] = [math]::Round((Get-Median $runs.Seconds), 2)
            $cells["$($what.Name) MB"] = [int](Get-Median $runs.PeakMB)
        }
        $cells['partners x'] = [math]::Round($cells['partners s'] / $cells['sessions s'], 2)
        $cells['report x'] = [math]::Round($cells['report s'] / $cells['sessions s'], 2)
        [pscustomobject]$cells
    }
    Write-Host ($answers | Format-Table -AutoSize | Out-String -Width 200).TrimEnd()
    Write-Host "(targets: every peak under 200 MB, whatever the number of sessions)"
}

if (-not $Keep) { Remove-Item -Recurse -Force $Work }
