<#
.SYNOPSIS
    Nightly report for a fleet of Transfer CFT servers: per server and partner, who fails since when, what changed and the
    likely cause, in one CSV, with an exit code for the monitoring system.
.DESCRIPTION
    Reads the CFT logs of each server where they are, over PowerShell remoting (SSH with -HostName, or WinRM with
    -ComputerName; CftSslTrace installed on every server), in parallel (-ThrottleLimit). Each server works out its
    partners and the likely cause of each one's last failure from one read of its logs, beside them, and sends back
    only those: what travels and what this script holds is a few objects per partner, whatever the number of sessions
    (bringing a night's sessions of a fleet here held them all). Writes -OutputFile, one line per server and partner:
      Computer, Partner, Role, Status, Sessions, Established, Failed, FirstSeen, LastSeen, LastEstablished, FailingSince,
      LastProblem, LastChange, Changes (what changed between its sessions), LikelyCause (the aspect that explains its last
      failure) and Explanation (what to change in the CFT configuration).
    Exit code: 0 every partner fine, 2 some partner is failing, 4 a server could not be read (the others are reported).
.EXAMPLE
    pwsh -NoProfile -File Invoke-CftSslFleetReport.ps1 -HostName cft1, cft2, cft3 -UserName cftadm -KeyFilePath ~/.ssh/cft -OutputFile /var/reports/cft-fleet.csv
    From cron: last night's sessions of three CFT servers over SSH, since 18:00 yesterday.
.EXAMPLE
    ./Invoke-CftSslFleetReport.ps1 -ComputerName CFTPRD01, CFTPRD02 -LogPath 'D:\cft\runtime\log\*' -Since (Get-Date).AddDays(-7) -OutputFile .\fleet.csv
    A week of two Windows servers over WinRM.
#>
[CmdletBinding(DefaultParameterSetName = 'Ssh')]
param(
    [Parameter(Mandatory, ParameterSetName = 'Ssh')] [string[]] $HostName,
    [Parameter(ParameterSetName = 'Ssh')] [string] $UserName,
    [Parameter(ParameterSetName = 'Ssh')] [string] $KeyFilePath,
    [Parameter(ParameterSetName = 'Ssh')] [int] $Port = 22,
    [Parameter(ParameterSetName = 'Ssh')] [hashtable] $SshOptions,
    [Parameter(Mandatory, ParameterSetName = 'WinRM')] [string[]] $ComputerName,
    # the logs on each server: the current log, the switched ones and their archives are read as one history
    [string] $LogPath = '/opt/cft/runtime/log/*',
    [Parameter(Mandatory)] [string] $OutputFile,
    [datetime] $Since = (Get-Date).Date.AddDays(-1).AddHours(18),
    [int] $ThrottleLimit = 8
)

$ErrorActionPreference = 'Stop'
try { Import-Module CftSslTrace -ErrorAction Stop }
catch { Import-Module (Join-Path (Split-Path -Parent (Split-Path -Parent $PSScriptRoot)) 'CftSslTrace.psd1') }

$connect = @{}
if ($PSCmdlet.ParameterSetName -eq 'Ssh') {
    $connect.HostName = $HostName
    $connect.Port = $Port
    if ($UserName) { $connect.UserName = $UserName }
    if ($KeyFilePath) { $connect.KeyFilePath = $KeyFilePath }
    if ($SshOptions) { $connect.Options = $SshOptions }
}
else { $connect.ComputerName = $ComputerName }
$sessions = @(New-PSSession @connect -ErrorAction Continue -ErrorVariable connectErrors)
$unreadable = @($connectErrors).Count

# each server reads its logs once, beside them, into its partners and the causes of their failures (the sessions go to
# both as they are read, through steppable pipelines); only those travel, and the count of sessions read
$read = @(Invoke-Command -Session $sessions -ThrottleLimit $ThrottleLimit -ErrorAction Continue -ErrorVariable readErrors -ScriptBlock {
    param($logs, $since)
    Import-Module CftSslTrace
    $partners = { Get-CftSslPartner }.GetSteppablePipeline()
    $compare = { Compare-CftSslSession | Where-Object LikelyCause }.GetSteppablePipeline()
    $partners.Begin($true)
    $compare.Begin($true)
    $count = 0
    # the cause of each partner's last failure (the differences come as the failures are compared, in time)
    $last = @{}
    Get-CftSslSession -Path $logs -After $since -WarningAction SilentlyContinue | ForEach-Object {
        $count++
        $partners.Process($_)
        foreach ($d in $compare.Process($_)) { $last["$($d.Partner)|$($d.Role)"] = $d }
    }
    $partners.End()
    foreach ($d in $compare.End()) { $last["$($d.Partner)|$($d.Role)"] = $d }
    $last.Values
    [pscustomobject]@{ PSTypeName = 'CftSslFleetCount'; Sessions = $count }
} -ArgumentList $LogPath, $Since)
$unreadable += @($readErrors | Where-Object { $_.FullyQualifiedErrorId -notlike 'MalformedTraceLine*' }).Count
$sessions | Remove-PSSession
Write-Verbose ("{0} object(s) came back: partners, causes and the count of each server" -f $read.Count)

function Test-Type($o, [string] $name) { $o.PSObject.TypeNames -contains "Deserialized.$name" -or $o.PSObject.TypeNames -contains $name }
$causes = @{}
foreach ($d in ($read | Where-Object { Test-Type $_ 'CftSslTrace.Analysis.SessionDifference' })) { $causes["$($d.PSComputerName)|$($d.Partner)|$($d.Role)"] = $d }
$counts = @($read | Where-Object { Test-Type $_ 'CftSslFleetCount' })
$rows = @($read | Where-Object { Test-Type $_ 'CftSslTrace.Analysis.CftSslPartner' } | ForEach-Object {
    $cause = $causes["$($_.PSComputerName)|$($_.Partner)|$($_.Role)"]
    [pscustomobject]@{
        Computer = $_.PSComputerName; Partner = $_.Partner; Role = $_.Role; Status = $_.Status
        Sessions = $_.Sessions; Established = $_.Established; Failed = $_.Failed
        FirstSeen = $_.FirstSeen; LastSeen = $_.LastSeen; LastEstablished = $_.LastEstablished; FailingSince = $_.FailingSince
        LastProblem = $_.LastProblem; LastChange = $_.LastChange
        Changes = (@($_.Changes | ForEach-Object { $_.ToString() }) -join ' | ')
        LikelyCause = $(if ($_.Status -eq 'Failing' -and $cause) { $cause.Aspect })
        Explanation = $(if ($_.Status -eq 'Failing' -and $cause) { $cause.Explanation })
    }
})
$folder = Split-Path -Parent $OutputFile
if ($folder) { $null = New-Item -ItemType Directory -Path $folder -Force }
$rows | Export-Csv -Path $OutputFile -NoTypeInformation -Encoding utf8

$failing = @($rows | Where-Object Status -eq 'Failing')
Write-Output ("{0} sessions from {1} server(s) since {2:yyyy-MM-dd HH:mm}: {3} partner(s), {4} failing; {5} server(s) not read" -f ($counts | Measure-Object Sessions -Sum).Sum, @($counts.PSComputerName | Sort-Object -Unique).Count, $Since, $rows.Count, $failing.Count, $unreadable)
if ($unreadable -gt 0) { exit 4 }
if ($failing.Count -gt 0) { exit 2 }
exit 0
