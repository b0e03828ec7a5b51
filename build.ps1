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
    Clean : removes build output.
.EXAMPLE
    ./build.ps1 -Task Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Package', 'Clean')]
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
    'Clean' {
        Invoke-Dotnet clean CftSslTrace.slnx -c $Configuration
        Remove-Item -Recurse -Force (Join-Path $PSScriptRoot 'module/bin'), (Join-Path $PSScriptRoot 'out') -ErrorAction SilentlyContinue
    }
}
