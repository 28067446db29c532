#!/usr/bin/env pwsh
# Pipeline's bootstrapper for PowerShell: find dotnet, compile the build project only when build/** changed, run it.
$ErrorActionPreference = 'Stop'
$Root = $PSScriptRoot
$Project = Join-Path $Root 'build/_build.csproj'
# The build, published ReadyToRun for this machine's runtime (build.sh compiles it native where it can; see there).
$Output = Join-Path $Root 'build/bin/Release/net10.0/publish'
$Assembly = Join-Path $Output '_build.dll'
$Stamp = Join-Path $Root '.nuke/temp/build.stamp'

if (-not (Get-Command dotnet -ErrorAction SilentlyContinue)) {
    Write-Error ("The .NET SDK 10 is not installed. Install it, then run ./build.ps1 again:`n" +
        "  Windows: winget install Microsoft.DotNet.SDK.10`n" +
        "  any OS:  https://dot.net/v1/dotnet-install.ps1 -Channel 10.0")
    exit 2
}

$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'; $env:DOTNET_NOLOGO = '1'; $env:DOTNET_SKIP_FIRST_TIME_EXPERIENCE = '1'
$env:PIPELINE_ROOT = $Root

# The hash build.sh computes (see there), byte for byte; the stamp is "<hash> r2r", so either bootstrapper finds the other's
# ReadyToRun compile fresh (build.sh's native one is not this script's to run). In a git
# checkout the index's blob hashes, with each changed file's worktree blob in its place; elsewhere a hash of each file.
$Specs = @('build', 'Directory.Build.props')
function Get-WorktreeListing([string[]] $Index) {
    $split = { param($out) (@($out) -join "`n").Split([char]0, [StringSplitOptions]::RemoveEmptyEntries) }
    $changed = @(& $split (git -C $Root --no-optional-locks diff --name-only -z -- @Specs))
    $untracked = @(& $split (git -C $Root ls-files -z -o --exclude-standard -- @Specs))
    $present = @(@($changed) + @($untracked) | Where-Object { Test-Path -LiteralPath (Join-Path $Root $_) -PathType Leaf })
    $blob = [Collections.Generic.Dictionary[string, string]]::new([StringComparer]::Ordinal)
    $seen = [Collections.Generic.HashSet[string]]::new([StringComparer]::Ordinal)
    if ($present.Count -gt 0) {
        $hashes = @($present | git -C $Root hash-object --stdin-paths)
        for ($i = 0; $i -lt $present.Count; $i++) { $blob[$present[$i]] = $hashes[$i] }
    }
    foreach ($path in $changed) { if (-not $blob.ContainsKey($path)) { $blob[$path] = 'deleted' } }
    $j = 0
    foreach ($line in $Index) {
        if (-not $line.StartsWith('H ')) { continue }
        $path = $line.Substring($line.IndexOf("`t") + 1)
        while ($j -lt $untracked.Count -and [string]::CompareOrdinal($untracked[$j], $path) -lt 0) {
            "H 100644 $($blob[$untracked[$j]]) 0`t$($untracked[$j])"; [void]$seen.Add($untracked[$j]); $j++
        }
        if (-not $blob.ContainsKey($path)) { $line; continue }
        [void]$seen.Add($path)
        if ($blob[$path] -ne 'deleted') { "H $($line.Substring(2, 6)) $($blob[$path]) 0`t$path" }
    }
    $rest = [string[]]@($blob.Keys | Where-Object { -not $seen.Contains($_) })
    [Array]::Sort($rest, [StringComparer]::Ordinal)
    foreach ($path in $rest) { "H 100644 $($blob[$path]) 0`t$path" }
}
$listing = $null
if ((Test-Path (Join-Path $Root '.git')) -and (Get-Command git -ErrorAction SilentlyContinue)) {
    $index = @(git -C $Root ls-files -t -s -m -o --exclude-standard -- @Specs 2>$null)
    if ($LASTEXITCODE -eq 0) {
        $listing = if (@($index | Where-Object { -not $_.StartsWith('H ') }).Count -gt 0) { @(Get-WorktreeListing $index) } else { $index }
    }
}
if ($null -eq $listing) {
    $files = @(Get-ChildItem -Path (Join-Path $Root 'build') -Recurse -File |
        Where-Object { $_.FullName -notmatch '[\\/](bin|obj)[\\/]' }) + @(Get-Item (Join-Path $Root 'Directory.Build.props'))
    $listing = @($files | ForEach-Object { [IO.Path]::GetRelativePath($Root, $_.FullName).Replace('\', '/') } | Sort-Object -CaseSensitive |
        ForEach-Object { "$((Get-FileHash (Join-Path $Root $_) -Algorithm SHA256).Hash.ToLowerInvariant())  $_" })
}
$sha = [System.Security.Cryptography.SHA256]::Create()
$hash = -join ($sha.ComputeHash([Text.Encoding]::UTF8.GetBytes(($listing -join "`n") + "`n")) | ForEach-Object { $_.ToString('x2') })

if (-not (Test-Path $Assembly) -or -not (Test-Path $Stamp) -or ((Get-Content $Stamp -Raw).Trim() -ne "$hash r2r")) {
    Write-Host 'Compiling the build project (build/** changed)...'
    dotnet publish $Project -c Release -p:PipelineBootstrap=true -p:PipelineNative=false -o $Output --nologo -v quiet -clp:NoSummary
    if ($LASTEXITCODE -ne 0) { Write-Error 'The build project does not compile (see above).'; exit 2 }
    New-Item -ItemType Directory -Force -Path (Split-Path $Stamp) | Out-Null
    Set-Content -Path $Stamp -Value "$hash r2r"
}

& dotnet $Assembly @args
exit $LASTEXITCODE
