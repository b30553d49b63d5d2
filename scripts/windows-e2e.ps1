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

# Reset-WinrmAccount NAME: the local administrator NAME (created on first use) gets a fresh random secret, masked in the
# log and kept in this step's process environment only (GOFLEET_WINRM_USER / GOFLEET_WINRM_PASSWORD, which the live
# test and ${env:...} inventory references read): never in the workflow file, in a file or on a command line. Each
# step that needs it calls this again, so the secret never has to outlive its step.
function Reset-WinrmAccount([string]$Name) {
  $bytes = New-Object byte[] 24
  $rng = [Security.Cryptography.RandomNumberGenerator]::Create()
  $rng.GetBytes($bytes)
  $rng.Dispose()
  # upper and lower case, digits and symbols: the default complexity policy is met whatever the random part holds
  $secret = 'Gf7-' + [Convert]::ToBase64String($bytes)
  Write-Host ('::add-mask::' + $secret)
  $secure = ConvertTo-SecureString -String $secret -AsPlainText -Force
  if ($null -eq (Get-LocalUser -Name $Name -ErrorAction SilentlyContinue)) {
    [void](New-LocalUser -Name $Name -Password $secure -PasswordNeverExpires -AccountNeverExpires -Description 'gofleet WinRM e2e')
    Add-LocalGroupMember -Group 'Administrators' -Member $Name
  } else {
    Set-LocalUser -Name $Name -Password $secure
  }
  $env:GOFLEET_WINRM_USER = $Name
  $env:GOFLEET_WINRM_PASSWORD = $secret
}

# Write-CertificatePem CERT PATH: the certificate as PEM (base64 in 64-character lines), for a caFile.
function Write-CertificatePem($Certificate, [string]$Path) {
  $b64 = [Convert]::ToBase64String($Certificate.RawData)
  $lines = @('-----BEGIN CERTIFICATE-----')
  for ($i = 0; $i -lt $b64.Length; $i += 64) { $lines += $b64.Substring($i, [Math]::Min(64, $b64.Length - $i)) }
  $lines += '-----END CERTIFICATE-----'
  Set-Content -LiteralPath $Path -Value $lines -Encoding ascii
}

# Write-WinrmInventory PATH GOROOT VDIR: one host, localhost over WinRM (http 5985, NTLM with message encryption), as
# the account Reset-WinrmAccount set up; its secret stays a ${env:GOFLEET_WINRM_PASSWORD} reference.
function Write-WinrmInventory([string]$Path, [string]$Goroot, [string]$VersionsDir) {
  $q = { param($v) "'" + ([string]$v).Replace("'", "''") + "'" }
  $lines = @(
    'hosts:',
    '  localhost:',
    '    address: localhost',
    '    transport: winrm',
    '    os: windows',
    ('    user: ' + (& $q $env:GOFLEET_WINRM_USER)),
    '    password: ${env:GOFLEET_WINRM_PASSWORD}',
    ('    goroot: ' + (& $q $Goroot)),
    ('    versions_dir: ' + (& $q $VersionsDir)),
    '    winrm: { scheme: http, auth: ntlm }'
  )
  Set-Content -LiteralPath $Path -Value $lines -Encoding utf8
  Get-Content -LiteralPath $Path
}

# Invoke-WinrmLiveTest: test/live/winrm-live.test.ts against the GOFLEET_WINRM_* variables of this step; fails when a
# test fails or is skipped (here a skip would mean the variables did not reach it).
function Invoke-WinrmLiveTest() {
  Write-Host ('> live WinRM test: ' + $env:GOFLEET_WINRM_SCHEME + '://' + $env:GOFLEET_WINRM_HOST + ' as ' + $env:GOFLEET_WINRM_USER)
  $nodeArgs = @('--import', 'tsx', '--test', '--test-reporter=tap', 'test/live/winrm-live.test.ts')
  $out = @(& node @nodeArgs)
  $code = $LASTEXITCODE
  foreach ($line in $out) { Write-Host $line }
  $global:LASTEXITCODE = 0
  if ($code -ne 0) { throw ('the live WinRM test exited ' + $code) }
  $skipped = @($out | Where-Object { ([string]$_) -match '# SKIP' })
  if ($skipped.Count -gt 0) { throw ('the live WinRM test skipped: ' + ($skipped -join ' | ')) }
}
