// `--method msi`, Windows side: the official Go MSI instead of side-by-side zips. Order: read goroot -> already
// at target? -> lock -> stage (SHA-256 checked, the .msi kept in .gofleet\cache: it is also what a later
// rollback reinstalls) -> install -> machine PATH order -> verify -> (rollback) -> unlock -> outcome.
// What the MSI is (go-dist.md §2): one Go per architecture (MajorUpgrade AllowDowngrades: installing any Go MSI
// of that arch removes the installed one, older or newer), per-machine (elevation needed), installs into
// INSTALLDIR -- which it does NOT remember on upgrade, so it is always passed explicitly as goroot -- and appends
// [INSTALLDIR]bin to the machine PATH.
// Why Start-Process -Wait -PassThru: msiexec is a GUI-subsystem program; `& msiexec` returns at once and sets no
// exit code. Exit codes: 0 done; 3010 / 1641 done but a reboot is needed (a warning, never hidden); 1618 another
// installation is running (retried with backoff: 2, 4, 8, 16, 32 s); anything else fails with the tail of the
// verbose log (/l*v, kept under .gofleet\logs).
// goroot before: missing, or a directory installed by the Go MSI (upgraded in place by the new MSI), or a
// manual directory (moved under versionsDir by its VERSION first, moved back by a rollback). A gofleet junction
// at goroot is refused: switching a host from side by side to the MSI is a decision for a person (remove the
// junction, or keep --method zip).
// Rollback: reinstall the previous version's MSI from the cache (<cache>\go<prev>.windows-<arch>.msi, what an
// earlier MSI upgrade by gofleet left there); with no previous install, uninstall the new one (/x).

export const PS_MSI = String.raw`# --- MSI method ------------------------------------------------------------------------
# gf_msiexec ACTION MSI LOG: run msiexec quietly (ACTION /i or /x), retrying 1618; answers the exit code.
function gf_msiexec([string]$Action, [string]$Msi, [string]$Log) {
  $argLine = $Action + ' "' + $Msi + '" /qn /norestart /l*v "' + $Log + '"'
  if ($Action -eq '/i') { $argLine += ' INSTALLDIR="' + $script:G_ROOT + '"' }
  $exe = [Environment]::GetFolderPath('System') + '\msiexec.exe'
  $delay = 2
  for ($try = 1; $try -le 6; $try++) {
    $p = Start-Process -FilePath $exe -ArgumentList $argLine -Wait -PassThru -WindowStyle Hidden
    $p.WaitForExit() # some hosts return from -Wait early
    $code = $p.ExitCode
    if ($code -ne 1618 -or $try -eq 6) { return $code }
    Start-Sleep -Seconds $delay
    $delay = $delay * 2
  }
  return 1618
}

# gf_log_tail LOG: the last lines of an msiexec log (the first 'Return value 3' and what led to it when present).
function gf_log_tail([string]$Log) {
  $lines = @()
  try { $lines = [IO.File]::ReadAllLines($Log) } catch { return '(no log: ' + $Log + ')' }
  $at = -1
  for ($i = 0; $i -lt $lines.Length; $i++) { if ($lines[$i] -match 'Return value 3') { $at = $i; break } }
  if ($at -lt 0) { $at = $lines.Length - 1 }
  $from = [math]::Max(0, $at - 15)
  return (($lines[$from..$at] | ForEach-Object { $_.Trim() }) -join ' | ')
}

# gf_msi_install ACTION MSI WHAT: msiexec with reporting; true when installed (reboot codes warned about).
function gf_msi_install([string]$Action, [string]$Msi, [string]$What) {
  $logs = $script:META + '\logs'
  [void][IO.Directory]::CreateDirectory($logs)
  $log = $logs + '\msi-' + $script:RUN + '-' + $What + '.log'
  $code = gf_msiexec $Action $Msi $log
  if ($code -eq 0) { return $true }
  if ($code -eq 3010 -or $code -eq 1641) {
    gf_warn ('msiexec ' + $What + ': exit ' + $code + ', the installation needs a reboot to complete (' + $log + ')')
    return $true
  }
  $why = 'msiexec ' + $Action + ' ' + $Msi + ' exited ' + $code
  if ($code -eq 1618) { $why += ' (another installation kept running through 6 tries)' }
  $script:MSI_ERROR = $why + '; log ' + $log + ': ' + (gf_log_tail $log)
  return $false
}

# gf_msi_previous: the cached MSI of the version an MSI installed at goroot, for a rollback, or ''.
function gf_msi_previous([string]$Version) {
  if ($Version -eq '' -or -not [IO.Directory]::Exists($script:CACHE_DIR)) { return '' }
  $want = $Version + '.windows-' + $script:MSI_ARCH + '.msi'
  $f = $script:CACHE_DIR + '\' + $want
  if ([IO.File]::Exists($f)) { return $f }
  return ''
}

function gf_msi_flow {
  try {
    gf_msi_steps
  } finally {
    gf_drop_upload
  }
}

function gf_msi_steps {
  $script:UNDO = 'gf_msi_rollback'
  $script:PATH_CHANGED = $false
  $script:PATH_BEFORE = ''
  $script:PATH_NOTE = ''
  gf_read_current
  if ($script:CUR_KIND -eq 'dir' -and $script:CUR_VERSION -ceq $script:TARGET -and (gf_msi_entry $script:G_ROOT) -ne '' -and
    (gf_go_version ($script:G_ROOT + '\bin\go.exe')) -ceq $script:TARGET) {
    gf_outcome 'unchanged' $script:TARGET $script:TARGET
    return
  }
  if ($script:CUR_KIND -eq 'link' -or $script:CUR_KIND -eq 'other') {
    gf_fail 'switch' 'SWITCH_FAILED' ($script:G_ROOT + ' is ' + (gf_goroot_now) + '; the MSI method installs only where goroot is missing or a directory (use --method zip for a junction)')
    gf_end_failed
    return
  }
  gf_step 'lock' 'start'
  if (-not (gf_check_privilege) -or -not (gf_lock)) {
    gf_end_failed
    return
  }
  gf_sweep
  # --distribution pull: the host downloads the MSI into its cache first (ps-pull.ts)
  if ((gf_interrupted 'pull') -or -not (gf_pull) -or (gf_interrupted 'stage') -or -not (gf_fence_check 'stage')) {
    gf_end_failed
    return
  }
  gf_step 'stage' 'start'
  $msi = $script:CACHE_DIR + '\' + $script:ARCHIVE_NAME
  if (-not (gf_cache_archive $msi $script:PULLED)) {
    gf_end_failed
    return
  }
  gf_step 'stage' 'ok' '' ('kept ' + $msi)
  # the last safe point: from here on goroot changes (a manual install moved aside, then msiexec)
  if ((gf_interrupted 'switch') -or -not (gf_fence_check 'switch')) {
    gf_end_failed
    return
  }
  $script:PREV_KIND = $script:CUR_KIND
  $script:PREV_VERSION = $script:CUR_VERSION
  $script:PREV_MSI = ''
  $script:MOVED_ASIDE = ''
  if ($script:CUR_KIND -eq 'dir') {
    if ((gf_msi_entry $script:G_ROOT) -ne '') {
      $script:PREV_MSI = gf_msi_previous $script:CUR_VERSION
      if ($script:PREV_MSI -eq '') { gf_warn ('no cached MSI of ' + $script:CUR_VERSION + ' in ' + $script:CACHE_DIR + ': a rollback could not reinstall it') }
    } else {
      # a manual install: keep it under versionsDir so that a rollback can put it back
      gf_step 'adopt' 'start'
      $aside = $script:VDIR + '\' + $script:CUR_VERSION
      if (-not (gf_valid_version $script:CUR_VERSION) -or (gf_exists $aside)) { $aside = $script:VDIR + '\.pre-msi-' + $script:RUN }
      [void][IO.Directory]::CreateDirectory($script:VDIR)
      if (-not (gf_move_dir $script:G_ROOT $aside)) {
        gf_move_failed 'adopt' 'ADOPT_FAILED' ('cannot move ' + $script:G_ROOT + ' aside to ' + $aside)
        gf_end_failed
        return
      }
      $script:MOVED_ASIDE = $aside
      gf_step 'adopt' 'ok' '' ('moved ' + $script:G_ROOT + ' to ' + $aside)
    }
  }
  gf_step 'switch' 'start'
  $script:SWITCHED = $true
  if (-not (gf_msi_install '/i' $msi $script:TARGET)) {
    gf_fail 'switch' 'MSI_FAILED' $script:MSI_ERROR
    if (-not (gf_fence_kept)) { return }
    if (gf_msi_rollback) {
      gf_release
      gf_outcome 'rolled_back' $script:PREV_VERSION $script:PREV_VERSION 'MSI_FAILED' $script:FAIL_MSG
    } else {
      gf_release
      gf_outcome 'rollback_failed' $script:ROLLBACK_ACTIVE $script:PREV_VERSION 'ROLLBACK_FAILED' ('switch: ' + $script:FAIL_MSG + '; rollback: ' + $script:ROLLBACK_MSG)
    }
    return
  }
  # the MSI appends <goroot>\bin to the machine PATH: put it before any other Go entry
  gf_machine_path
  gf_step 'switch' 'ok' '' ('installed ' + $script:ARCHIVE_NAME + ' into ' + $script:G_ROOT + $script:PATH_NOTE)
  $ok = gf_verify
  if (-not (gf_fence_kept)) { return }
  if ($ok) {
    $script:SWITCHED = $false
    if ($script:MOVED_ASIDE -ne '') { gf_warn ('the manual install that was at ' + $script:G_ROOT + ' is kept in ' + $script:MOVED_ASIDE) }
    [void](gf_state_write '' $script:PREV_VERSION)
    gf_release
    gf_outcome 'switched' $script:TARGET $script:PREV_VERSION
    return
  }
  if (gf_msi_rollback) {
    gf_release
    gf_outcome 'rolled_back' $script:PREV_VERSION $script:PREV_VERSION $script:FAIL_CODE $script:FAIL_MSG
    return
  }
  gf_release
  gf_outcome 'rollback_failed' $script:ROLLBACK_ACTIVE $script:PREV_VERSION 'ROLLBACK_FAILED' ('verify: ' + $script:FAIL_MSG + '; rollback: ' + $script:ROLLBACK_MSG)
}

# gf_msi_rollback: back to what goroot was: the previous MSI reinstalled, or the new one removed (and a manual
# install moved back); the old go must answer its version.
function gf_msi_rollback {
  gf_step 'rollback' 'start'
  $msg = ''
  $new = $script:CACHE_DIR + '\' + $script:ARCHIVE_NAME
  if ($script:PREV_MSI -ne '') {
    if (-not (gf_msi_install '/i' $script:PREV_MSI ($script:PREV_VERSION + '-rollback'))) { $msg = $script:MSI_ERROR }
  } elseif ($script:PREV_KIND -eq 'dir' -and $script:MOVED_ASIDE -eq '') {
    $msg = 'no cached MSI of ' + $script:PREV_VERSION + ' to reinstall; ' + $script:G_ROOT + ' holds ' + (gf_read_first ($script:G_ROOT + '\VERSION'))
  } else {
    if ((gf_msi_entry $script:G_ROOT) -ne '' -and -not (gf_msi_install '/x' $new ($script:TARGET + '-remove'))) { $msg = $script:MSI_ERROR }
    if ($msg -eq '' -and $script:MOVED_ASIDE -ne '') {
      if ((gf_exists $script:G_ROOT) -and -not (gf_trash $script:G_ROOT ($script:TARGET + '-msi'))) {
        $msg = 'cannot clear ' + $script:G_ROOT + ' to move the manual install back: ' + $script:MOVE_ERROR
      } elseif (-not (gf_move_dir $script:MOVED_ASIDE $script:G_ROOT)) {
        $msg = 'cannot move ' + $script:MOVED_ASIDE + ' back to ' + $script:G_ROOT + ': ' + $script:MOVE_ERROR
      }
    }
  }
  # the PATH is not restored by hand here: the MSI adds and removes its own entry, and an earlier value written
  # back now would undo what msiexec just did
  $script:ROLLBACK_ACTIVE = ''
  if ($msg -eq '' -and $script:PREV_VERSION -ne '') {
    $script:ROLLBACK_ACTIVE = gf_go_version ($script:G_ROOT + '\bin\go.exe')
    if ($script:ROLLBACK_ACTIVE -cne $script:PREV_VERSION) {
      $msg = 'after rolling back, ' + $script:G_ROOT + "\bin\go.exe version answers '" + $script:ROLLBACK_ACTIVE + "', expected " + $script:PREV_VERSION
    }
  }
  $script:SWITCHED = $false
  if ($msg -ne '') {
    gf_step 'rollback' 'fail' 'ROLLBACK_FAILED' $msg
    $script:ROLLBACK_MSG = $msg
    return $false
  }
  gf_step 'rollback' 'ok'
  return $true
}
`;
