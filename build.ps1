#!/usr/bin/env pwsh
# Pipeline's bootstrapper for PowerShell: find dotnet, compile the build project only when build/** changed, run it.
$ErrorActionPreference = 'Stop'
$Root = $PSScriptRoot
$Project = Join-Path $Root 'build/_build.csproj'
$Assembly = Join-Path $Root 'build/bin/Release/net10.0/_build.dll'
$Stamp = Join-Path $Root '.nuke/temp/build.stamp'

if (-not (Get-Command dotnet -ErrorAction SilentlyContinue)) {
    Write-Error ("The .NET SDK 10 is not installed. Install it, then run ./build.ps1 again:`n" +
        "  Windows: winget install Microsoft.DotNet.SDK.10`n" +
        "  any OS:  https://dot.net/v1/dotnet-install.ps1 -Channel 10.0")
    exit 2
}

$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'; $env:DOTNET_NOLOGO = '1'; $env:DOTNET_SKIP_FIRST_TIME_EXPERIENCE = '1'
$env:PIPELINE_ROOT = $Root

$files = @(Get-ChildItem -Path (Join-Path $Root 'build') -Recurse -File |
    Where-Object { $_.FullName -notmatch '[\\/](bin|obj)[\\/]' } | Sort-Object FullName) + @(Get-Item (Join-Path $Root 'Directory.Build.props'))
$lines = $files | ForEach-Object { "$((Get-FileHash $_.FullName -Algorithm SHA256).Hash.ToLowerInvariant())  $($_.FullName)" }
$sha = [System.Security.Cryptography.SHA256]::Create()
$hash = -join ($sha.ComputeHash([Text.Encoding]::UTF8.GetBytes(($lines -join "`n"))) | ForEach-Object { $_.ToString('x2') })

if (-not (Test-Path $Assembly) -or -not (Test-Path $Stamp) -or ((Get-Content $Stamp -Raw).Trim() -ne $hash)) {
    Write-Host 'Compiling the build project (build/** changed)...'
    dotnet build $Project -c Release --nologo -v quiet -clp:NoSummary
    if ($LASTEXITCODE -ne 0) { Write-Error 'The build project does not compile (see above).'; exit 2 }
    New-Item -ItemType Directory -Force -Path (Split-Path $Stamp) | Out-Null
    Set-Content -Path $Stamp -Value $hash
}

& dotnet $Assembly @args
exit $LASTEXITCODE
