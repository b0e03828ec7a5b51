# Pester 5: what an administrator asks of a CFT server's logs beyond one handshake: a live log followed with -Wait,
# sessions tied to transfers, security findings, the certificate inventory, and the nightly report script.

BeforeAll {
    $root = Split-Path -Parent $PSScriptRoot
    Import-Module (Join-Path $root 'CftSslTrace.psd1') -Force
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $fixtures = Join-Path $PSScriptRoot 'fixtures'
    $real = Join-Path $fixtures 'real'
    $work = Join-Path ([System.IO.Path]::GetTempPath()) ('cftssltrace-ops-' + [guid]::NewGuid())
    $null = New-Item -ItemType Directory -Path $work
}

AfterAll { Remove-Item -Recurse -Force $work -ErrorAction SilentlyContinue }

Describe 'Get-CftSslSession -Wait' {
    It 'follows a log that a background writer grows, renames away and recreates' {
        $log = Join-Path $work 'cftlog'
        Set-Content -Path $log -Value @()
        # the writer: another runspace appending real sessions stamped with the current time, then CFT's log switch
        $writer = [powershell]::Create().AddScript({
            param($log, $a, $b)
            function Stamp($file) { Get-Content $file | ForEach-Object { '00 ' + (Get-Date -Format 'yy/MM/dd HH:mm:ss.ff') + ' ' + $_.Substring($_.IndexOf('CFT')) } }
            Start-Sleep -Milliseconds 1500
            Stamp $a | Add-Content -Path $log
            Start-Sleep -Milliseconds 700
            Move-Item $log ($log + '-20261201')
            Stamp $b | Add-Content -Path $log
        }).AddArgument($log).AddArgument((Join-Path $real 'tls12-rsa-aes256-sha256.client.log')).AddArgument((Join-Path $real 'tls13-server-auth.client.log'))
        $handle = $writer.BeginInvoke()
        $sessions = @(Get-CftSslSession $log -Wait -Timeout '00:00:08')
        $null = $writer.EndInvoke($handle)
        $writer.Dispose()
        $sessions.Ctx | Should -Be @('200003', '200006')
        $sessions.EndedBy | Should -Be @('ClosingLine', 'ClosingLine')
        $sessions.Result | Should -Be @('Established', 'Established')
    }

    It 'bounds a scheduled script with -Timeout and returns what is still open then' {
        $log = Join-Path $work 'open.log'
        # the first lines of a session, written now: it is still open when the timeout comes
        Get-Content (Join-Path $real 'tls12-rsa-aes256-sha256.client.log') | Select-Object -First 100 |
            ForEach-Object { '00 ' + (Get-Date -Format 'yy/MM/dd HH:mm:ss.ff') + ' ' + $_.Substring($_.IndexOf('CFT')) } | Set-Content $log
        $t = Measure-Command { $s = Get-CftSslSession $log -Wait -Timeout '00:00:02' }
        $s.EndedBy | Should -Be 'EndOfInput'
        $s.Result | Should -Be 'Incomplete'
        $t.TotalSeconds | Should -BeLessThan 15
    }
}

Describe 'Sessions and transfers' {
    It 'answers which transfers failed because of TLS, and why' {
        $log = Join-Path $work 'transfers.log'
        (Get-Content (Join-Path $real 'tls12-unknown-ca.client.log')) + '00 26/11/24 09:45:34.10 CFTT75E connect reject <IDTU=A00000BL PART=PARTNER08 IDF=PAYROLL IDT=A2217045 260 PKI 048>' | Set-Content $log
        $r = Get-CftSslSession $log -Result Failed | Select-Object Partner, Transfers, Problem
        $r.Partner | Should -Be 'PARTNER08'
        $r.Transfers.Idtu | Should -Be 'A00000BL'
        $r.Transfers.Idf | Should -Be 'PAYROLL'
        $r.Transfers.Alert | Should -Be 'unknown_ca'
        $r.Problem | Should -Be 'unknown_ca (48): server cert not trusted'
        ($r | ConvertTo-Csv -NoTypeInformation)[1] | Should -Match 'A00000BL'
    }

    It 'explains a partner not configured for SSL from CFT''s lines alone (no TRACE)' {
        $s = @(
            '00 26/11/24 10:00:00 CFTY19I PART=PART1 SSL=SSLCLI opening client session CTX=100003 on task PID=12'
            '00 26/11/24 10:00:05 CFTH11E Error Opening session <PART=PART1 EV=VNRELI ST=SUP01>'
            '00 26/11/24 10:00:05 CFTT75E connect reject <IDTU=A000001X PART=PART1 IDF=FIC IDT=A1234567 260>'
            '00 26/11/24 10:00:05 CFTY11I CTX=100003 PART=PART1 SSL=SSLCLI Closing SSL client session'
        ) | Get-CftSslSession
        $s.Result | Should -Be 'Failed'
        $s.Failure.Name | Should -Be 'not_tls'
        $s.Explanation | Should -Match 'SAP of its CFTTCP'
    }
}

Describe 'Security findings' {
    It 'lets an auditor filter sessions by severity and code' {
        $s = Get-CftSslSession (Join-Path $real '*.client.log'), (Join-Path $fixtures 'spec/*.log')
        $high = $s | Where-Object Severity -ge 'High'
        ($high.Partner | Sort-Object -Unique) | Should -Be @('PARTNER15', 'PARTNER20')
        ($s.Findings | Where-Object Code -eq 'VERSION_NEGOTIATED' | Group-Object Subject | Sort-Object Name).Name | Should -Be @('SSL 2.0', 'TLS 1.0', 'TLS 1.1', 'TLS 1.3 draft 18')
        (Get-CftSslSecurityRating version | Where-Object Match -eq 'SSL 3.0').Source | Should -Be 'RFC 7568'
    }
}

Describe 'Get-CftSslCertificate' {
    It 'lists each certificate once, with days left, owner and partners: a nightly expiry check' {
        # counted from a fixed day: the fixtures' certificates were made on 2026-11-24 for 825 days (the test CAs for 3000 and 3650)
        $c = Get-CftSslCertificate (Join-Path $real '*.client.log') -AsOf '2026-12-04'
        ($c.Thumbprint | Sort-Object -Unique).Count | Should -Be $c.Count
        $expired = $c | Where-Object DaysLeft -lt 30
        $expired.Subject | Should -Be 'CN=expired.example.test, O=Example Bank, C=FR'
        $expired.Owner | Should -Be 'Partner'
        $expired.Partners | Should -Be 'PARTNER15'
        (Get-CftSslCertificate (Join-Path $real '*.client.log') -ExpiringWithin 30 -AsOf '2026-12-04').Subject | Should -Be $expired.Subject
        ($c | Where-Object UsedAs -eq 'Client').Owner | Should -Be 'CFT'
    }

    It 'counts the days left from -AsOf: what will have expired by a given day' {
        $c = Get-CftSslCertificate (Join-Path $real '*.client.log') -AsOf '2026-12-04'
        $later = Get-CftSslCertificate (Join-Path $real '*.client.log') -AsOf '2036-12-04' -ExpiringWithin 0
        $gone = @($c | Where-Object { $_.NotAfter -lt [datetime] '2036-12-04' })
        $gone.Count | Should -BeGreaterThan 3
        ($later.Thumbprint | Sort-Object) | Should -Be ($gone.Thumbprint | Sort-Object)
        $later | ForEach-Object { $_.DaysLeft | Should -Be ([math]::Floor(($_.NotAfter - [datetime] '2036-12-04').TotalDays)) }
        ($c | Where-Object Thumbprint -eq $later[0].Thumbprint).DaysLeft - $later[0].DaysLeft | Should -Be 3653
        $report = Join-Path $work 'asof.html'
        Get-CftSslSession (Join-Path $real 'tls12-ecdhe-rsa-mutual.client.log') | Export-CftSslReport -Path $report -AsOf '2036-12-04' -Detail None
        (Get-Content $report -Raw) | Should -Match 'days left counted from 2036-12-04'
    }
}

Describe 'The nightly report script (module/Examples)' {
    It 'writes CSV and HTML and sets the exit code for the monitoring system' {
        $script = Join-Path $root 'module/Examples/Invoke-CftSslNightlyReport.ps1'
        $out = Join-Path $work 'report'
        # one file holding the client logs (a wildcard would be expanded by the shell before the script sees it)
        $all = Join-Path $work 'cftlog-all'
        Get-ChildItem $real -Filter '*.client.log' | Sort-Object Name | Get-Content | Set-Content $all
        $text = Invoke-ChildShell $script @('-LogPath', $all, '-OutputFolder', $out, '-Since', '2026-11-01', '-ExpiryDays', '30', '-AsOf', '2026-12-04')
        $LASTEXITCODE | Should -Be 3
        ($text -join "`n") | Should -Match '8 failed \(8 partners\); 1 certificates expire within 30 days'
        $failures = Import-Csv (Join-Path $out 'ssl-failures.csv')
        $failures | Should -HaveCount 8
        ($failures | Where-Object Partner -eq 'PARTNER08').Problems | Should -Be 'unknown_ca (48): server cert not trusted'
        (Import-Csv (Join-Path $out 'ssl-certificates.csv')).Partners | Should -Be 'PARTNER15'
        # the page: the failing partners with their explanation, the expired certificate marked, each failed session with its ladder
        $html = Get-Content (Join-Path $out 'ssl-report.html') -Raw
        $html | Should -Match '<title>Transfer CFT SSL/TLS report since 2026-11-01 00:00</title>'
        $html | Should -Match '<h4>PARTNER08 <span class="role">Client</span></h4>'
        $html | Should -Match '<tr class="bad"><td>-\d+</td><td>2024-01-02</td><td>Partner</td>'
        ([regex]::Matches($html, '<article class="session bad"')).Count | Should -Be 8
        ([regex]::Matches($html, '<svg xmlns="http://www.w3.org/2000/svg" class="ladder"')).Count | Should -Be 8
        $html | Should -Not -Match '<script>alert'
        $null = Invoke-ChildShell $script @('-LogPath', (Join-Path $real 'tls13-mutual.client.log'), '-OutputFolder', (Join-Path $work 'quiet'), '-Since', '2026-11-01')
        $LASTEXITCODE | Should -Be 0
        # one read of the logs feeds the report, the certificates and the failures as the sessions come (it read the
        # logs twice and held every session): the reader's statistics come once
        $verbose = Invoke-ChildShell $script @('-LogPath', $all, '-OutputFolder', (Join-Path $work 'verbose'), '-Since', '2026-11-01', '-Verbose')
        @($verbose | Where-Object { $_ -match ' lines \(.*\), \d+ sessions, \d+ frames in ' }) | Should -HaveCount 1 -Because ($verbose -join "`n")
        (Get-Content (Join-Path $work 'verbose/ssl-failures.csv') -Raw) | Should -Be (Get-Content (Join-Path $out 'ssl-failures.csv') -Raw)
    }
}
