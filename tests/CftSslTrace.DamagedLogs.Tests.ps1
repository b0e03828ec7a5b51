# Pester 5: damaged logs as an administrator meets them (copied between systems, cut, edited by hand): a bad line
# costs that line, never the file; what cannot be read silently is said, with the parameter to use.

BeforeAll {
    $root = Split-Path -Parent $PSScriptRoot
    Import-Module (Join-Path $root 'CftSslTrace.psd1') -Force
    $real = Join-Path $PSScriptRoot 'fixtures/real'
    $source = Join-Path $real 'tls12-ecdhe-rsa-mutual.client.log'
    $work = Join-Path ([System.IO.Path]::GetTempPath()) ('cftssltrace-damaged-' + [guid]::NewGuid())
    $null = New-Item -ItemType Directory -Path $work
    $lines = [System.IO.File]::ReadAllLines($source)
    $frames = @(Get-CftSslFrame $source).Count

    function Write-Log([string] $Name, [string] $Text, [System.Text.Encoding] $Encoding) {
        $p = Join-Path $work $Name
        [System.IO.File]::WriteAllText($p, $Text, $Encoding)
        $p
    }
}

AfterAll { Remove-Item -Recurse -Force $work -ErrorAction SilentlyContinue }

Describe 'A damaged line costs that line' {
    It 'reads every session when one prefix has the year 0000 (<Prefix>)' -ForEach @(
        @{ Prefix = '01/01/0000 10:00:00 ' }, @{ Prefix = '0000-11-24 10:00:00 ' }
    ) {
        $damaged = $lines.Clone()
        $i = [array]::FindIndex($damaged, [Predicate[string]] { param($l) $l -match 'CFTY02Z>>.*ndata' })
        $damaged[$i] = $Prefix + $damaged[$i].Substring($damaged[$i].IndexOf('CFTY'))
        $log = Write-Log 'year0.log' (($damaged -join "`n") + "`n") ([System.Text.Encoding]::ASCII)
        $s = Get-CftSslSession $log -ErrorAction Stop -WarningVariable w -WarningAction SilentlyContinue
        $s.Result | Should -Be 'Established'
        "$w" | Should -Match ('year0\.log:' + ($i + 1) + ': unreadable date or time')
        @(Get-CftSslFrame $log -WarningAction SilentlyContinue).Count | Should -Be $frames
    }

    It 'exports a capture of a session at 9999-12-31 23:59:59.9999999' {
        $text = ($lines | Where-Object { $_ -match 'CFT' } | ForEach-Object { '9999-12-31 23:59:59.9999999 ' + $_.Substring($_.IndexOf('CFT')) }) -join "`n"
        $log = Write-Log 'y9999.log' $text ([System.Text.Encoding]::ASCII)
        $pcap = Join-Path $work 'y9999.pcapng'
        Get-CftSslSession $log | Export-CftSslPcap -Path $pcap -ErrorAction Stop
        (Get-Item $pcap).Length | Should -BeGreaterThan 1000
    }

    It 'rejoins 40,000 continuation lines capped, with one warning, and reads the lines after them' {
        $flood = @('00 26/11/24 09:00:00 CFTY14I+ ' + ('x' * 60)) * 40000
        $log = Join-Path $work 'flood.log'
        [System.IO.File]::WriteAllLines($log, [string[]] (@($lines[0]) + $flood + $lines[1..($lines.Count - 1)]))
        $s = Get-CftSslSession $log -WarningVariable w -WarningAction SilentlyContinue
        @($w | Where-Object { "$_" -match '64 KiB' }).Count | Should -Be 1
        @(Get-CftSslFrame $log -WarningAction SilentlyContinue).Count | Should -Be $frames
        $s.Result | Should -Be 'Established'
    }
}

Describe 'Line ends and encodings: what Get-Content reads' {
    It 'reads a log whose lines end with CR alone' {
        $log = Write-Log 'cr.log' (($lines -join "`r") + "`r") ([System.Text.Encoding]::ASCII)
        @(Get-CftSslFrame $log -WarningVariable w).Count | Should -Be $frames
        $w | Should -BeNullOrEmpty
        @(Get-Content $log | Get-CftSslFrame).Count | Should -Be $frames
    }

    It 'reads UTF-16 without a byte-order mark, warning with the file and -Encoding' {
        $log = Write-Log 'utf16.log' (($lines -join "`r`n") + "`r`n") ([System.Text.UnicodeEncoding]::new($false, $false))
        @(Get-CftSslFrame $log -WarningVariable w -WarningAction SilentlyContinue).Count | Should -Be $frames
        "$w" | Should -Match 'utf16\.log'
        "$w" | Should -Match '-Encoding'
        @(Get-CftSslFrame $log -Encoding Unicode -WarningVariable w2).Count | Should -Be $frames
        $w2 | Should -BeNullOrEmpty
    }

    It 'reads a Windows code page given as -Encoding <Encoding>' -ForEach @(@{ Encoding = '1252' }, @{ Encoding = 'windows-1252' }) {
        $log = Write-Log 'cp1252.log' ((($lines -join "`n") -replace 'PARTNER', 'PART€') + "`n") ([System.Text.Encoding]::GetEncoding(1252))
        (Get-CftSslSession $log -Encoding $Encoding).Partner | Should -BeLike 'PART€*'
    }

    It 'warns about an EBCDIC log and reads it with -Encoding IBM037' {
        $log = Write-Log 'zos.log' (($lines -join "`n") + "`n") ([System.Text.Encoding]::GetEncoding(37))
        Get-CftSslSession $log -WarningVariable w -WarningAction SilentlyContinue | Should -BeNullOrEmpty
        "$w" | Should -Match 'EBCDIC'
        (Get-CftSslSession $log -Encoding IBM037).Result | Should -Be 'Established'
    }
}

Describe 'Export-CftSslCertificate and a link planted at the target name' {
    It 'refuses to write through it, naming the file, and leaves the link''s target alone' {
        $outside = Join-Path $work 'outside.txt'
        Set-Content -Path $outside -Value 'precious'
        $probe = (Get-CftSslSession (Join-Path $real 'tls12-rsa-aes256-sha256.client.log')).ServerCertificates[0] |
            Export-CftSslCertificate -Path (Join-Path $work 'probe') -PassThru
        $folder = Join-Path $work 'links'
        $null = New-Item -ItemType Directory -Path $folder
        try { $null = New-Item -ItemType SymbolicLink -Path (Join-Path $folder $probe.Name) -Target $outside -ErrorAction Stop }
        catch { Set-ItResult -Skipped -Because "this account cannot create symbolic links ($_)"; return }
        (Get-CftSslSession (Join-Path $real 'tls12-rsa-aes256-sha256.client.log')).ServerCertificates[0] |
            Export-CftSslCertificate -Path $folder -ErrorVariable e -ErrorAction SilentlyContinue
        $e | Should -HaveCount 1
        $e[0].FullyQualifiedErrorId | Should -BeLike 'TargetIsLink,*'
        "$($e[0])" | Should -Match ([regex]::Escape($probe.Name))
        Get-Content $outside | Should -Be 'precious'
    }
}
