# Pester 5: the module as an administrator uses it in a real shell (PowerShell 7 or Windows PowerShell 5.1 with
# Pester 5): CSV and JSON, grouping and filtering, the default views at 80 and 120 columns, objects that come back from
# jobs, remoting or Export-Clixml, help of the packaged module, and every example of the help run against the fixtures.
# CI runs this file and tests/CftSslTrace.Tests.ps1 with ../shared/tools/pwsh after dotnet test.

BeforeDiscovery {
    $root = Split-Path -Parent $PSScriptRoot
    Import-Module (Join-Path $root 'CftSslTrace.psd1') -Force
    $examples = foreach ($c in (Get-Command -Module CftSslTrace | Sort-Object Name)) {
        $n = 0
        foreach ($e in (Get-Help $c.Name -Examples).examples.example) {
            $n++
            @{ Cmdlet = $c.Name; Number = $n; Code = ($e.code -join "`n").Trim() }
        }
    }
}

BeforeAll {
    $root = Split-Path -Parent $PSScriptRoot
    Import-Module (Join-Path $root 'CftSslTrace.psd1') -Force
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $fixtures = Join-Path $PSScriptRoot 'fixtures'
    $real = Join-Path $fixtures 'real'
    $work = Join-Path ([System.IO.Path]::GetTempPath()) ('cftssltrace-shell-' + [guid]::NewGuid())
    $null = New-Item -ItemType Directory -Path $work
}

AfterAll {
    Remove-Item -Recurse -Force $work -ErrorAction SilentlyContinue
}

Describe 'Export-Csv and Import-Csv' {
    It 'round-trips frames: one row per record, the columns a spreadsheet needs' {
        $frames = Get-CftSslFrame (Join-Path $real 'tls12-unknown-ca.client.log')
        $csv = Join-Path $work 'frames.csv'
        $frames | Export-Csv -Path $csv -NoTypeInformation
        $rows = Import-Csv -Path $csv
        $rows | Should -HaveCount $frames.Count
        foreach ($name in 'SessionId', 'Line', 'Time', 'Ctx', 'Partner', 'Direction', 'Sender', 'ContentType', 'Version', 'Length', 'Messages', 'Summary', 'Truncated') {
            $rows[0].PSObject.Properties.Name | Should -Contain $name
        }
        for ($i = 0; $i -lt $frames.Count; $i++) {
            $rows[$i].Summary | Should -Be $frames[$i].Summary
            [int] $rows[$i].Line | Should -Be $frames[$i].Line
            $rows[$i].Direction | Should -Be ([string] $frames[$i].Direction)
        }
        $rows[-1].Summary | Should -Be 'Alert fatal unknown_ca (48)'
        (Get-Content $csv -Raw) | Should -Not -Match 'System\.Collections|CftSslTrace\.(Tls|Sessions)\.'
    }

    It 'round-trips sessions with the failure, its explanation and the certificate in readable columns' {
        $csv = Join-Path $work 'sessions.csv'
        Get-CftSslSession (Join-Path $real '*.client.log') | Export-Csv -Path $csv -NoTypeInformation
        $rows = Import-Csv -Path $csv
        $failed = $rows | Where-Object Ctx -eq '20000c'
        $failed.Result | Should -Be 'Failed'
        $failed.Failure | Should -Match '^unknown_ca \(48\)'
        $failed.Explanation | Should -Match 'ROOTCID of CFTSSL SSLCLI01'
        $failed.ServerCertificate | Should -Be 'CN=cft-server.example.test, OU=Transfers, O=Example Bank, L=Paris, C=FR'
        ($rows | Where-Object Ctx -eq '200002').CipherSuiteName | Should -Be 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'
        (Get-Content $csv -Raw) | Should -Not -Match 'System\.Collections'
    }
}

Describe 'ConvertTo-Json' {
    It 'writes sessions that ConvertFrom-Json reads back, enumerations as names with -EnumsAsStrings' -Skip:($PSVersionTable.PSVersion.Major -lt 7) {
        $json = Get-CftSslSession (Join-Path $real 'tls12-unknown-ca.client.log') | ConvertTo-Json -Depth 3 -EnumsAsStrings -WarningAction SilentlyContinue
        $o = $json | ConvertFrom-Json
        $o.Result | Should -Be 'Failed'
        $o.Role | Should -Be 'Client'
        $o.Failure.Name | Should -Be 'unknown_ca'
        $o.Failure.Code | Should -Be 48
        $o.ServerCertificate.Subject | Should -Match 'cft-server.example.test'
        $o.Frames[0].Summary | Should -Be 'ClientHello TLS 1.2, 28 suites'
    }

    It 'writes frames' {
        $o = Get-CftSslFrame (Join-Path $real 'tls12-unknown-ca.client.log') | ConvertTo-Json -Depth 2 -WarningAction SilentlyContinue | ConvertFrom-Json
        $o | Should -HaveCount 6
        $o[-1].Summary | Should -Be 'Alert fatal unknown_ca (48)'
    }
}

Describe 'Group-Object, Where-Object and Sort-Object on the documented properties' {
    BeforeAll { $sessions = Get-CftSslSession (Join-Path $real '*.client.log') }

    It 'groups sessions by result' {
        $g = $sessions | Group-Object Result | Sort-Object Name
        $g.Name | Should -Be @('Established', 'Failed')
        ($g | Where-Object Name -eq 'Failed').Count | Should -Be 8   # seven failures of the scenarios and the certificate whose subject is markup
    }

    It 'filters by authentication, version and failure' {
        ($sessions | Where-Object Authentication -eq 'Mutual').Ctx | Sort-Object | Should -Be @('200002', '200007')
        ($sessions | Where-Object Version -eq 'TLS 1.3' | Measure-Object).Count | Should -Be 4
        ($sessions | Where-Object { $_.Failure.Name -eq 'certificate_expired' }).Partner | Should -Be 'PARTNER15'
        ($sessions | Where-Object ServerCertificate | Where-Object { $_.ServerCertificate.NotAfter -lt $_.StartTime }).Partner | Should -Be 'PARTNER15'
    }

    It 'groups frames by content type and sorts sessions by start time' {
        $frames = Get-CftSslFrame (Join-Path $real 'tls12-ecdhe-rsa-mutual.client.log')
        ($frames | Group-Object ContentType | Sort-Object Name).Name | Should -Be @('Alert', 'ApplicationData', 'ChangeCipherSpec', 'Handshake')
        $sorted = $sessions | Sort-Object StartTime, Ctx
        $sorted[0].StartTime | Should -BeLessOrEqual $sorted[-1].StartTime
    }
}

Describe 'Default views at 80 and 120 columns' {
    It 'shows sessions at <_> columns with the problem readable' -ForEach 80, 120 {
        $w = $_
        $lines = Show (Get-CftSslSession (Join-Path $real '*.client.log')) $w
        $lines | ForEach-Object { $_.Length | Should -BeLessOrEqual $w }
        $header = $lines | Where-Object { $_ -match '^Ctx' } | Select-Object -First 1
        $header | Should -Match '^Ctx\s+Role\s+Partner\s+Result\s+Version\s+Auth\s+Cipher or problem$'
        $col = $header.IndexOf('Cipher or problem')
        ($w - $col) | Should -BeGreaterOrEqual 28
        $i = [array]::FindIndex([string[]] $lines, [Predicate[string]] { param($l) $l.StartsWith('20000c') })
        # the cell: its row, and the lines under it that continue it (blank before the column)
        $cell = $lines[$i].Substring($col)
        for ($k = $i + 1; $k -lt $lines.Count -and $lines[$k].Length -gt $col -and $lines[$k].Substring(0, $col).Trim() -eq ''; $k++) { $cell += $lines[$k].Substring($col) }
        ($cell -replace '\s', '') | Should -Be 'unknown_ca(48):servercertnottrusted'
    }

    It 'shows frames at <_> columns with at least 30 columns of summary' -ForEach 80, 120 {
        $w = $_
        $lines = Show (Get-CftSslFrame (Join-Path $real 'tls12-unknown-ca.client.log')) $w
        $lines | ForEach-Object { $_.Length | Should -BeLessOrEqual $w }
        $header = $lines | Where-Object { $_ -match '^\s+Line\s+Time\s+Dir\s+From\s+Version\s+Length\s+Record$' }
        $header | Should -Not -BeNullOrEmpty
        ($w - $header.IndexOf('Record')) | Should -BeGreaterOrEqual 30
        $lines | Where-Object { $_ -match '^\s+166 \d\d:\d\d:\d\d\.\d\d >>  Client TLS 1\.2\s+2 Alert fatal unknown_ca \(48\)$' } | Should -HaveCount 1
    }

    It 'drops the Time column for a log whose lines carry no time' {
        $lines = Show ((Get-Content (Join-Path $fixtures 'doc/doc-simple-auth-client.log')) -replace '^00 \S+ \S+ ', '' | Get-CftSslFrame) 80
        $lines | Where-Object { $_ -match '^\s+Line\s+Dir\s+From\s+Version\s+Length\s+Record$' } | Should -HaveCount 1
        ($lines -join "`n") | Should -Not -Match 'Time'
    }

    It 'shows the list view of a session with its explanation at <_> columns' -ForEach 80, 120 {
        $w = $_
        $lines = Show (Get-CftSslSession (Join-Path $real 'tls12-unknown-ca.client.log') | Format-List) $w
        $lines | ForEach-Object { $_.Length | Should -BeLessOrEqual $w }
        ($lines | Where-Object { $_ -match '^Explanation\s+: The client rejected' }) | Should -HaveCount 1
        ($lines | Where-Object { $_ -match '^CipherSuite\s+: TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 \(49200\)' }) | Should -HaveCount 1
    }

    It 'shows certificates, cipher suites, alerts and dump blocks within <_> columns' -ForEach 80, 120 {
        $w = $_
        $s = Get-CftSslSession (Join-Path $real 'tls12-unknown-ca.client.log')
        $all = @(
            Show $s.ServerCertificate $w
            Show (Get-CftCipherSuite 47, 49196, 52393) $w
            Show (Get-CftSslAlert 40, 48) $w
            Show (Get-Content (Join-Path $fixtures 'doc/doc-simple-auth-client.log') | ConvertFrom-CftHexDump) $w
            Show $s.HandshakeMessages $w
            Show $s.Alerts $w
        )
        $all | ForEach-Object { $_.Length | Should -BeLessOrEqual $w }
        $all | Where-Object { $_ -match '^NotAfter\s+: ' } | Should -HaveCount 1
        $all | Where-Object { $_ -match '^49196 0xC02C TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384\s+TLS 1\.2 Recommended$' } | Should -HaveCount 1
    }
}

Describe 'Objects from jobs, remoting and Export-Clixml' {
    It 'keeps the failure, the explanation, the certificates and the frames through Export-Clixml and Import-Clixml' {
        $xml = Join-Path $work 'sessions.xml'
        Get-CftSslSession (Join-Path $real 'tls12-unknown-ca.client.log') | Export-Clixml -Path $xml
        $d = Import-Clixml -Path $xml
        $d.PSObject.TypeNames[0] | Should -Be 'Deserialized.CftSslTrace.Sessions.CftSslSession'
        $d.Result -eq 'Failed' | Should -BeTrue
        $d.Failure.Name | Should -Be 'unknown_ca'
        $d.Explanation | Should -Match 'ROOTCID'
        $d.ServerCertificate.NotAfter | Should -BeOfType [datetime]
        @($d.Frames)[0].Summary | Should -Be 'ClientHello TLS 1.2, 28 suites'
        $lines = Show $d 80
        $d.Result | Should -BeOfType [string]     # an enumeration travels as its name
        $lines | Where-Object { $_ -match '^Ctx\s+Partner\s+Result\s+Version\s+Cipher or failure$' } | Should -HaveCount 1
        $lines | Where-Object { $_ -match '^20000c PARTNER08\s+Failed\s+TLS 1\.2\s+unknown_ca \(48\)$' } | Should -HaveCount 1
    }

    It 'keeps them through a background job (serialized as remoting does), with PSComputerName in the view' {
        # Start-Job needs the pwsh executable in $PSHOME (a framework-dependent PowerShell run by 'dotnet pwsh.dll' has none)
        $apphost = Join-Path $PSHOME $(if ($IsWindows -or $PSVersionTable.PSVersion.Major -lt 6) { 'powershell.exe', 'pwsh.exe' | Where-Object { Test-Path (Join-Path $PSHOME $_) } | Select-Object -First 1 } else { 'pwsh' })
        if (-not (Test-Path $apphost)) { Set-ItResult -Skipped -Because "Start-Job needs $apphost"; return }
        $manifest = Join-Path $root 'CftSslTrace.psd1'
        $file = Join-Path $real 'tls12-unknown-ca.client.log'
        $job = Start-Job -ScriptBlock { param($m, $f) Import-Module $m; Get-CftSslSession $f } -ArgumentList $manifest, $file
        $d = $job | Wait-Job -Timeout 120 | Receive-Job
        $job | Remove-Job -Force
        $d.PSComputerName | Should -Be 'localhost'
        $d.Result -eq 'Failed' | Should -BeTrue
        $d.Failure.Explanation | Should -Match 'ROOTCID'
        @($d.ServerCertificates)[1].NotAfter | Should -BeOfType [datetime]
        # a job's objects do not show their computer (it is this one); remoting's do, as PowerShell's last column
        (Show $d 80) | Where-Object { $_ -match '^20000c PARTNER08\s+Failed\s+TLS 1\.2\s+unknown_ca \(48\)' } | Should -HaveCount 1
    }
}

Describe 'Help of the packaged module' {
    It 'shows help for every cmdlet and the about topic from out/CftSslTrace in a new shell' {
        $manifest = Get-ChildItem (Join-Path $root 'out/CftSslTrace') -Filter CftSslTrace.psd1 -Recurse -ErrorAction SilentlyContinue | Select-Object -First 1
        if (-not $manifest) { Set-ItResult -Skipped -Because 'the build has not made out/CftSslTrace (dotnet build)'; return }
        $script = "Import-Module '$($manifest.FullName)'; " +
            "foreach (`$c in (Get-Command -Module CftSslTrace)) { `$h = Get-Help `$c.Name -Full; '{0}|{1}|{2}|{3}' -f `$c.Name, `$h.Synopsis.Length, @(`$h.examples.example).Count, @(`$h.parameters.parameter).Count }; " +
            "(Get-Help about_CftSslTrace | Out-String).Length; (Get-Module CftSslTrace).ModuleBase"
        $exe = Join-Path $PSHOME 'pwsh'
        if ($PSVersionTable.PSVersion.Major -lt 6) { $out = & powershell.exe -NoProfile -NonInteractive -Command $script }
        elseif (Test-Path $exe) { $out = & $exe -NoProfile -NonInteractive -Command $script }
        elseif (Test-Path "$exe.exe") { $out = & "$exe.exe" -NoProfile -NonInteractive -Command $script }
        else { $out = & dotnet (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -Command $script }
        $LASTEXITCODE | Should -Be 0
        $out[-1] | Should -Be $manifest.DirectoryName
        [int] $out[-2] | Should -BeGreaterThan 5000
        $rows = $out | Where-Object { $_ -like '*|*' }
        $rows | Should -HaveCount 13
        foreach ($r in $rows) {
            $name, $synopsis, $examples, $parameters = $r -split '\|'
            [int] $synopsis | Should -BeGreaterThan 30 -Because $name
            [int] $examples | Should -BeGreaterOrEqual 3 -Because $name
            [int] $parameters | Should -BeGreaterThan 0 -Because $name
        }
    }
}

Describe 'Every help example, run against the fixtures' {
    BeforeAll {
        # a CFT log folder: the current log (cftlog), the one before the last switch (cftlog1), and an archive
        $sandbox = Join-Path $work 'log'
        $null = New-Item -ItemType Directory -Path (Join-Path $sandbox 'archive')
        Get-Content (Join-Path $real 'tls10-rsa-aes128.client.log'), (Join-Path $real 'tls12-ecdhe-rsa-mutual.client.log') |
            Set-Content (Join-Path $sandbox 'cftlog1')
        Get-Content (Join-Path $real 'tls12-ecdhe-ecdsa.client.log'), (Join-Path $real 'tls13-mutual.server.log'), (Join-Path $real 'tls12-unknown-ca.client.log'),
            (Join-Path $real 'tls12-no-client-cert.client.log'), (Join-Path $real 'tls12-expired-certificate.client.log'), (Join-Path $real 'tls13-no-client-cert.client.log') |
            Set-Content (Join-Path $sandbox 'cftlog')
        Copy-Item (Join-Path $real 'busy.log') (Join-Path $sandbox 'archive/cftlog-20261127')
        Push-Location $sandbox
    }
    AfterAll { Pop-Location }

    It '<Cmdlet> example <Number> runs: <Code>' -ForEach $examples {
        if ($Code -match '(^|\W)tshark\W' -and -not (Get-Command tshark -ErrorAction SilentlyContinue)) { Set-ItResult -Skipped -Because 'tshark is not installed'; return }
        # the clipboard of an administrator who copied a dump from an e-mail
        function Get-Clipboard { Get-Content (Join-Path $fixtures 'doc/doc-simple-auth-client.log') | Select-Object -Skip 1 -First 3 }
        $script = $Code -replace '/opt/cft/runtime/log/', './'
        # a followed log is followed for a second here, not until Ctrl+C or for the example's ten minutes
        $script = $script -replace '\s-Timeout\s+\S+', '' -replace '\s-Wait\b', ' -Wait -Timeout 00:00:01'
        $ErrorActionPreference = 'Stop'
        $out = & ([scriptblock]::Create($script)) 2>&1 | Out-String -Width 120
        $LASTEXITCODE = 0
        $out | Should -Not -Match 'Exception|is not recognized|Cannot find'
    }
}
