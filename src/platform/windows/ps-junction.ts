// Repointing goroot and adopting a real goroot directory, Windows side (the twin of posix/sh-switch.ts).
//
// Why a directory junction: it needs no privilege beyond write access to goroot's parent (a directory
// symlink needs SeCreateSymbolicLinkPrivilege or Developer Mode), it works on every Windows 10 / Server 2016+,
// and every program sees goroot as a plain directory. New-Item -ItemType Junction exists in PowerShell 5.1.
//
// Windows cannot rename a directory over an existing one, so the swap is three steps with the shortest window:
//   1. the new junction is created beside goroot as <goroot>.gofleet-new-<pid> (nothing changes yet);
//   2. the old junction is renamed aside to <goroot>.gofleet-old-<pid>     <- goroot does not resolve from here
//   3. the new junction is renamed to goroot                                <- to here: two renames apart
//   4. the old junction is deleted as a link ([IO.Directory]::Delete(path, $false) = RemoveDirectory, which
//      removes the reparse point and never touches its target; never Remove-Item -Recurse, which in Windows
//      PowerShell 5.1 follows the junction and deletes the toolchain it points to).
// A script stopped between 2 and 3 leaves goroot missing and both junctions beside it: the next run repairs it
// under the lock (gf_repair_goroot, called by the lock step): the newest -new- junction is renamed into place
// (the switch record then makes that run verify it, or roll back), leftover -old-/-new- junctions are deleted.
//
// Adopt: a real directory at goroot (a manual unzip, or the Go MSI) is moved under versionsDir by its VERSION
// (a rename on the same volume -- retried while files are in use -- else a copy), then goroot becomes a
// junction to it. When the Go MSI installed it (an HKLM uninstall entry whose InstallLocation is goroot) a
// warning says so: uninstalling "Go Programming Language" later would delete files through the junction.

export const PS_JUNCTION = String.raw`# --- switch (junctions) and adopt ----------------------------------------------------
# gf_junction_new TO: create the new junction beside goroot (not yet in place).
function gf_junction_new([string]$To) {
  $script:NEW_LINK = $script:G_ROOT + '.gofleet-new-' + $PID
  $script:LINK_ERROR = ''
  if (-not (gf_drop_link $script:NEW_LINK)) {
    $script:LINK_ERROR = $script:NEW_LINK + ' exists and is not a junction'
    return $false
  }
  try {
    # goroot's parent may not exist yet on a fresh host with a custom goroot (D:\tools\go)
    [void][IO.Directory]::CreateDirectory([IO.Path]::GetDirectoryName($script:G_ROOT))
    $null = New-Item -ItemType Junction -Path $script:NEW_LINK -Value $To -ErrorAction Stop
    return $true
  } catch {
    $script:LINK_ERROR = 'cannot create a junction at ' + $script:NEW_LINK + ': ' + $_.Exception.Message
    return $false
  }
}

# gf_point TO: make goroot a junction to TO (steps 1-4 above), read back.
function gf_point([string]$To) {
  if (-not (gf_junction_new $To)) { return $false }
  $old = $script:G_ROOT + '.gofleet-old-' + $PID
  $hadOld = $false
  if (gf_exists $script:G_ROOT) {
    if (-not (gf_is_link $script:G_ROOT)) {
      [void](gf_drop_link $script:NEW_LINK)
      $script:LINK_ERROR = $script:G_ROOT + ' is not a junction; it was not replaced'
      return $false
    }
    if (-not (gf_move_dir $script:G_ROOT $old)) {
      [void](gf_drop_link $script:NEW_LINK)
      $script:LINK_ERROR = 'cannot rename the old junction aside: ' + $script:MOVE_ERROR
      return $false
    }
    $hadOld = $true
  }
  # goroot does not resolve until the next rename (gf_repair_goroot repairs a host stopped right here)
  if (-not (gf_move_dir $script:NEW_LINK $script:G_ROOT)) {
    $script:LINK_ERROR = 'cannot rename ' + $script:NEW_LINK + ' to ' + $script:G_ROOT + ': ' + $script:MOVE_ERROR
    if ($hadOld) { [void](gf_move_dir $old $script:G_ROOT) }
    [void](gf_drop_link $script:NEW_LINK)
    return $false
  }
  if ($hadOld -and -not (gf_drop_link $old)) { gf_warn ('could not delete the old junction ' + $old) }
  if ((gf_is_link $script:G_ROOT) -and (gf_link_target $script:G_ROOT) -ieq (gf_norm_path $To)) { return $true }
  $script:LINK_ERROR = 'read back, ' + $script:G_ROOT + ' is ' + (gf_goroot_now)
  return $false
}

# gf_repair_goroot: under the lock, finish or undo a swap a stopped script left half done (see above).
function gf_repair_goroot {
  $parent = [IO.Path]::GetDirectoryName($script:G_ROOT)
  if (-not [IO.Directory]::Exists($parent)) { return }
  $base = [IO.Path]::GetFileName($script:G_ROOT)
  $left = @([IO.Directory]::GetDirectories($parent, $base + '.gofleet-*') | Where-Object { gf_is_link $_ })
  if ($left.Count -eq 0) { return }
  if (-not (gf_exists $script:G_ROOT)) {
    $new = @($left | Where-Object { $_ -match '\.gofleet-new-[0-9]+$' } | Sort-Object { [IO.Directory]::GetLastWriteTimeUtc($_) } -Descending)
    if ($new.Count -eq 0) { $new = @($left | Where-Object { $_ -match '\.gofleet-old-[0-9]+$' }) }
    if ($new.Count -gt 0 -and (gf_move_dir $new[0] $script:G_ROOT)) {
      gf_warn ('repaired ' + $script:G_ROOT + ', left missing by a run stopped in the middle of a switch: it is now ' + (gf_goroot_now))
    }
  }
  foreach ($l in $left) {
    if ((gf_exists $l) -and $l -match '\.gofleet-(new|old)-([0-9]+)$' -and -not (gf_alive $Matches[2])) { [void](gf_drop_link $l) }
  }
}

# gf_msi_entry DIR: the display name and version of a Go MSI uninstall entry (HKLM) installed at DIR, or ''.
function gf_msi_entry([string]$Dir) {
  $want = gf_norm_path $Dir
  foreach ($root in @('HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall', 'HKLM:\SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall')) {
    foreach ($k in @(Get-ChildItem -LiteralPath $root -ErrorAction SilentlyContinue)) {
      $name = [string]$k.GetValue('DisplayName', '')
      $at = [string]$k.GetValue('InstallLocation', '')
      if ($name -like 'Go Programming Language*' -and $at -ne '' -and (gf_norm_path $at) -ieq $want) {
        return ($name + ' ' + [string]$k.GetValue('DisplayVersion', '') + ', product code ' + $k.PSChildName)
      }
    }
  }
  return ''
}

# gf_adopt: goroot is a real directory of ADOPT_VERSION: move it to <versionsDir>\<version>, leave goroot a
# junction to it. On failure goroot is left as it was.
function gf_adopt {
  gf_step 'adopt' 'start'
  $v = $script:ADOPT_VERSION
  if (-not (gf_valid_version $v)) {
    gf_fail 'adopt' 'ADOPT_FAILED' ('cannot tell the version of ' + $script:G_ROOT + " (VERSION first line: '" + $v + "'); not touching it")
    return $false
  }
  $msi = gf_msi_entry $script:G_ROOT
  $dest = $script:VDIR + '\' + $v
  if ((gf_exists $dest) -and -not (gf_complete $dest $v)) {
    if (-not (gf_trash $dest $v)) {
      gf_move_failed 'adopt' 'ADOPT_FAILED' ($dest + ' exists, is incomplete and cannot be moved away')
      return $false
    }
  }
  $aside = ''
  if (-not (gf_exists $dest)) {
    # same volume: one rename (retried while files are in use); else a copy
    if (-not (gf_move_dir $script:G_ROOT $dest)) {
      if ([IO.Path]::GetPathRoot($script:G_ROOT) -ieq [IO.Path]::GetPathRoot($script:VDIR)) {
        gf_move_failed 'adopt' 'ADOPT_FAILED' ('cannot move ' + $script:G_ROOT + ' to ' + $dest)
        return $false
      }
      $tmp = $script:VDIR + '\.tmp-' + $v + '-' + $PID
      try {
        Copy-Item -LiteralPath $script:G_ROOT -Destination $tmp -Recurse -Force -ErrorAction Stop
        [IO.Directory]::Move($tmp, $dest)
      } catch {
        [void](gf_rm_tree $tmp)
        $code = 'ADOPT_FAILED'
        if ($_.Exception.Message -match 'not enough space|disk is full') { $code = 'DISK_FULL' }
        gf_fail 'adopt' $code ('cannot copy ' + $script:G_ROOT + ' to ' + $dest + ': ' + $_.Exception.Message)
        return $false
      }
    }
  }
  if (gf_exists $script:G_ROOT) {
    # a complete copy is under versionsDir and the directory is still at goroot: rename it aside first
    $aside = $script:G_ROOT + '.gofleet-adopted-' + $PID
    if (-not (gf_move_dir $script:G_ROOT $aside)) {
      gf_move_failed 'adopt' 'ADOPT_FAILED' ('cannot rename ' + $script:G_ROOT + ' aside')
      return $false
    }
  }
  if (-not (gf_point $dest)) {
    if ($aside -ne '') { [void](gf_move_dir $aside $script:G_ROOT) } else { [void](gf_move_dir $dest $script:G_ROOT) }
    gf_fail 'adopt' 'ADOPT_FAILED' ('cannot put a junction at ' + $script:G_ROOT + ' (' + $script:LINK_ERROR + '); moved the directory back (read back: ' + (gf_goroot_now) + ')')
    return $false
  }
  if ($aside -ne '' -and -not (gf_rm_tree $aside)) { gf_warn ('could not remove the adopted copy ' + $aside) }
  if ($msi -ne '') {
    gf_warn ($script:G_ROOT + ' was installed by the Go MSI (' + $msi + '); it is now ' + $dest + ' behind a junction. Do not uninstall that entry from Apps: it would delete files through the junction. Use --method msi to keep MSI-managed installs.')
  }
  gf_step 'adopt' 'ok' '' ('adopted ' + $script:G_ROOT + ' as ' + $dest)
  return $true
}
`;
