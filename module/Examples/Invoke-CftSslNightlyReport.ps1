<#
.SYNOPSIS
    Nightly report for a Transfer CFT server: the SSL/TLS failures of the night by partner, and the certificates that
    expire soon, as CSV and HTML, with an exit code for the monitoring system.
.DESCRIPTION
    Reads the CFT logs once (TRACE=255 on the CFTSSL profiles gives the most detail; without it the failures come from
    CFT's own lines), each session handed as it comes to the report, the certificates and the failures by partner, so
    that memory does not grow with the night's sessions; keeps the sessions that started since -Since (the certificates
    are those of every session in the logs), and writes to -OutputFolder:
      ssl-failures.csv         one line per partner: failures, the problems seen, the transfers they broke, the last one
      ssl-certificates.csv     every certificate that expires within -ExpiryDays (or has expired), partners' and CFT's own
      ssl-report.html          the night's sessions as one self-contained page (Export-CftSslReport): failing partners
                               and their likely cause, partner histories, certificates (those expiring within
                               -ExpiryDays marked), every session in a table, and the failed ones with their
                               handshake ladder and certificate chains: the page to attach to a ticket
    Exit code: 0 nothing to report, 1 certificates expire within -ExpiryDays, 2 failed sessions (and 3 both), 4 the logs
    could not be read.
.EXAMPLE
    pwsh -NoProfile -File Invoke-CftSslNightlyReport.ps1 -LogPath '/opt/cft/runtime/log/cftlog*' -OutputFolder /var/reports/cft
    From cron or the task scheduler: last night's report (since 18:00 yesterday), certificates expiring within 30 days. The
    wildcard is quoted so that the module expands it: the current log, the switched ones and their gzip or zip archives
    are read as one history (a session open when CFT switched its log is one session, not two halves).
.EXAMPLE
    env DOTNET_TieredPGO=0 DOTNET_GCgen0size=0x2000000 pwsh -NoProfile -File Invoke-CftSslNightlyReport.ps1 -LogPath '/opt/cft/runtime/log/cftlog*' -OutputFolder /var/reports/cft
    The same with the runtime settings that a fresh shell reads faster with (about_CftSslTrace, SCHEDULED SCRIPTS): logs
    that hold many sessions open read up to twice as fast, for a few megabytes more.
.EXAMPLE
    ./Invoke-CftSslNightlyReport.ps1 -LogPath 'D:\cft\runtime\log\cftlog*' -Since (Get-Date).AddDays(-7) -ExpiryDays 60 -OutputFolder .\weekly
    A weekly variant.
.EXAMPLE
    ./Invoke-CftSslNightlyReport.ps1 -LogPath '/archive/cft/2026-11/cftlog*' -Since 2026-11-30T18:00 -AsOf 2026-12-01 -OutputFolder ./2026-12-01
    The report of an old night as it was on the next morning (certificates counted from -AsOf, not from today).
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string[]] $LogPath,
    [Parameter(Mandatory)] [string] $OutputFolder,
    [datetime] $Since = (Get-Date).Date.AddDays(-1).AddHours(18),
    [ValidateRange(1, 3650)] [int] $ExpiryDays = 30,
    # the day the certificates' days left are counted from (default: now; a report made again on old logs says the same)
    [datetime] $AsOf = (Get-Date)
)

$ErrorActionPreference = 'Stop'
try {
    Import-Module CftSslTrace -ErrorAction Stop
}
catch {
    # run from the module's own Examples folder without installing it
    Import-Module (Join-Path (Split-Path -Parent (Split-Path -Parent $PSScriptRoot)) 'CftSslTrace.psd1')
}
$null = New-Item -ItemType Directory -Path $OutputFolder -Force

# one read of the logs, its sessions handed as they come to the report, to the certificates and to the failures by
# partner (steppable pipelines): memory holds what those keep (partners, certificates, a few facts per failing partner),
# not the night's sessions; the certificates are those of every session in the logs, the rest the sessions since -Since
$reportFile = Join-Path $OutputFolder 'ssl-report.html'
$title = "Transfer CFT SSL/TLS report since $($Since.ToString('yyyy-MM-dd HH:mm'))"
$report = { Export-CftSslReport -Path $reportFile -Title $title -ExpiringWithin $ExpiryDays -AsOf $AsOf -Detail Failed }.GetSteppablePipeline()
$inventory = { Get-CftSslCertificate -ExpiringWithin $ExpiryDays -AsOf $AsOf }.GetSteppablePipeline()
$partners = [ordered]@{}
$count = 0
$failedCount = 0
try {
    $report.Begin($true)
    $inventory.Begin($true)
    Get-CftSslSession -Path $LogPath -WarningAction SilentlyContinue | ForEach-Object {
        $null = $inventory.Process($_)
        if (-not ($_.StartTime -ge $Since)) { return }
        $count++
        $null = $report.Process($_)
        if ($_.Result -ne 'Failed') { return }
        $failedCount++
        $key = [string] $_.PartnerOrProtocol
        $p = $partners[$key]
        if (-not $p) {
            $p = [pscustomobject]@{
                Partner = $key; Failures = 0; Last = $null; LastCtx = $null; Explanation = $null
                Problems = [System.Collections.Generic.SortedSet[string]]::new([System.StringComparer]::CurrentCultureIgnoreCase)
                Transfers = [System.Collections.Generic.List[string]]::new()
            }
            $partners[$key] = $p
        }
        $p.Failures++
        if ($null -ne $_.Problem) { $null = $p.Problems.Add($_.Problem) }
        foreach ($t in $_.Transfers) { $p.Transfers.Add($t.Idtu) }
        if ($null -eq $p.Last -or $_.StartTime -ge $p.Last) { $p.Last = $_.StartTime; $p.LastCtx = $_.Ctx; $p.Explanation = $_.Explanation }
    }
    $null = $report.End()
    $certificates = @($inventory.End())
}
catch {
    Write-Error "The CFT logs could not be read: $_" -ErrorAction Continue
    exit 4
}

$byPartner = @($partners.Values | Sort-Object Failures -Descending | ForEach-Object {
    [pscustomobject]@{
        Partner     = $_.Partner
        Failures    = $_.Failures
        Problems    = (@($_.Problems) -join '; ')
        Transfers   = ($_.Transfers -join ' ')
        LastFailure = $_.Last
        LastCtx     = $_.LastCtx
        Explanation = $_.Explanation
    }
})
$expiring = @($certificates | ForEach-Object {
    [pscustomobject]@{
        DaysLeft = $_.DaysLeft; NotAfter = $_.NotAfter; Owner = $_.Owner; UsedAs = $_.UsedAs
        Subject = $_.Subject; Issuer = $_.Issuer; Partners = ($_.Partners -join ' '); Thumbprint = $_.Thumbprint
    }
})

$byPartner | Export-Csv -Path (Join-Path $OutputFolder 'ssl-failures.csv') -NoTypeInformation -Encoding utf8
$expiring | Export-Csv -Path (Join-Path $OutputFolder 'ssl-certificates.csv') -NoTypeInformation -Encoding utf8

Write-Output ("{0} sessions since {1:yyyy-MM-dd HH:mm}: {2} failed ({3} partners); {4} certificates expire within {5} days" -f $count, $Since, $failedCount, $byPartner.Count, $expiring.Count, $ExpiryDays)
$code = 0
if ($expiring.Count -gt 0) { $code += 1 }
if ($failedCount -gt 0) { $code += 2 }
exit $code
