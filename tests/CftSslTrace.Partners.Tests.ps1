# Pester 5: "it worked yesterday" in a shell. A CFT server's switched and archived logs over three days
# (tests/fixtures/history/server1: cftlog-20261124, cftlog-20261125.gz, cftlog) in which BANK-A renewed its certificate
# under another CA, BANK-B dropped TLS 1.1 and BANK-C changed the CAs it accepts for client certificates; BANK-D and
# BANK-E keep working. Partners, their changes and the comparison of each failure with the last session that worked,
# as an administrator reads them: default views at 80 and 120 columns, Export-Csv, ConvertTo-Json, Export-Clixml.

BeforeAll {
    $root = Split-Path -Parent $PSScriptRoot
    Import-Module (Join-Path $root 'CftSslTrace.psd1') -Force
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $server1 = Join-Path $PSScriptRoot 'fixtures/history/server1'
    $work = Join-Path ([System.IO.Path]::GetTempPath()) ('cftssltrace-partners-' + [guid]::NewGuid())
    $null = New-Item -ItemType Directory -Path $work
    $sessions = @(Get-CftSslSession (Join-Path $server1 '*') -WarningAction SilentlyContinue)
}

AfterAll { Remove-Item -Recurse -Force $work -ErrorAction SilentlyContinue }

Describe 'Get-CftSslPartner: who fails, since when, what changed' {
    It 'lists the failing partners with the day they started failing, read from the files themselves' {
        $failing = @(Get-CftSslPartner -Path (Join-Path $server1 '*') -Status Failing -WarningAction SilentlyContinue)
        $failing.Partner | Should -Be @('BANK-A', 'BANK-B', 'BANK-C')
        ($failing | Where-Object Partner -eq 'BANK-A').FailingSince | Should -Be ([datetime] '2026-11-26 09:00')
        ($failing | Where-Object Partner -eq 'BANK-A').LastEstablished | Should -Be ([datetime] '2026-11-25 09:00')
        ($failing | Where-Object Partner -eq 'BANK-B').LastProblem | Should -Match '^protocol_version \(70\)'
        @(Get-CftSslPartner -Path (Join-Path $server1 '*') -Status Established -WarningAction SilentlyContinue).Partner | Should -Be @('BANK-D', 'BANK-E')
    }

    It 'says what changed for BANK-A between the day it worked and the day it failed' {
        $a = $sessions | Get-CftSslPartner | Where-Object Partner -eq BANK-A
        $a.Changes.Aspect | Should -Be @('ServerCertificate', 'ServerIssuer', 'ServerChain')
        $issuer = $a.Changes | Where-Object Aspect -eq ServerIssuer
        $issuer.From | Should -Match 'CftSslTrace Test Intermediate CA'
        $issuer.To | Should -Be 'CN=Unrelated Root CA, O=Unrelated Org, C=DE'
        $issuer.Time | Should -Be ([datetime] '2026-11-26 09:00')
        $issuer.Result | Should -Be 'Failed'
        $issuer.Partner | Should -Be 'BANK-A'
        # the changes of every partner in one table, when and whose first
        $lines = Show ($sessions | Get-CftSslPartner | ForEach-Object Changes) 120
        $lines | Where-Object { $_ -match '^When\s+Partner\s+Aspect\s+OK/KO\s+From -> To$' } | Should -HaveCount 1
        $lines | Where-Object { $_ -match '^11-26 09:00 BANK-A\s+ServerIssuer\s+KO\s+CN=CftSslTrace Test Intermediate CA' } | Should -HaveCount 1
        $lines | Where-Object { $_ -match '^11-26 09:30 BANK-D\s+RemoteHost\s+OK\s+192\.0\.2\.44 -> 198\.51\.100\.7$' } | Should -HaveCount 1
    }

    It 'shows one row per partner that fits 80 columns, and 120 columns without wrapping' {
        $partners = $sessions | Get-CftSslPartner
        foreach ($width in 80, 120) {
            $lines = Show $partners $width
            $lines | Where-Object { $_.Length -gt $width } | Should -BeNullOrEmpty -Because "width $width"
            $lines | Where-Object { $_ -match '^Partner\s+Role\s+Status\s+OK/KO\s+Last seen\s+Problem or last change' } | Should -HaveCount 1
            $lines | Where-Object { $_ -match '^BANK-A\s+Client\s+Failing\s+2/2\s+11-26 14:00 since 11-26 09:00: ' } | Should -HaveCount 1 -Because "width $width"
            $lines | Where-Object { $_ -match '^BANK-D\s+Server\s+Established\s+3/0' } | Should -HaveCount 1 -Because "width $width"
        }
        # at 120 columns every partner is one line, the whole problem on it
        (Show $partners 120) | Where-Object { $_ -match 'since 11-26 09:00: unknown_ca \(48\): server cert not trusted$' } | Should -HaveCount 1
        @(Show $partners 120 | Where-Object { $_ -match '^BANK-' }).Count | Should -Be @($partners).Count
        @(Show $partners 120 | Where-Object { $_ -match '^\s{20,}\S' }).Count | Should -Be 0
    }

    It 'exports to CSV with the changes in words, apart from each other, and dates that read back' {
        $csv = Join-Path $work 'partners.csv'
        $sessions | Get-CftSslPartner | Export-Csv -Path $csv -NoTypeInformation
        $rows = @(Import-Csv $csv)
        $rows.Count | Should -Be 5
        $a = $rows | Where-Object Partner -eq BANK-A
        $a.Status | Should -Be 'Failing'
        [datetime] $a.FailingSince | Should -Be ([datetime] '2026-11-26 09:00')
        $changes = $a.Changes -split ' \| '
        $changes | Should -HaveCount 3
        $changes[1] | Should -Be '2026-11-26 09:00 ServerIssuer: CN=CftSslTrace Test Intermediate CA, O=CftSslTrace Test, C=FR -> CN=Unrelated Root CA, O=Unrelated Org, C=DE'
        $a.Versions | Should -Be 'TLS 1.2'
        $a.LastFailedSession | Should -Be 'cftlog:1411:20300f'
    }

    It 'converts to JSON with the changes as objects' {
        $json = $sessions | Get-CftSslPartner | Where-Object Partner -eq BANK-B | ConvertTo-Json -Depth 4 | ConvertFrom-Json
        $json.Status | Should -Be 'Failing'
        $json.Changes | Should -BeNullOrEmpty   # BANK-B did not change: CFT still offers TLS 1.1 only and the partner refuses it
        $json.Versions | Should -Be @('TLS 1.1')
        $c = $sessions | Get-CftSslPartner | Where-Object Partner -eq BANK-C | ConvertTo-Json -Depth 4 | ConvertFrom-Json
        $c.Changes.Aspect | Should -Contain 'AcceptedClientCAs'
    }

    It 'folds a day of sessions as they come, holding only those that end while an older one is open' {
        # 2,000 real sessions a second apart, and one that opens before the 500th and closes after the 700th: the reader
        # returns it after them; the history needs it before them, and holds the 200 until it comes
        $template = Get-Content (Join-Path $PSScriptRoot 'fixtures/real/tls-version-mismatch.client.log')
        $log = Join-Path $work 'day.log'
        $start = [datetime] '2026-11-24 08:00'
        $lines = [System.Collections.Generic.List[string]]::new()
        for ($i = 0; $i -lt 2000; $i++) {
            $t = $start.AddSeconds($i).ToString('yy/MM/dd HH:mm:ss.ff', [cultureinfo]::InvariantCulture)
            $ctx = '{0:x6}' -f (0x200000 + $i)
            foreach ($l in $template) { $lines.Add('00 ' + $t + $l.Substring(23).Replace('CTX=20000f', "CTX=$ctx").Replace('PART=PARTNER16', 'PART=BANK' + $ctx.Substring(5))) }
            $k = $i - 500
            if ($k -ge 0 -and $k % 10 -eq 0 -and $k / 10 -lt $template.Count) { $lines.Add('00 ' + $t + $template[$k / 10].Substring(23).Replace('CTX=20000f', 'CTX=3fffff').Replace('PARTNER16', 'BANKf')) }
        }
        [System.IO.File]::WriteAllLines($log, $lines)
        $verbose = Get-CftSslPartner -Path $log -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        ($verbose.Message -match 'held at most') | Should -Match '^16 partner\(s\); 20\d session\(s\) held at most'
        $read = Get-CftSslPartner -Path $log | ConvertTo-Json -Depth 4
        $piped = Get-CftSslSession -Path $log | Get-CftSslPartner | ConvertTo-Json -Depth 4
        $piped | Should -Be $read
        (Get-CftSslPartner -Path $log | Measure-Object Sessions -Sum).Sum | Should -Be 2001
    }
}

Describe 'Compare-CftSslSession: each failure against the last session that worked' {
    It 'names the likely cause of every failure and what to change in CFT' {
        $causes = @($sessions | Compare-CftSslSession | Where-Object LikelyCause)
        $causes.Count | Should -Be @($sessions | Where-Object Result -eq Failed).Count
        ($causes | Group-Object Partner -NoElement | ForEach-Object { "$($_.Name) $($_.Count)" }) | Should -Be @('BANK-A 2', 'BANK-B 1', 'BANK-C 1')
        $a = $causes | Where-Object Partner -eq BANK-A | Select-Object -First 1
        $a.Aspect | Should -Be 'ServerIssuer'
        $a.Explanation | Should -Match 'Add the new CA''s root certificate to ROOTCID of CFTSSL SSLCLI01'
        $a.ReferenceSession | Should -Be 'cftlog-20261125.gz:1:203006'
        ($causes | Where-Object Partner -eq BANK-B).Explanation | Should -Match 'no longer accepts TLS 1\.1'
        ($causes | Where-Object Partner -eq BANK-C).Explanation | Should -Match 'USERCID of CFTSSL SSLCLI01'
    }

    It 'writes each failure''s differences as the failure comes: a timeline of the failures, partners mixed' {
        # (it held them to the end and wrote them partner after partner)
        $d = @($sessions | Compare-CftSslSession)
        $times = @($d.DifferenceTime)
        $times.Count | Should -BeGreaterThan 4
        $times | Should -Be @($times | Sort-Object)
        # the first one comes while the sessions still come: the pipeline stops there
        $first = $sessions | Compare-CftSslSession | Select-Object -First 1
        $first.DifferenceTime | Should -Be $times[0]
    }

    It 'compares two chosen sessions, the equal aspects too with -IncludeEqual' {
        $ok = $sessions | Where-Object { $_.Partner -eq 'BANK-A' -and $_.Result -eq 'Established' } | Select-Object -Last 1
        $ko = $sessions | Where-Object { $_.Partner -eq 'BANK-A' -and $_.Result -eq 'Failed' } | Select-Object -First 1
        $diff = @(Compare-CftSslSession -ReferenceSession $ok -DifferenceSession $ko)
        $diff.Aspect | Should -Contain 'ServerIssuer'
        $diff.Aspect | Should -Not -Contain 'Version'
        $all = @(Compare-CftSslSession -ReferenceSession $ok -DifferenceSession $ko -IncludeEqual)
        ($all | Where-Object Aspect -eq Version).Equal | Should -BeTrue
        ($all | Where-Object Aspect -eq CipherSuite).Reference | Should -Be 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'
        $all.Count | Should -BeGreaterThan $diff.Count
    }

    It 'shows the comparison grouped by pair of sessions, the cause marked, within 80 and 120 columns' {
        $ok = $sessions | Where-Object { $_.Partner -eq 'BANK-A' -and $_.Result -eq 'Established' } | Select-Object -Last 1
        $ko = $sessions | Where-Object { $_.Partner -eq 'BANK-A' -and $_.Result -eq 'Failed' } | Select-Object -First 1
        $diff = Compare-CftSslSession -ReferenceSession $ok -DifferenceSession $ko -IncludeEqual
        foreach ($width in 80, 120) {
            $lines = Show $diff $width
            $lines | Where-Object { $_.Length -gt $width } | Should -BeNullOrEmpty -Because "width $width"
            $lines | Where-Object { $_ -match '^\s+Compared: BANK-A: cftlog-20261125\.gz:1:203006 -> cftlog:1:20300a \(Failed\)' } | Should -HaveCount 1
            $lines | Where-Object { $_ -match '^Aspect\s+Cause\s+Reference\s+Difference' } | Should -HaveCount 1
            $lines | Where-Object { $_ -match '^ServerIssuer\s+yes\s+CN=CftSslTrace Test Interm' } | Should -HaveCount 1 -Because "width $width"
            $lines | Where-Object { $_ -match '^Version\s+=\s+TLS 1\.2\s+TLS 1\.2' } | Should -HaveCount 1 -Because "width $width"
        }
    }

    It 'exports the causes to CSV for a ticket' {
        $csv = Join-Path $work 'causes.csv'
        $sessions | Compare-CftSslSession | Where-Object LikelyCause | Select-Object Partner, DifferenceTime, Aspect, Reference, Difference, Explanation | Export-Csv -Path $csv -NoTypeInformation
        $rows = @(Import-Csv $csv)
        $rows.Count | Should -Be 4
        ($rows | Where-Object Partner -eq BANK-B).Reference | Should -Be 'TLS 1.1'
        [datetime] ($rows | Where-Object Partner -eq BANK-C).DifferenceTime | Should -Be ([datetime] '2026-11-26 09:20')
    }

    It 'keeps partners and comparisons through Export-Clixml, and shows them as before' {
        $xml = Join-Path $work 'partners.xml'
        $sessions | Get-CftSslPartner | Export-Clixml -Path $xml
        $d = Import-Clixml $xml
        $d[0].PSObject.TypeNames[0] | Should -Be 'Deserialized.CftSslTrace.Analysis.CftSslPartner'
        $d[0].Status | Should -Be 'Failing'
        (Show $d 120) | Where-Object { $_ -match '^BANK-A\s+Client\s+Failing\s+2/2' } | Should -HaveCount 1
        $xml2 = Join-Path $work 'diff.xml'
        $sessions | Compare-CftSslSession | Export-Clixml -Path $xml2
        (Show (Import-Clixml $xml2) 120) | Where-Object { $_ -match '^\s+Compared: BANK-B: ' } | Should -HaveCount 1
    }
}
