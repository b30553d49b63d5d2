# Helpers for .github/workflows/windows-e2e.yml, dot-sourced by its steps:  . .\scripts\windows-e2e.ps1
# Windows PowerShell 5.1 compatible (test/windows-workflow.test.ts parses it with the 5.1 checker). They throw on
# a wrong exit code or version, which fails the step.
$ErrorActionPreference = 'Stop'

# Invoke-Gofleet EXPECT ARGS: run the checkout's gofleet; fail unless it exits EXPECT; answers its stdout (one string).
function Invoke-Gofleet([int]$Expect, [string[]]$Arguments) {
  Write-Host ('> gofleet ' + ($Arguments -join ' '))
  $out = @(& node (Join-Path $env:GITHUB_WORKSPACE 'bin\gofleet.js') @Arguments)
  $code = $LASTEXITCODE
  foreach ($line in $out) { Write-Host $line }
  $global:LASTEXITCODE = 0
  if ($code -ne $Expect) { throw ('gofleet ' + $Arguments[0] + ' exited ' + $code + ', expected ' + $Expect) }
  return ($out -join [Environment]::NewLine)
}

# Invoke-Standalone EXPECT SCRIPT ARGS: run a generated .ps1 with Windows PowerShell 5.1, as GPO/SCCM would.
function Invoke-Standalone([int]$Expect, [string]$Script, [string[]]$Arguments = @()) {
  Write-Host ('> powershell -File ' + $Script + ' ' + ($Arguments -join ' '))
  $out = @(& powershell.exe -NoProfile -NonInteractive -ExecutionPolicy Bypass -File $Script @Arguments)
  $code = $LASTEXITCODE
  foreach ($line in $out) { Write-Host $line }
  $global:LASTEXITCODE = 0
  if ($code -ne $Expect) { throw ($Script + ' exited ' + $code + ', expected ' + $Expect) }
  return $out
}

# Assert-GoVersion GOROOT PREFIX: GOROOT\bin\go.exe answers PREFIX... (e.g. go1.27.).
function Assert-GoVersion([string]$Goroot, [string]$Prefix) {
  $go = Join-Path $Goroot 'bin\go.exe'
  $v = [string](& $go version)
  $code = $LASTEXITCODE
  $global:LASTEXITCODE = 0
  if ($code -ne 0 -or -not $v.StartsWith('go version ' + $Prefix)) { throw ($go + ' version: "' + $v + '" (exit ' + $code + '), expected go version ' + $Prefix + '...') }
  Write-Host ('ok: ' + $go + ': ' + $v)
}

# Assert-Status JSON STATUS: the one host of a change command's --json document ended with STATUS.
function Assert-Status([string]$Json, [string]$Status) {
  $doc = $Json | ConvertFrom-Json
  $got = @($doc.hosts)[0].status
  if ($got -ne $Status) { throw ('host status ' + $got + ', expected ' + $Status) }
  Write-Host ('ok: status ' + $got)
}
