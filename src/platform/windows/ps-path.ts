// The machine PATH, Windows side. gf_path_edit is the PowerShell twin of editMachinePath in machine-path.ts
// (same steps, same names; the TS model is what the unit tests run).
//
// Why the registry API and not [Environment]::SetEnvironmentVariable('Path', ..., 'Machine'): that call reads
// the EXPANDED value and writes REG_SZ, which silently turns %SystemRoot%\system32 into C:\Windows\system32 for
// good and breaks every entry that relied on a variable (dotnet/runtime#89695, PowerShell#15520). Here the value
// is read raw (DoNotExpandEnvironmentNames) and written back as REG_EXPAND_SZ.
// Why the broadcast: running programs (Explorer, hence every new console started from it) reread the
// environment only when told: WM_SETTINGCHANGE "Environment" to all top-level windows (SendMessageTimeout,
// SMTO_ABORTIFHUNG, 5 s). Services and sshd are not told; new SSH logons read the registry anyway.
// `<goroot>\bin` never changes between versions (goroot is the junction), so the PATH is edited once and stays;
// the edit happens before the junction swap and a rollback writes the old raw value back when it changed.

export const PS_PATH = String.raw`# --- machine PATH ---------------------------------------------------------------------
# gf_path_key ENTRY: the comparison key: quotes removed, blanks and trailing backslashes trimmed, lower case.
function gf_path_key([string]$Entry) {
  return $Entry.Replace('"', '').Trim().TrimEnd('\').ToLowerInvariant()
}

# gf_path_kind EXPANDED: 'toolchain' (go.exe, VERSION one level up), 'shim' (a go command, no VERSION), 'other'.
function gf_path_kind([string]$Expanded) {
  try {
    $d = $Expanded.TrimEnd('\')
    $hasGo = $false
    foreach ($n in @('go.exe', 'go.cmd', 'go.bat')) { if ([IO.File]::Exists($d + '\' + $n)) { $hasGo = $true } }
    if (-not $hasGo) { return 'other' }
    if ([IO.File]::Exists([IO.Path]::GetDirectoryName($d) + '\VERSION')) { return 'toolchain' }
    return 'shim'
  } catch {
    return 'other'
  }
}

# gf_path_edit RAW GOBIN REMOVEOTHERGO: the new PATH (machine-path.ts editMachinePath, step by step).
# Sets PATH_REMOVED (entries dropped, as written).
function gf_path_edit([string]$Raw, [string]$GoBin, [bool]$RemoveOtherGo) {
  $entries = @()
  if ($Raw -ne '') { $entries = $Raw.Split(';') }
  $goKey = gf_path_key ([Environment]::ExpandEnvironmentVariables($GoBin))
  $out = New-Object System.Collections.Generic.List[string]
  $script:PATH_REMOVED = New-Object System.Collections.Generic.List[string]
  $placed = $false
  foreach ($entry in $entries) {
    $key = gf_path_key ([Environment]::ExpandEnvironmentVariables($entry))
    if ($key -eq '') {
      $out.Add($entry)
      continue
    }
    if ($key -eq $goKey) {
      if ($placed) { $script:PATH_REMOVED.Add($entry) } else { $out.Add($entry) }
      $placed = $true
      continue
    }
    $kind = gf_path_kind ([Environment]::ExpandEnvironmentVariables($entry).Replace('"', '').Trim())
    if ($kind -eq 'other') {
      $out.Add($entry)
      continue
    }
    if (-not $placed) {
      $out.Add($GoBin)
      $placed = $true
    }
    if ($kind -eq 'toolchain' -and $RemoveOtherGo) { $script:PATH_REMOVED.Add($entry) } else { $out.Add($entry) }
  }
  if (-not $placed) {
    # appended after the last entry; a PATH ending in ';' keeps its empty last entry after it
    if ($out.Count -gt 0 -and $out[$out.Count - 1] -eq '') { $out.Insert($out.Count - 1, $GoBin) } else { $out.Add($GoBin) }
  }
  return ($out -join ';')
}

# gf_env_key WRITABLE: HKLM\...\Session Manager\Environment, where the machine variables live.
function gf_env_key([bool]$Writable) {
  return [Microsoft.Win32.Registry]::LocalMachine.OpenSubKey('SYSTEM\CurrentControlSet\Control\Session Manager\Environment', $Writable)
}

# gf_path_raw: the machine PATH exactly as stored (%SystemRoot% not expanded).
function gf_path_raw {
  $k = gf_env_key $false
  try {
    return [string]$k.GetValue('Path', '', [Microsoft.Win32.RegistryValueOptions]::DoNotExpandEnvironmentNames)
  } finally {
    $k.Close()
  }
}

# gf_path_write RAW: store RAW as the machine PATH (REG_EXPAND_SZ) and tell running programs.
function gf_path_write([string]$Raw) {
  $k = gf_env_key $true
  try {
    $k.SetValue('Path', $Raw, [Microsoft.Win32.RegistryValueKind]::ExpandString)
  } finally {
    $k.Close()
  }
  gf_broadcast_env
}

# gf_broadcast_env: WM_SETTINGCHANGE (0x1A) "Environment" to HWND_BROADCAST (0xffff), SMTO_ABORTIFHUNG (2).
function gf_broadcast_env {
  try {
    if (-not ('GofleetNative.Env' -as [type])) {
      Add-Type -Namespace GofleetNative -Name Env -MemberDefinition '[DllImport("user32.dll", SetLastError = true, CharSet = CharSet.Unicode)] public static extern IntPtr SendMessageTimeout(IntPtr hWnd, uint Msg, UIntPtr wParam, string lParam, uint fuFlags, uint uTimeout, out UIntPtr lpdwResult);'
    }
    $result = [UIntPtr]::Zero
    [void][GofleetNative.Env]::SendMessageTimeout([IntPtr]0xffff, 0x1A, [UIntPtr]::Zero, 'Environment', 2, 5000, [ref]$result)
  } catch {
    gf_warn ('could not broadcast the PATH change (WM_SETTINGCHANGE): ' + $_.Exception.Message + '; programs started before it keep the old PATH until they restart')
  }
}

# gf_machine_path: put <goroot>\bin in the machine PATH (gf_path_edit); remember the raw value for a rollback
# (the flows set PATH_CHANGED = $false, PATH_BEFORE = '' and PATH_NOTE = '' first).
# A PATH that cannot be written is a warning: verification then says whether a new logon finds this go.
function gf_machine_path {
  try {
    $raw = gf_path_raw
    $new = gf_path_edit $raw ($script:G_ROOT + '\bin') ($script:REMOVE_OTHER_GO -eq '1')
    if ($new -cne $raw) {
      if (-not $script:PATH_CHANGED) { $script:PATH_BEFORE = $raw }
      gf_path_write $new
      $script:PATH_CHANGED = $true
      $msg = 'machine PATH: ' + $script:G_ROOT + '\bin placed before any other Go entry'
      if ($script:PATH_REMOVED.Count -gt 0) { $msg += '; removed ' + ($script:PATH_REMOVED -join ', ') }
      $script:PATH_NOTE = '; ' + $msg
    }
  } catch {
    gf_warn ('could not update the machine PATH: ' + $_.Exception.Message)
  }
  gf_path_shadows
}

# gf_path_restore: a rollback puts the machine PATH back as it was before this run (or the recorded run) edited it.
function gf_path_restore {
  if (-not $script:PATH_CHANGED) { return $true }
  try {
    gf_path_write $script:PATH_BEFORE
    $script:PATH_CHANGED = $false
    return $true
  } catch {
    $script:ROLLBACK_MSG = 'cannot restore the machine PATH: ' + $_.Exception.Message
    return $false
  }
}

# gf_path_shadows: warn about another go a user may end up running: a go in this user's PATH (HKCU), and
# chocolatey / scoop shims (they outlive an uninstall and win whenever their directory comes first).
function gf_path_shadows {
  $mine = gf_path_key ($script:G_ROOT + '\bin')
  $userRaw = ''
  try { $userRaw = [string](Get-ItemProperty -LiteralPath 'HKCU:\Environment' -Name Path -ErrorAction Stop).Path } catch { $userRaw = '' }
  foreach ($entry in $userRaw.Split(';')) {
    $x = [Environment]::ExpandEnvironmentVariables($entry).Replace('"', '').Trim()
    if ($x -eq '' -or (gf_path_key $x) -eq $mine) { continue }
    if ((gf_path_kind $x) -ne 'other') {
      gf_warn ('the user PATH of ' + [Environment]::UserName + ' holds another go in ' + $entry + ': a new logon finds the machine entry first, but a shell or tool that puts the user PATH first runs that one')
    }
  }
  foreach ($shim in @($env:ProgramData + '\chocolatey\bin\go.exe', $env:USERPROFILE + '\scoop\shims\go.exe', $env:ProgramData + '\scoop\shims\go.exe')) {
    if ([IO.File]::Exists($shim)) {
      gf_warn ('a package manager shim ' + $shim + ' runs another go wherever its directory comes before ' + $script:G_ROOT + '\bin in PATH; remove that package (choco uninstall golang / scoop uninstall go) to avoid surprises')
    }
  }
}
`;
