# Pester 5: real PowerShell remoting over SSH to this machine, as an administrator fans out to CFT servers.
# A throwaway sshd (its own host key, a key pair made for the test, a free port, loopback only: 127.0.0.1 and 127.0.0.2
# stand for two servers) runs PowerShell's SSH subsystem with the packaged module installed in a module path of its own.
# Each "server" reads its own logs (tests/fixtures/history/server1 and server2); the sessions come back deserialized and
# are then filtered, shown, grouped into partners and compared here. Skipped, with the reason, where it cannot run:
# not Linux, no sshd or ssh-keygen (CI installs openssh-server), not root (sshd needs /run/sshd and to switch user),
# no packaged module (dotnet build makes out/CftSslTrace) or no pwsh executable for the subsystem.

BeforeAll {
    $root = Split-Path -Parent $PSScriptRoot
    Import-Module (Join-Path $root 'CftSslTrace.psd1') -Force
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $history = Join-Path $PSScriptRoot 'fixtures/history'
    $skip = $null
    $sshd = '/usr/sbin/sshd'
    $pwshExe = Join-Path $PSHOME 'pwsh'
    $package = Get-ChildItem (Join-Path $root 'out/CftSslTrace') -Filter CftSslTrace.psd1 -Recurse -ErrorAction SilentlyContinue | Select-Object -First 1
    if (-not $IsLinux) { $skip = 'the SSH test server is set up for Linux' }
    elseif (-not (Test-Path $sshd) -or -not (Get-Command ssh-keygen -ErrorAction SilentlyContinue) -or -not (Get-Command ssh -ErrorAction SilentlyContinue)) { $skip = 'openssh-server and openssh-client are not installed' }
    elseif ((& id -u) -ne '0') { $skip = 'sshd needs root here (privilege separation in /run/sshd)' }
    elseif (-not $package) { $skip = 'the build has not made out/CftSslTrace (dotnet build)' }
    elseif (-not (Test-Path $pwshExe)) { $skip = "the SSH subsystem needs the pwsh executable at $pwshExe" }

    $work = Join-Path ([System.IO.Path]::GetTempPath()) ('cftssltrace-ssh-' + [guid]::NewGuid())
    $null = New-Item -ItemType Directory -Path $work
    $sessions = @()
    if (-not $skip) {
        # the module installed as on a server: <modules>/CftSslTrace/<version>/
        $modules = Join-Path $work 'modules'
        $installed = Join-Path $modules "CftSslTrace/$($package.Directory.Name)"
        $null = New-Item -ItemType Directory -Path $installed -Force
        Copy-Item -Path (Join-Path $package.DirectoryName '*') -Destination $installed -Recurse

        & ssh-keygen -q -t ed25519 -N '' -f (Join-Path $work 'hostkey') | Out-Null
        & ssh-keygen -q -t ed25519 -N '' -f (Join-Path $work 'userkey') | Out-Null
        Copy-Item (Join-Path $work 'userkey.pub') (Join-Path $work 'authorized_keys')
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()
        @(
            "Port $port", 'ListenAddress 127.0.0.1', 'ListenAddress 127.0.0.2',
            "HostKey $work/hostkey", "PidFile $work/sshd.pid", "AuthorizedKeysFile $work/authorized_keys",
            'PubkeyAuthentication yes', 'PasswordAuthentication no', 'KbdInteractiveAuthentication no',
            'PermitRootLogin prohibit-password', 'StrictModes no', 'UsePAM no', 'MaxStartups 20',
            "Subsystem powershell /usr/bin/env PSModulePath=$modules $pwshExe -sshs -NoLogo -NoProfile"
        ) | Set-Content -Path (Join-Path $work 'sshd_config')
        $null = New-Item -ItemType Directory -Path '/run/sshd' -Force
        & $sshd -f (Join-Path $work 'sshd_config') -E (Join-Path $work 'sshd.log')
        if ($LASTEXITCODE -ne 0) { $skip = "sshd did not start: $(Get-Content (Join-Path $work 'sshd.log') -Raw)" }
        else {
            $deadline = [datetime]::UtcNow.AddSeconds(15)
            do {
                $up = $false
                try { $c = [System.Net.Sockets.TcpClient]::new('127.0.0.1', $port); $c.Dispose(); $up = $true } catch { Start-Sleep -Milliseconds 200 }
            } until ($up -or [datetime]::UtcNow -gt $deadline)
            if (-not $up) { $skip = "sshd did not listen on 127.0.0.1:$port within 15 s" }
        }
        $connect = @{
            Port = $port; UserName = 'root'; KeyFilePath = (Join-Path $work 'userkey')
            Options = @{ StrictHostKeyChecking = 'no'; UserKnownHostsFile = '/dev/null'; LogLevel = 'ERROR' }
            ConnectingTimeout = 60000
        }
        if (-not $skip) {
            $sessions = @(New-PSSession -HostName '127.0.0.1', '127.0.0.2' @connect -ErrorAction SilentlyContinue -ErrorVariable sshErrors)
            if ($sessions.Count -ne 2) { $skip = "no PowerShell over SSH: $($sshErrors | Select-Object -First 1)" }
        }
    }

    # what each server reads: its own history
    $byServer = @{ '127.0.0.1' = (Join-Path $history 'server1/*'); '127.0.0.2' = (Join-Path $history 'server2/*') }
}

AfterAll {
    if ($sessions) { $sessions | Remove-PSSession -ErrorAction SilentlyContinue }
    $pidFile = Join-Path $work 'sshd.pid'
    if (Test-Path $pidFile) { Stop-Process -Id ([int] (Get-Content $pidFile)) -Force -ErrorAction SilentlyContinue }
    Remove-Item -Recurse -Force $work -ErrorAction SilentlyContinue
}

Describe 'Fanning out to CFT servers over SSH remoting' {
    BeforeAll {
        $remote = @()
        if (-not $skip) {
            # each server reads its own logs, beside them, in parallel; only the sessions travel
            $remote = @(Invoke-Command -Session $sessions -ThrottleLimit 2 -ScriptBlock {
                param($paths)
                Import-Module CftSslTrace
                Get-CftSslSession -Path $paths[$env:SSH_CONNECTION.Split(' ')[2]] -WarningAction SilentlyContinue
            } -ArgumentList $byServer)
        }
    }

    It 'brings back every session of each server, from the module installed there, with the computer it came from' {
        if ($skip) { Set-ItResult -Skipped -Because $skip; return }
        $local1 = @(Get-CftSslSession (Join-Path $history 'server1/*') -WarningAction SilentlyContinue)
        $local2 = @(Get-CftSslSession (Join-Path $history 'server2/*') -WarningAction SilentlyContinue)
        @($remote | Where-Object PSComputerName -eq '127.0.0.1').Count | Should -Be $local1.Count
        @($remote | Where-Object PSComputerName -eq '127.0.0.2').Count | Should -Be $local2.Count
        $remote[0].PSObject.TypeNames[0] | Should -Be 'Deserialized.CftSslTrace.Sessions.CftSslSession'
        # where it was read: the file of the server, the line there
        @($remote | Where-Object PSComputerName -eq '127.0.0.1' | Select-Object -ExpandProperty File -Unique | ForEach-Object { Split-Path -Leaf $_ } | Sort-Object) |
            Should -Be @('cftlog', 'cftlog-20261124', 'cftlog-20261125.gz')
    }

    It 'filters on the same names as at home: the result is a string that compares with -eq' {
        if ($skip) { Set-ItResult -Skipped -Because $skip; return }
        $local1 = @(Get-CftSslSession (Join-Path $history 'server1/*') -WarningAction SilentlyContinue | Where-Object Result -eq Failed)
        $local2 = @(Get-CftSslSession (Join-Path $history 'server2/*') -WarningAction SilentlyContinue | Where-Object Result -eq Failed)
        $failed = @($remote | Where-Object Result -eq Failed)
        $failed.Count | Should -Be ($local1.Count + $local2.Count)
        $failed.Count | Should -BeGreaterThan 0
        $remote[0].Result | Should -BeOfType [string]
        $remote[0].Version | Should -BeOfType [string]
        $failed[0].Failure.Explanation | Should -Not -BeNullOrEmpty
        $remote[0].StartTime | Should -BeOfType [datetime]
        @($remote | Where-Object { $_.ServerCertificate })[0].ServerCertificate.NotAfter | Should -BeOfType [datetime]
        @($remote | Group-Object PSComputerName, Result -NoElement).Count | Should -BeGreaterOrEqual 3
    }

    It 'shows a table that fits 120 columns without wrapping, the computer in PowerShell''s own last column' {
        if ($skip) { Set-ItResult -Skipped -Because $skip; return }
        $lines = Show $remote 120
        $header = @($lines | Where-Object { $_ -match '^Ctx\s+Partner\s+Result' })
        $header.Count | Should -Be 1
        $header[0] | Should -Match 'PSComputerName\s*$'
        ([regex]::Matches($header[0], 'Computer')).Count | Should -Be 1
        $rows = @($lines | Where-Object { $_ -match '^[0-9a-f]{6} ' })
        $rows.Count | Should -Be $remote.Count
        $rows | Where-Object { $_.Length -gt 120 } | Should -BeNullOrEmpty
        $rows | Where-Object { $_ -match '\s127\.0\.0\.2\s*$' } | Should -HaveCount @($remote | Where-Object PSComputerName -eq '127.0.0.2').Count
    }

    It 'groups the sessions of the fleet into partners per computer and explains each failing one' {
        if ($skip) { Set-ItResult -Skipped -Because $skip; return }
        $partners = @($remote | Get-CftSslPartner)
        $partners.Computer | Sort-Object -Unique | Should -Be @('127.0.0.1', '127.0.0.2')
        $home1 = @(Get-CftSslSession (Join-Path $history 'server1/*') -WarningAction SilentlyContinue | Get-CftSslPartner)
        foreach ($p in $home1) {
            $r = @($partners | Where-Object { $_.Computer -eq '127.0.0.1' -and $_.Partner -eq $p.Partner -and $_.Role -eq $p.Role })
            $r.Count | Should -Be 1 -Because $p.Partner
            $r[0].Status | Should -Be $p.Status -Because $p.Partner
            $r[0].Failed | Should -Be $p.Failed -Because $p.Partner
            $r[0].FailingSince | Should -Be $p.FailingSince -Because $p.Partner
        }
        $bankA = $partners | Where-Object { $_.Computer -eq '127.0.0.1' -and $_.Partner -eq 'BANK-A' }
        $bankA.Status | Should -Be 'Failing'
        $causes = @($remote | Compare-CftSslSession | Where-Object LikelyCause)
        $causes | Where-Object { $_.Computer -eq '127.0.0.1' -and $_.Partner -eq 'BANK-A' } | Select-Object -ExpandProperty Aspect -Unique | Should -Be 'ServerIssuer'
        # a comparison never crosses computers: each failure is set against a session of its own server
        $causes.Computer | Should -Not -Contain $null
        $causes.Count | Should -Be @($remote | Where-Object Result -eq Failed).Count
        (Show $partners 120) | Where-Object { $_ -match '^BANK-A@127\.0\.0\.1\s+Client\s+Failing' } | Should -HaveCount 1
    }

    It 'draws a ladder on the server: its lines come back and show as the same text' {
        if ($skip) { Set-ItResult -Skipped -Because $skip; return }
        $log = Join-Path $history 'server1/cftlog'
        $lines = @(Invoke-Command -Session $sessions[0] { Import-Module CftSslTrace; Show-CftSslSession -Path $using:log -Partner BANK-A -Result Failed | Select-Object -First 40 })
        $local = @(Show-CftSslSession -Path $log -Partner BANK-A -Result Failed | Select-Object -First 40)
        $lines[0].PSObject.TypeNames[0] | Should -Be 'Deserialized.CftSslTrace.Pictures.LadderLine'
        $lines.Text | Should -Be $local.Text
        $screen = (Show $lines 80) | Where-Object { $_ -ne '' }
        $screen | Where-Object { $_.Length -gt 79 } | Should -BeNullOrEmpty
        $screen | Where-Object { $_ -match '│─ Alert fatal unknown_ca \(48\) ─+▶│' } | Should -Not -BeNullOrEmpty
    }

    It 'runs the fleet report of the examples against both servers: one CSV line per server and partner, exit code 2 for a failing partner' {
        if ($skip) { Set-ItResult -Skipped -Because $skip; return }
        # the example reads one -LogPath on every server: here both read server1's history
        $script = Join-Path $root 'module/Examples/Invoke-CftSslFleetReport.ps1'
        $csv = Join-Path $work 'fleet/fleet.csv'
        $out = & $script -HostName '127.0.0.1', '127.0.0.2' -Port $connect.Port -UserName root `
            -KeyFilePath $connect.KeyFilePath -SshOptions $connect.Options -LogPath (Join-Path $history 'server1/*') `
            -Since ([datetime] '2026-01-01') -OutputFile $csv -Verbose 4>&1
        $LASTEXITCODE | Should -Be 2 -Because ($out -join "`n")
        $back = @($out | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -match 'came back' })
        $out = @($out | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] })
        $rows = @(Import-Csv $csv)
        $rows.Computer | Sort-Object -Unique | Should -Be @('127.0.0.1', '127.0.0.2')
        $a = $rows | Where-Object { $_.Computer -eq '127.0.0.2' -and $_.Partner -eq 'BANK-A' }
        $a.Status | Should -Be 'Failing'
        $a.LikelyCause | Should -Be 'ServerIssuer'
        $a.Explanation | Should -Match 'ROOTCID'
        $a.Changes | Should -Match 'ServerIssuer: CN=CftSslTrace Test Intermediate CA'
        # each server works out its partners and causes beside its logs and sends back only them, with its count
        $sessionsRead = @(Get-CftSslSession (Join-Path $history 'server1/*') -WarningAction SilentlyContinue).Count
        $partnersHere = @(Get-CftSslPartner (Join-Path $history 'server1/*') -WarningAction SilentlyContinue).Count
        $rows.Count | Should -Be (2 * $partnersHere)
        $causesHere = @($rows | Where-Object LikelyCause).Count
        $back[0].Message | Should -Match ('^{0} object\(s\) came back' -f ($rows.Count + $causesHere + 2))
        ($out | Select-Object -Last 1) | Should -Match ('^{0} sessions from 2 server\(s\) since 2026-01-01 00:00: {1} partner\(s\), \d+ failing; 0 server\(s\) not read$' -f (2 * $sessionsRead), (2 * $partnersHere))
    }
}
