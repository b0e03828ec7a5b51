# Pester 5: a day of CFT logs as CFT leaves them (switched when full, the old ones archived with gzip or zip) read as
# one history, as an administrator and the nightly script read them; floods of one warning; what a session holds, shown.

BeforeAll {
    $root = Split-Path -Parent $PSScriptRoot
    Import-Module (Join-Path $root 'CftSslTrace.psd1') -Force
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $real = Join-Path $PSScriptRoot 'fixtures/real'
    $busy = Join-Path $real 'busy.log'
    $work = Join-Path ([System.IO.Path]::GetTempPath()) ('cftssltrace-history-' + [guid]::NewGuid())
    $null = New-Item -ItemType Directory -Path $work

    # busy.log (interleaved sessions, two of them failing) as CFT's log switches leave it: the current cftlog, the
    # switched files named by date, the older ones compressed (gzip, and a zip of two); sessions open at each switch.
    function New-SwitchedLogs([string] $Folder) {
        $null = New-Item -ItemType Directory -Path $Folder -Force
        $lines = Get-Content $busy
        $cuts = 0, 430, 860, 1300, 1750, $lines.Count
        $names = 'cftlog-20261127-221500', 'cftlog-20261127-221504', 'cftlog-20261127-221508', 'cftlog-20261127-221512', 'cftlog'
        for ($i = 0; $i -lt 5; $i++) {
            $lines[$cuts[$i]..($cuts[$i + 1] - 1)] | Set-Content -Path (Join-Path $Folder $names[$i])
        }
        $first = Join-Path $Folder $names[0]
        if (Get-Command gzip -ErrorAction SilentlyContinue) { & gzip $first }
        else {
            $in = [IO.File]::OpenRead($first); $out = [IO.File]::Create("$first.gz")
            $gz = [IO.Compression.GZipStream]::new($out, [IO.Compression.CompressionMode]::Compress)
            $in.CopyTo($gz); $gz.Dispose(); $in.Dispose(); Remove-Item $first
        }
        Add-Type -AssemblyName System.IO.Compression.FileSystem -ErrorAction SilentlyContinue
        $zip = [IO.Compression.ZipFile]::Open((Join-Path $Folder 'cftlog-archive.zip'), 'Create')
        foreach ($n in $names[1..2]) {
            $null = [IO.Compression.ZipFileExtensions]::CreateEntryFromFile($zip, (Join-Path $Folder $n), $n)
            Remove-Item (Join-Path $Folder $n)
        }
        $zip.Dispose()
    }

    $switched = Join-Path $work 'log'
    New-SwitchedLogs $switched
}

AfterAll { Remove-Item -Recurse -Force $work -ErrorAction SilentlyContinue }

Describe 'Switched and archived logs are one history' {
    It 'reads a folder of switched logs (gzip, zip, plain) as the one log they were' {
        $whole = Get-CftSslSession $busy | ForEach-Object { "$($_.Ctx) $($_.Partner) $($_.Result) $($_.Frames.Count)" }
        $read = Get-CftSslSession (Join-Path $switched '*') -WarningVariable w | ForEach-Object { "$($_.Ctx) $($_.Partner) $($_.Result) $($_.Frames.Count)" }
        $read | Should -Be $whole
        $w | Should -BeNullOrEmpty
    }

    It 'names where a session starts and ends, archive entries included' {
        $s = Get-CftSslSession (Join-Path $switched '*') | Where-Object { $_.File -ne $_.LastFile }
        $s | Should -Not -BeNullOrEmpty
        @($s | Where-Object { $_.File -like '*cftlog-20261127-221500.gz' }).Count | Should -BeGreaterThan 0
        $names = 'cftlog-archive.zip!cftlog-20261127-221504', 'cftlog-archive.zip!cftlog-20261127-221508', 'cftlog-20261127-221512', 'cftlog'
        $s | ForEach-Object { (Split-Path $_.LastFile -Leaf) | Should -BeIn $names }
        @($s | Where-Object { $_.LastFile -like '*.zip!*' }).Count | Should -BeGreaterThan 0
        $s[0].Notes | Should -Match 'the session goes on in'
    }

    It 'reads them in the same way from Get-ChildItem, and for Get-CftSslFrame and Get-CftSslCertificate' {
        (Get-ChildItem $switched | Get-CftSslSession).Count | Should -Be (Get-CftSslSession $busy).Count
        (Get-ChildItem $switched | Sort-Object Name -Descending | Get-CftSslFrame | Measure-Object).Count | Should -Be (Get-CftSslFrame $busy | Measure-Object).Count
        (Get-CftSslCertificate (Join-Path $switched '*')).Thumbprint | Should -Be (Get-CftSslCertificate $busy).Thumbprint
    }

    It 'says with -Verbose how the files were ordered' {
        $v = Get-CftSslSession (Join-Path $switched '*') -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        ($v.Message -join "`n") | Should -Match 'files ordered by the time of their first dated line: cftlog-20261127-221500.gz \(2026-11-27 22:15:00\), cftlog-archive.zip!cftlog-20261127-221504'
    }

    It 'reads a copy beside its archive once, and says so' {
        $dir = Join-Path $work 'copy'
        $null = New-Item -ItemType Directory -Path $dir
        Copy-Item $busy (Join-Path $dir 'cftlog.1')
        Copy-Item $busy (Join-Path $dir 'cftlog.1.bak')
        $s = Get-CftSslSession (Join-Path $dir '*') -WarningVariable w 3>$null
        $s.Count | Should -Be (Get-CftSslSession $busy).Count
        $w.Message | Should -Match 'cftlog.1.bak: the same log as cftlog.1 \(the same first lines\)'
    }

    It 'says what a file that is not a log looks like, and what is not read' {
        $dir = Join-Path $work 'mixed'
        $null = New-Item -ItemType Directory -Path $dir
        Copy-Item $busy (Join-Path $dir 'cftlog')
        Set-Content -Path (Join-Path $dir 'access.log') -Value ('127.0.0.1 - - [20/Nov/2026:22:15:00 +0100] "GET / HTTP/1.1" 200 512' * 1)
        [IO.File]::WriteAllBytes((Join-Path $dir 'cftlog.xz'), [byte[]](0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00, 0, 4))
        $s = Get-CftSslSession (Join-Path $dir '*') -WarningVariable w 3>$null
        $s.Count | Should -Be (Get-CftSslSession $busy).Count
        $w.Count | Should -Be 2
        ($w.Message -join "`n") | Should -Match 'access.log: not a CFT log: text without any CFT message code'
        ($w.Message -join "`n") | Should -Match 'cftlog.xz: an xz-compressed file: not read'
    }
}

Describe 'The nightly report over switched logs' {
    It 'reports the real failures of the night, no phantom one where a log was switched' {
        $script = Join-Path $root 'module/Examples/Invoke-CftSslNightlyReport.ps1'
        $out = Join-Path $work 'report'
        # the wildcard reaches the script as it is (a scheduled task quotes it): it reads every file it names as one history;
        # the certificates are counted from a fixed day (busy.log's expire in 2029: from then on, 3, not 2)
        $runner = Join-Path $work 'nightly.ps1'
        Set-Content -Path $runner -Value "& '$script' -LogPath '$(Join-Path $switched 'cftlog*')' -OutputFolder '$out' -Since '2026-11-01' -AsOf '2026-12-04'; exit `$LASTEXITCODE"
        $text = Invoke-ChildShell $runner @()
        $LASTEXITCODE | Should -Be 2
        ($text -join "`n") | Should -Match '5 sessions since 2026-11-01 00:00: 2 failed \(2 partners\)'
        $failures = Import-Csv (Join-Path $out 'ssl-failures.csv')
        ($failures.Partner | Sort-Object) | Should -Be @('PARTNER08', 'PARTNER09')
        ($failures | Where-Object Partner -eq 'PARTNER08').Problems | Should -Be 'unknown_ca (48): server cert not trusted'
    }
}

Describe 'Floods of one warning' {
    It 'writes the first five in full, then one line with the count and the lines' {
        $log = Join-Path $work 'oneline.log'
        $lines = for ($i = 0; $i -lt 3000; $i++) { '00 26/11/20 10:00:{0:00}.00 CFTY02Z>> CTX={1:x6} 16030100 05010000 01 >.......<' -f ($i % 60), (0x300000 + $i) }
        $lines | Set-Content $log
        $s = Get-CftSslSession $log -WarningVariable w 3>$null
        $s.Count | Should -Be 3000
        $w.Count | Should -Be 6
        $w[5].Message | Should -Match 'oneline.log: 2,995 more like the above \(DumpWithoutHeader: .*\), lines 6 to 3,000; 3,000 in all, the first 5 shown'
    }
}

Describe 'What a session holds, shown' {
    It 'lists its handshake messages by name' {
        $s = Get-CftSslSession (Join-Path $real 'tls12-ecdhe-rsa-mutual.client.log')
        ($s | Format-List * | Out-String -Width 250) | Should -Match 'HandshakeMessages\s+: \{ClientHello, ServerHello, Certificate, ServerKeyExchange'
    }

    It 'shows the frames of a log without times without a Time column' {
        $log = Join-Path $work 'notime.log'
        Get-Content (Join-Path $real 'tls12-unknown-ca.client.log') | ForEach-Object { $_.Substring($_.IndexOf('CFT')) } | Set-Content $log
        $table = (Get-CftSslSession $log).Frames | Out-String -Width 120
        ($table -split "`n" | Where-Object { $_ -match '^\s*Line\s' }) | Should -Not -Match 'Time'
        # the frames are marked when PowerShell reads them from the session (not for every session returned)
        $each = Get-CftSslSession $log | ForEach-Object Frames | Out-String -Width 120
        ($each -split "`n" | Where-Object { $_ -match '^\s*Line\s' }) | Should -Not -Match 'Time'
        ((Get-CftSslSession (Join-Path $real 'tls12-unknown-ca.client.log')).Frames | Out-String -Width 120) | Should -Match 'Line\s+Time\s+Dir'
    }
}
