# Pester 5 tests for users' machines (pwsh or Windows PowerShell with Pester 5): ./build.ps1 -Task Test runs them.
# They mirror scenarios that the xunit suites (tests/CftSslTrace.PowerShell.Tests) run in the hosted engine.

BeforeAll {
    $root = Split-Path -Parent $PSScriptRoot
    Import-Module (Join-Path $root 'CftSslTrace.psd1') -Force
    $fixtures = Join-Path $PSScriptRoot 'fixtures'
}

Describe 'Get-CftSslSession' {
    It 'reads the documentation sample as one established TLS 1.0 client session' {
        $s = Get-CftSslSession (Join-Path $fixtures 'doc/doc-simple-auth-client.log')
        $s | Should -HaveCount 1
        $s.Ctx | Should -Be '200005'
        $s.Role | Should -Be 'Client'
        $s.Partner | Should -Be 'LOOPSSL1'
        $s.Result | Should -Be 'Established'
        $s.CipherSuiteId | Should -Be 47
        $s.Authentication | Should -Be 'Server'
    }

    It 'accepts files from Get-ChildItem' {
        $s = Get-ChildItem (Join-Path $fixtures 'doc') -Filter *.log | Get-CftSslSession
        ($s | Sort-Object Ctx).Ctx | Should -Be @('200005', '210006')
    }

    It 'accepts lines from Get-Content' {
        $s = Get-Content (Join-Path $fixtures 'real/busy.log') | Get-CftSslSession -WarningVariable warnings
        $s | Should -HaveCount 5
        ($s | Where-Object OpeningMissing).Ctx | Should -Be '20a004'
        $warnings | Should -BeNullOrEmpty
    }

    It 'reads the lines it is given, not the file they came from (Get-Content strings carry its path)' {
        $log = Join-Path $fixtures 'real/busy.log'
        $s = Get-Content $log | Where-Object { $_ -match 'CTX=20a002 ' } | Get-CftSslSession -WarningVariable warnings
        $s.Ctx | Should -Be '20a002'
        $s.Result | Should -Be 'Failed'
        $warnings | Should -BeNullOrEmpty
        $byThousands = Get-Content $log -ReadCount 1000 | Get-CftSslSession
        ($byThousands | ForEach-Object { $_.SessionId + ' ' + $_.Result }) | Should -Be ((Get-Content $log | Get-CftSslSession) | ForEach-Object { $_.SessionId + ' ' + $_.Result })
        $first = Get-Content $log -TotalCount 40 | Get-CftSslFrame
        $first.Count | Should -BeLessThan (Get-CftSslFrame $log).Count
        ($first | ForEach-Object Line | Measure-Object -Maximum).Maximum | Should -BeLessOrEqual 40
    }

    It 'filters by partner and result' {
        $s = Get-CftSslSession (Join-Path $fixtures 'real/*.client.log') -Partner 'PARTNER0[89]' -Result Failed
        ($s | Sort-Object Partner).Failure.Name | Should -Be @('unknown_ca', 'handshake_failure')
    }

    It 'filters by start time' {
        $s = Get-CftSslSession (Join-Path $fixtures 'doc/*.log'), (Join-Path $fixtures 'real/tls10-rsa-aes128.client.log') -After ([datetime]'2020-01-01')
        $s.Ctx | Should -Be '200001'
    }

    It 'explains an unknown CA in CFT terms' {
        $s = Get-CftSslSession (Join-Path $fixtures 'real/tls12-unknown-ca.client.log')
        $s.Failure.Code | Should -Be 48
        $s.Failure.Explanation | Should -Match 'ROOTCID'
    }

    It 'writes a non-terminating error for a missing file and reads the others' {
        $s = Get-CftSslSession (Join-Path $fixtures 'doc/nope.log'), (Join-Path $fixtures 'doc/doc-simple-auth-server.log') -ErrorVariable err -ErrorAction SilentlyContinue
        $s.Ctx | Should -Be '210006'
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }
}

Describe 'Get-CftSslFrame' {
    It 'returns one frame per TLS record with readable CSV columns' {
        $frames = Get-CftSslFrame (Join-Path $fixtures 'real/tls12-ecdhe-rsa-mutual.client.log')
        $frames | Should -HaveCount 18
        $frames[0].Messages | Should -Be 'ClientHello'
        $csv = $frames | ConvertTo-Csv -NoTypeInformation
        ($csv -join "`n") | Should -Not -Match 'System\.Collections'
    }

    It 'reports the truncated certificate dump of the documentation sample' {
        $f = Get-CftSslFrame (Join-Path $fixtures 'doc/doc-simple-auth-client.log') | Where-Object Truncated
        ($f | Where-Object Messages -eq 'Certificate').CapturedLength | Should -Be 48
    }
}

Describe 'ConvertFrom-CftHexDump' {
    It 'converts bare dump lines pasted from an e-mail' {
        $b = '16030100 2A020000 2603014D AECAB899', '14030100 0101' | ConvertFrom-CftHexDump
        $b | Should -HaveCount 1
        $b.Length | Should -Be 22
    }
}

Describe 'Lookups' {
    It 'finds the suite behind CIPHER=47 and rates it' {
        $s = Get-CftCipherSuite 47
        $s.Name | Should -Be 'TLS_RSA_WITH_AES_128_CBC_SHA'
        $s.OpenSslName | Should -Be 'AES128-SHA'
        $s.Strength | Should -Be 'Weak'
    }

    It 'finds suites by name with wildcards' {
        (Get-CftCipherSuite -Name *GCM* -Strength Recommended).Count | Should -BeGreaterThan 10
    }

    It 'explains an alert number as CFT logs it in CR=' {
        (Get-CftSslAlert 48).CftHint | Should -Match 'ROOTCID'
    }
}

Describe 'Help and errors' {
    It 'has help with examples for every cmdlet' {
        foreach ($c in (Get-Module CftSslTrace).ExportedCmdlets.Keys) {
            $h = Get-Help $c -Full
            $h.Synopsis | Should -Not -Match "^\s*$([regex]::Escape($c)) \["
            @($h.examples.example).Count | Should -BeGreaterOrEqual 3
        }
    }

    It 'turns malformed lines into errors with -Strict' {
        $lines = @(Get-Content (Join-Path $fixtures 'doc/doc-simple-auth-client.log') -TotalCount 6) + '00 11/04/21 11:23:41 CFTY02Z>> CTX=200005 16030100 2A0G0000 >..<'
        $null = $lines | Get-CftSslSession -Strict -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].CategoryInfo.Category | Should -Be 'InvalidData'
    }

    It 'shows sessions as a table that fits 120 columns' {
        $text = Get-CftSslSession (Join-Path $fixtures 'real/*.client.log') | Out-String -Width 120
        $text | Should -Match 'Ctx\s+Role\s+Partner\s+Result\s+Version\s+Auth\s+Cipher or problem'
    }
}

Describe 'Exports' {
    BeforeAll {
        $out = Join-Path ([System.IO.Path]::GetTempPath()) ("cftssltrace-pester-" + [guid]::NewGuid())
        $null = New-Item -ItemType Directory -Path $out
    }
    AfterAll { Remove-Item -Recurse -Force $out -ErrorAction SilentlyContinue }

    It 'writes a pcapng file that starts with a section header block' {
        $file = Get-CftSslSession (Join-Path $fixtures 'real/tls12-ecdhe-rsa-mutual.client.log') | Export-CftSslPcap -Path (Join-Path $out 's.pcapng') -PassThru
        $bytes = [System.IO.File]::ReadAllBytes($file.FullName)
        $bytes[0..3] | Should -Be @(0x0A, 0x0D, 0x0D, 0x0A)
    }

    It 'writes each certificate once, named from its subject' {
        $files = Get-CftSslSession (Join-Path $fixtures 'real/tls12-ecdhe-rsa-mutual.*.log') | Export-CftSslCertificate -Path (Join-Path $out 'certs') -PassThru
        $files | Should -HaveCount 4
        ($files.Name -like 'cft-server.example.test_*.cer') | Should -HaveCount 1
    }

    It 'gives sessions their JA3 and JA4 fingerprints' {
        $s = Get-CftSslSession (Join-Path $fixtures 'real/tls13-server-auth.client.log')
        $s.Ja3 | Should -Match '^[0-9a-f]{32}$'
        $s.Ja4 | Should -Match '^t13d'
    }
}
