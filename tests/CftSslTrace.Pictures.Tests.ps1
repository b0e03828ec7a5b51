# Pester 5: the pictures as an administrator uses them in a shell: the handshake ladder in the console (80 columns,
# colours only where the console shows them, plain text in files), as Mermaid and SVG files, and the HTML report for a
# ticket. (The report in a browser is tested with Chromium in CftSslTrace.PowerShell.Tests.)

BeforeAll {
    $root = Split-Path -Parent $PSScriptRoot
    Import-Module (Join-Path $root 'CftSslTrace.psd1') -Force
    $real = Join-Path $PSScriptRoot 'fixtures/real'
    $work = Join-Path ([System.IO.Path]::GetTempPath()) ('cftssltrace-pictures-' + [guid]::NewGuid())
    $null = New-Item -ItemType Directory -Path $work
}

AfterAll { Remove-Item -Recurse -Force $work -ErrorAction SilentlyContinue }

Describe 'Show-CftSslSession in the console and in files' {
    It 'fits an 80-column console: every line of the ladder is one line on screen' {
        $ladder = @(Show-CftSslSession (Join-Path $real 'tls12-ecdhe-rsa-mutual.server.log'))
        $screen = ($ladder | Out-String -Width 80) -split "`r?`n" | Where-Object { $_ -ne '' }
        $screen | Where-Object { $_.Length -gt 79 } | Should -BeNullOrEmpty
        @($screen).Count | Should -Be @($ladder | Where-Object Text -ne '').Count
        $screen[0] | Should -Be '210002 PESITSSL server TLS 1.2 Established 2026-11-24 09:45:33'
        $screen | Where-Object { $_ -match '^\s+│◀─+ ClientHello TLS 1\.2, 28 suites, SNI ─│$' } | Should -HaveCount 1
        $screen | Where-Object { $_ -match '^\s+✔ CFTY22I Remote client certificate accepted ROOTID=ROOTCA\s+│$' } | Should -HaveCount 1
        $screen[-1] | Should -Match 'authentication Mutual$'
    }

    It 'writes plain text to files, without colours, even when the console shows them' {
        $file = Join-Path $work 'ladder.txt'
        $saved = $PSStyle.OutputRendering
        try {
            $PSStyle.OutputRendering = 'Host'
            Show-CftSslSession (Join-Path $real 'tls12-unknown-ca.client.log') | Out-File $file -Width 200
            Show-CftSslSession (Join-Path $real 'tls12-unknown-ca.client.log') | Set-Content (Join-Path $work 'ladder2.txt')
        }
        finally { $PSStyle.OutputRendering = $saved }
        $text = Get-Content $file -Raw
        $text | Should -Not -Match ([char]27)
        $text | Should -Match '│─ Alert fatal unknown_ca \(48\) ─+▶│'
        (Get-Content (Join-Path $work 'ladder2.txt') -Raw) | Should -Not -Match ([char]27)
        (Get-Content (Join-Path $work 'ladder2.txt'))[0] | Should -Be '20000c PARTNER08 client TLS 1.2 Failed 2026-11-24 09:45:33'
    }

    It 'colours the ladder where PowerShell renders colours (ANSI), and only the labels' -Skip:($PSVersionTable.PSVersion -lt [version]'7.2') {
        $saved = $PSStyle.OutputRendering
        try {
            $PSStyle.OutputRendering = 'Ansi'
            $coloured = Show-CftSslSession (Join-Path $real 'tls12-unknown-ca.client.log') | Out-String -Width 200
        }
        finally { $PSStyle.OutputRendering = $saved }
        if (-not $Host.UI.SupportsVirtualTerminal) { Set-ItResult -Skipped -Because 'this host does not support virtual terminal sequences'; return }
        $coloured | Should -Match ([regex]::Escape("$([char]27)[31mAlert fatal unknown_ca (48)$([char]27)[0m"))
        ($coloured -replace "$([char]27)\[[0-9;]*m", '') | Should -Be (Show-CftSslSession (Join-Path $real 'tls12-unknown-ca.client.log') | Out-String -Width 200)
    }

    It 'draws with ASCII only for an old console, and wider on request' {
        $ascii = Show-CftSslSession (Join-Path $real 'tls13-hello-retry.client.log') -Ascii
        ($ascii.Text -join '') | Should -Match '^[\x20-\x7E]*$'
        $ascii.Text | Where-Object { $_ -match '^\s+\|<-+ HelloRetryRequest for group secp256r1, -\|$' } | Should -HaveCount 1
        (Show-CftSslSession (Join-Path $real 'tls13-hello-retry.client.log') -Width 120).Text | Where-Object { $_.Length -gt 120 } | Should -BeNullOrEmpty
    }

    It 'writes a Mermaid diagram and an SVG image a browser opens' {
        $mmd = Join-Path $work 'session.mmd'
        Show-CftSslSession (Join-Path $real 'tls12-no-client-cert.server.log') -As Mermaid | Set-Content $mmd
        $lines = Get-Content $mmd
        $lines[3] | Should -Be 'sequenceDiagram'
        $lines | Where-Object { $_ -match '^    P->>CFT: Certificate: empty \(no certificate sent\)$' } | Should -HaveCount 1
        $lines | Where-Object { $_ -match '^    CFT-xP: Alert fatal handshake_failure \(40\)$' } | Should -HaveCount 1
        $svgFile = Join-Path $work 'session.svg'
        Show-CftSslSession (Join-Path $real 'tls12-hostile-subject.client.log') -As Svg | Set-Content $svgFile
        [xml] $svg = Get-Content $svgFile -Raw
        $svg.svg.role | Should -Be 'img'
        @($svg.svg.g | Where-Object { $_.class -like 'arrow*' }).Count | Should -Be ([int] $svg.svg.'data-arrows')
        $svg.SelectNodes('//*[local-name()="script"]').Count | Should -Be 0
        (Get-Content $svgFile -Raw) | Should -Match '&lt;script&gt;alert\(cft\)&lt;/script&gt;'
    }
}

Describe 'Export-CftSslReport for a ticket' {
    It 'writes one page from the sessions of a history, the failing partners and their causes first' {
        $file = Join-Path $work 'report.html'
        $written = Get-CftSslSession (Join-Path $PSScriptRoot 'fixtures/history/server1/*') -WarningAction SilentlyContinue |
            Export-CftSslReport -Path $file -Title 'BANK-A since 26 November' -PassThru
        $written | Should -BeOfType [System.IO.FileInfo]
        $html = Get-Content $file -Raw
        $html | Should -Match '<title>BANK-A since 26 November</title>'
        $html.IndexOf('Likely cause (ServerIssuer)') | Should -BeLessThan $html.IndexOf('id="partners"')
        ([regex]::Matches($html, '<svg xmlns="http://www.w3.org/2000/svg" class="chart history"')).Count | Should -Be 5
        ([regex]::Matches($html, '<article class="session ')).Count | Should -Be 15
    }

    It 'keeps a large table to its limit, the failed sessions first, and says so' {
        $file = Join-Path $work 'limited.html'
        $sessions = @(Get-CftSslSession (Join-Path $PSScriptRoot 'fixtures/history/server1/*') -WarningAction SilentlyContinue)
        $failed = @($sessions | Where-Object Result -eq Failed).Count
        $sessions | Export-CftSslReport -Path $file -TableLimit 4 -Detail None
        $html = Get-Content $file -Raw
        $table = [regex]::Match($html, '(?s)<table id="table">.*?</table>').Value # not the certificates' rows
        $rows = [regex]::Matches($table, '<tr class="(good|bad|warn)">') | ForEach-Object { $_.Groups[1].Value }
        $rows | Should -Be @('bad', 'bad', 'bad', 'bad')
        $html | Should -Match ('<caption>The first 4 of {0} sessions \(at most 4 rows: 4 of {1} failed, ' -f $sessions.Count, $failed)
        $html | Should -Match ('<strong>{0}</strong> failed' -f $failed)
        { $sessions | Export-CftSslReport -Path $file -TableLimit 0 } | Should -Throw -ErrorId 'ParameterArgumentValidationError*'
    }

    It 'draws a certificate without expiry (notAfter 9999-12-31) and judges certificates on the last day' {
        # RFC 5280's date for a certificate without a well-defined expiration: the report failed on it, as on -AsOf 9999-12-31
        $file = Join-Path $work 'noexpiry.html'
        $log = Join-Path $real 'tls12-no-expiry.client.log'
        Get-CftSslSession $log | Export-CftSslReport -Path $file -Detail All
        $chain = [regex]::Match((Get-Content $file -Raw), '(?s)<svg [^>]*class="chart chain".*?</svg>').Value
        ([xml]$chain).SelectNodes('//*[local-name()="text"]').InnerText | Should -Contain ('to 9999-12-31 ' + [char]0x2192)
        $last = Get-CftSslCertificate $log -AsOf '9999-12-31' | Sort-Object NotAfter
        $last[0].DaysLeft | Should -Be ([int][math]::Floor(($last[0].NotAfter - [datetime]'9999-12-31').TotalDays)) # the root CA, long expired
        $last[0].DaysLeft | Should -BeLessThan -2900000
        $last[1].DaysLeft | Should -Be 0 # the certificate without expiry, on its last day
        Get-CftSslSession $log | Export-CftSslReport -Path $file -AsOf '9999-12-31'
        Get-Content $file -Raw | Should -Match '<strong>2</strong> of 2 certificates expired or expiring within 30 days'
    }

    It 'refuses sessions that came from elsewhere, saying where to run it' {
        $copy = Get-CftSslSession (Join-Path $real 'tls12-unknown-ca.client.log') | ForEach-Object { [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($_)) }
        $copy | Export-CftSslReport -Path (Join-Path $work 'copy.html') -ErrorVariable e -ErrorAction SilentlyContinue
        $e[0].FullyQualifiedErrorId | Should -BeLike 'SessionCopyNotSupported*'
        $e[0].Exception.Message | Should -Match 'Run Export-CftSslReport where the logs are'
    }
}
