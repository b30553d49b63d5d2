// PowerShell helpers shared by every mutating Windows script (the twin of posix/sh-common.ts).
// Windows PowerShell 5.1 (.NET Framework 4.x): no `&&`, `??`, ternaries or PowerShell 7 parameters.
// File system work goes through [IO.File] / [IO.Directory] rather than the *-Item cmdlets: no wildcard
// interpretation of [ ] in names, no provider surprises, and a junction is never followed by accident.
// Every mutable script-wide variable is written and read as $script:NAME (a function's plain assignment
// would create a local). Helpers that answer a value `return` it and print nothing: protocol lines go to
// [Console]::Out directly (ps-protocol.ts), so a return value is never polluted.
// Written as String.raw templates: backslashes are literal, and the scripts use no backtick escapes.
// The helpers that only read (paths, VERSION files, the lock holder, the state file) come first, from ps-read.ts:
// the facts script uses the same definitions.

import { PS_READ } from './ps-read.ts';

export const PS_COMMON = PS_READ + '\n' + String.raw`# --- common helpers ----------------------------------------------------------
# gf_now: UTC time, as the POSIX scripts write it (2026-12-02T16:40:00Z).
function gf_now {
  return [DateTime]::UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", [Globalization.CultureInfo]::InvariantCulture)
}

# gf_exists PATH: a file, a directory or a link (even a dangling one) is at PATH.
function gf_exists([string]$Path) {
  try { $null = [IO.File]::GetAttributes($Path); return $true } catch { return $false }
}

# gf_link_target PATH: where the junction PATH points (Get-Item's Target: a string array in 5.1), or ''.
function gf_link_target([string]$Path) {
  try {
    $item = Get-Item -LiteralPath $Path -Force -ErrorAction Stop
    $t = @($item.Target) | Select-Object -First 1
    if ($null -eq $t) { return '' }
    return (gf_norm_path ([string]$t))
  } catch {
    return ''
  }
}

# gf_write_atomic FILE TEXT: write TEXT (UTF-8, no BOM) to FILE.tmp-<pid>, then replace FILE with it.
# [IO.File]::Replace swaps an existing file in one call; Move when there is none yet.
function gf_write_atomic([string]$File, [string]$Text) {
  $tmp = $File + '.tmp-' + $PID
  try {
    [IO.File]::WriteAllText($tmp, $Text, (New-Object System.Text.UTF8Encoding $false))
    if ([IO.File]::Exists($File)) {
      [IO.File]::Replace($tmp, $File, [NullString]::Value)
    } else {
      [IO.File]::Move($tmp, $File)
    }
    return $true
  } catch {
    try { [IO.File]::Delete($tmp) } catch { }
    return $false
  }
}

# gf_complete DIR VERSION: DIR holds a complete toolchain of VERSION (bin\go.exe and VERSION).
function gf_complete([string]$Dir, [string]$Version) {
  if (-not [IO.File]::Exists($Dir + '\bin\go.exe')) { return $false }
  return ((gf_read_first ($Dir + '\VERSION')) -ceq $Version)
}

# gf_rm_tree PATH: remove PATH. A junction is removed as a link (RemoveDirectory: its target is not
# touched); a real tree recursively ([IO.Directory]::Delete does not descend into reparse points inside),
# clearing read-only attributes when a first try fails. Never Remove-Item -Recurse: in Windows PowerShell 5.1
# it follows a junction into its target.
function gf_rm_tree([string]$Path) {
  if (-not (gf_exists $Path)) { return $true }
  if (gf_is_link $Path) { return (gf_drop_link $Path) }
  try {
    if ([IO.File]::Exists($Path)) { [IO.File]::Delete($Path) } else { [IO.Directory]::Delete($Path, $true) }
    return $true
  } catch {
    try {
      foreach ($f in [IO.Directory]::GetFiles($Path, '*', [IO.SearchOption]::AllDirectories)) {
        [IO.File]::SetAttributes($f, [IO.FileAttributes]::Normal)
      }
      [IO.Directory]::Delete($Path, $true)
      return $true
    } catch {
      return $false
    }
  }
}

# gf_drop_link PATH: remove the junction PATH itself, non-recursively, never its target. Refuses (false)
# when PATH exists and is not a link.
function gf_drop_link([string]$Path) {
  if (-not (gf_exists $Path)) { return $true }
  if (-not (gf_is_link $Path)) { return $false }
  try {
    [IO.Directory]::Delete($Path, $false)
    return $true
  } catch {
    return $false
  }
}

# gf_free_bytes PATH: free bytes on the drive holding PATH, or -1 when unknown.
function gf_free_bytes([string]$Path) {
  try {
    $drive = New-Object System.IO.DriveInfo ([IO.Path]::GetPathRoot($Path))
    return [long]$drive.AvailableFreeSpace
  } catch {
    return [long]-1
  }
}

# gf_version_field TEXT: the version in 'go version go1.27.3 windows/amd64', or ''.
function gf_version_field([string]$Text) {
  $w = ($Text.Trim() -split '\s+')
  if ($w.Length -ge 3 -and $w[0] -ceq 'go' -and $w[1] -ceq 'version') { return $w[2] }
  return ''
}

# gf_users_of DIR: running processes whose executable lies under DIR ('go.exe (pid 412), ...'), or ''.
# Best effort: another user's process path is readable only when elevated.
function gf_users_of([string]$Dir) {
  $prefix = (gf_norm_path $Dir) + '\'
  $found = New-Object System.Collections.Generic.List[string]
  foreach ($p in @(Get-Process -ErrorAction SilentlyContinue)) {
    $exe = ''
    try { $exe = [string]$p.Path } catch { $exe = '' }
    if ($exe -ne '' -and $exe.StartsWith($prefix, [StringComparison]::OrdinalIgnoreCase)) {
      $found.Add($p.ProcessName + '.exe (pid ' + $p.Id + ')')
    }
  }
  return ($found -join ', ')
}
`;
