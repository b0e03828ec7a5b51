<#
.SYNOPSIS
    Builds, tests and cleans CftSslTrace.
.DESCRIPTION
    Build : dotnet build of the solution; the module's assemblies land in module/bin, so that
            Import-Module ./CftSslTrace.psd1 works from the checkout.
    Test  : Build, then the xunit suites (decoder, and cmdlets in the hosted PowerShell engine), then the
            Pester 5 tests in tests/*.Tests.ps1 when Pester 5 is installed.
    Package : Release build, then checks the publishable folder out/CftSslTrace/<version>/ (manifest, assemblies,
            views, help, about topic, licence, release notes) with Test-ModuleManifest. Publish it with
            Publish-Module -Path out/CftSslTrace/<version> -Repository <name>.
    Examples : Build, then remakes the example report of module/Examples from the history fixtures
            (cft-ssl-report.html, Export-CftSslReport; ladder.txt and ladder.svg, Show-CftSslSession of a failed
            session) and, with Chromium installed, their pictures (cft-ssl-report.png: the report's first screen;
            ladder.png: the ladder).
    Clean : removes build output.
.EXAMPLE
    ./build.ps1 -Task Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Package', 'Examples', 'Clean')]
    [string] $Task = 'Build',
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
Set-Location $PSScriptRoot

function Invoke-Dotnet {
    & dotnet @args
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($args -join ' ') failed with exit code $LASTEXITCODE" }
}

switch ($Task) {
    'Build' {
        Invoke-Dotnet build CftSslTrace.slnx -c $Configuration
    }
    'Test' {
        Invoke-Dotnet build CftSslTrace.slnx -c $Configuration
        Invoke-Dotnet test CftSslTrace.slnx -c $Configuration --no-build
        $pester = Get-Module -ListAvailable Pester | Where-Object { $_.Version.Major -ge 5 } | Sort-Object Version -Descending | Select-Object -First 1
        if ($pester) {
            Import-Module $pester
            $result = Invoke-Pester -Path (Join-Path $PSScriptRoot 'tests') -Output Detailed -PassThru
            if ($result.FailedCount -gt 0) { throw "$($result.FailedCount) Pester test(s) failed" }
        }
        else {
            Write-Warning 'Pester 5 is not installed: Pester tests skipped (Install-Module Pester -MinimumVersion 5.0).'
        }
    }
    'Package' {
        Invoke-Dotnet build CftSslTrace.slnx -c Release
        $version = (Import-PowerShellDataFile (Join-Path $PSScriptRoot 'CftSslTrace.psd1')).ModuleVersion
        $package = Join-Path $PSScriptRoot "out/CftSslTrace/$version"
        Test-ModuleManifest -Path (Join-Path $package 'CftSslTrace.psd1') | Format-List Name, Version, ModuleBase, ExportedCmdlets
        Write-Host "Module folder: $package"
    }
    'Examples' {
        Invoke-Dotnet build CftSslTrace.slnx -c $Configuration
        Import-Module (Join-Path $PSScriptRoot 'CftSslTrace.psd1') -Force
        $examples = Join-Path $PSScriptRoot 'module/Examples'
        $history = Join-Path $PSScriptRoot 'tests/fixtures/history/server1'
        $report = Join-Path $examples 'cft-ssl-report.html'
        $sessions = @(Get-CftSslSession -Path (Join-Path $history '*') -WarningAction SilentlyContinue)
        $sessions | Export-CftSslReport -Path $report -Title 'CFT server1: SSL/TLS sessions of 24-26 November 2026'
        $failed = $sessions | Where-Object { $_.Partner -eq 'BANK-A' -and $_.Result -eq 'Failed' } | Select-Object -First 1
        $failed | Show-CftSslSession | ForEach-Object Text | Set-Content -Path (Join-Path $examples 'ladder.txt') -Encoding utf8
        $svg = Join-Path $examples 'ladder.svg'
        $failed | Show-CftSslSession -As Svg | ForEach-Object Text | Set-Content -Path $svg -Encoding utf8
        $chromium = 'chromium', 'chromium-browser', 'google-chrome', 'msedge' | ForEach-Object { Get-Command $_ -ErrorAction SilentlyContinue } | Select-Object -First 1
        if (-not $chromium) { Write-Warning 'No Chromium: the screenshots are not remade.'; return }
        $uri = [Uri]::new($report, [UriKind]::Absolute).AbsoluteUri
        $profile = Join-Path ([IO.Path]::GetTempPath()) ('cftssltrace-chromium-' + [guid]::NewGuid())
        $svgHeight = [int][double]([regex]::Match((Get-Content $svg -Raw), 'height="([0-9.]+)"').Groups[1].Value)
        foreach ($shot in @(@{ File = 'cft-ssl-report.png'; Uri = $uri; Size = '1100,1400' }, @{ File = 'ladder.png'; Uri = [Uri]::new($svg, [UriKind]::Absolute).AbsoluteUri; Size = "820,$svgHeight" })) {
            & $chromium.Source --headless=new --no-sandbox --disable-gpu --hide-scrollbars "--user-data-dir=$profile" "--window-size=$($shot.Size)" "--screenshot=$(Join-Path $examples $shot.File)" $shot.Uri 2>&1 | Where-Object { $_ -match "written to file" }
        }
        Remove-Item -Recurse -Force $profile -ErrorAction SilentlyContinue
        Get-ChildItem $examples -Exclude *.ps1 | Format-Table Name, Length
    }
    'Clean' {
        Invoke-Dotnet clean CftSslTrace.slnx -c $Configuration
        Remove-Item -Recurse -Force (Join-Path $PSScriptRoot 'module/bin'), (Join-Path $PSScriptRoot 'out') -ErrorAction SilentlyContinue
    }
}
