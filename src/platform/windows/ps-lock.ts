// Host lock and state file, Windows side: the same layout as posix/sh-lock.ts, so the facts read both alike.
// Lock: <versionsDir>\.gofleet\lock\info, created with FileMode.CreateNew, which is atomic (CreateFile with
// CREATE_NEW: exactly one creator wins, the others get "file exists"). The holder writes
// `pid=<$PID> run=<run> since=<date> start=<process start time>[ token=<fencing token>]` into it (a live holder of
// the same run under a lower fencing token is taken over, a higher one refuses: ps-fence.ts). A holder that is gone (no process
// with that pid, or one that started at another time: the pid was reused, e.g. after a reboot) is stale and
// taken over: the lock directory is renamed aside (atomic, one taker wins), the aside copy is checked to be the
// one judged stale, then the lock is created again. Released by gf_release (step unlock) and, as a safety net,
// by gf_main's finally block -- only when this process owns it.
// Leftovers of scripts that were stopped (taskkill) are removed under the lock (gf_sweep): .tmp-<v>-<pid>,
// .trash-<v>-<pid>, cache\<file>.part-<pid> of a pid that is not running.
// State: <versionsDir>\.gofleet\state, key=value lines (active, previous, previous_link, run, updated, and the
// switch record verify_pending / rollback_*), written to a temp file then swapped in ([IO.File]::Replace).

export const PS_LOCK = String.raw`# --- lock and state ----------------------------------------------------------
# gf_lock: take <versionsDir>\.gofleet\lock or report HOST_LOCKED / NO_PRIVILEGE (the caller reports
# 'step lock start' first).
function gf_lock {
  $script:LOCK = $script:META + '\lock'
  try {
    [void][IO.Directory]::CreateDirectory($script:META)
  } catch {
    gf_fail 'lock' 'NO_PRIVILEGE' ('cannot create ' + $script:META + ': ' + $_.Exception.Message)
    return $false
  }
  $note = ''
  $token = gf_fence_token
  for ($try = 1; $try -le 8; $try++) {
    $mine = 'pid=' + $PID + ' run=' + $script:RUN + ' since=' + (gf_now) + ' start=' + (gf_proc_start $PID)
    if ($token -ne '') { $mine += ' token=' + $token }
    $made = gf_lock_create $mine
    if ($made -eq 'ok') {
      $script:OWN_LOCK = $true
      if (-not (gf_fence_hold)) {
        gf_unlock
        return $false
      }
      gf_step 'lock' 'ok' '' $note
      return $true
    }
    if ($made -ne 'exists') {
      gf_fail 'lock' 'NO_PRIVILEGE' ('cannot create ' + $script:LOCK + '\info: ' + $made)
      return $false
    }
    $held = (gf_read_text ($script:LOCK + '\info')).Trim()
    if ($held -eq '' -and $try -le 3) {
      Start-Sleep -Seconds 1 # the holder may be writing its info right now
      continue
    }
    $why = 'stale'
    if (-not (gf_holder_gone $held)) {
      # a live holder of this run under a fencing token: a lower one lost its lease (taken over), a higher one won it
      $cmp = gf_fence_cmp $held
      if ($cmp -eq 'newer') {
        gf_fail 'lock' 'LEASE_LOST' ($script:LOCK + ' is held by pid ' + (gf_field 'pid' $held) + ' of run ' + $script:RUN + ' under fencing token ' + (gf_field 'token' $held) + ' (this script holds ' + $token + '): another worker holds this host now; nothing was changed')
        return $false
      }
      if ($cmp -ne 'older') {
        gf_fail 'lock' 'HOST_LOCKED' ($script:LOCK + ' is held by pid ' + (gf_field 'pid' $held) + ' (run ' + (gf_field 'run' $held) + ', since ' + (gf_field 'since' $held) + ')')
        return $false
      }
      $why = 'lease'
    }
    $aside = $script:META + '\lock.stale-' + $PID
    [void](gf_rm_tree $aside)
    try { [IO.Directory]::Move($script:LOCK, $aside) } catch { continue }
    if ((gf_read_text ($aside + '\info')).Trim() -ceq $held) {
      [void](gf_rm_tree $aside)
      if ($why -eq 'lease') {
        $note = 'took over the lock of run ' + $script:RUN + ' from pid ' + (gf_field 'pid' $held) + ' (fencing token ' + (gf_field 'token' $held) + ', this script holds ' + $token + '): that worker lost its lease, its script stops before its next change'
      } else {
        if ($held -eq '') { $held = 'no holder info' }
        gf_warn ('took over a stale lock (' + $held + ')')
      }
    } elseif (-not (gf_exists $script:LOCK)) {
      try { [IO.Directory]::Move($aside, $script:LOCK) } catch { } # not the one judged stale: put it back
    }
  }
  gf_fail 'lock' 'HOST_LOCKED' ('could not take over the stale lock ' + $script:LOCK)
  return $false
}

# gf_lock_create INFO: 'ok' when this process created lock\info (CreateNew), 'exists' when another holder has
# it, else why it failed (access denied, ...).
function gf_lock_create([string]$Info) {
  try {
    [void][IO.Directory]::CreateDirectory($script:LOCK)
  } catch {
    return $_.Exception.Message
  }
  $fs = $null
  try {
    $fs = [IO.File]::Open($script:LOCK + '\info', [IO.FileMode]::CreateNew, [IO.FileAccess]::Write, [IO.FileShare]::Read)
  } catch [System.UnauthorizedAccessException] {
    return $_.Exception.Message
  } catch [System.IO.IOException] {
    return 'exists' # the file exists (or the directory was just renamed aside by a taker): held
  } catch {
    return $_.Exception.Message
  }
  try {
    $bytes = [Text.Encoding]::UTF8.GetBytes($Info + $script:LF)
    $fs.Write($bytes, 0, $bytes.Length)
  } finally {
    $fs.Dispose()
  }
  return 'ok'
}

# (gf_holder_gone and gf_state_read are in ps-read.ts: the facts script judges a lock stale with the same code.)

# gf_unlock: release the lock if this process holds it (also gf_main's finally block).
function gf_unlock {
  if (-not $script:OWN_LOCK) { return }
  $script:OWN_LOCK = $false
  $holder = gf_field 'pid' (gf_read_text ($script:LOCK + '\info'))
  if ($holder -eq '' -or $holder -eq [string]$PID) { [void](gf_rm_tree $script:LOCK) }
}

# gf_release: unlock (reported) when this process holds the lock.
function gf_release {
  if ($script:OWN_LOCK) {
    gf_unlock
    gf_step 'unlock' 'ok'
  }
}

# gf_sweep: under the lock, remove what stopped scripts left behind (only a lock holder creates them, so one
# whose pid is not running belongs to a script that is gone).
function gf_sweep {
  $gone = New-Object System.Collections.Generic.List[string]
  $places = @(@($script:VDIR, '^\.(tmp|trash)-.+-([0-9]+)$'), @($script:CACHE_DIR, '\.part-([0-9]+)$'))
  foreach ($place in $places) {
    if (-not [IO.Directory]::Exists($place[0])) { continue }
    foreach ($p in [IO.Directory]::GetFileSystemEntries($place[0])) {
      $name = [IO.Path]::GetFileName($p)
      $m = [regex]::Match($name, $place[1])
      if (-not $m.Success) { continue }
      $owner = $m.Groups[$m.Groups.Count - 1].Value
      if ($owner -eq [string]$PID -or (gf_alive $owner)) { continue }
      if (gf_rm_tree $p) { $gone.Add($name) } else { gf_warn ('could not remove the leftover ' + $p) }
    }
  }
  if ($gone.Count -gt 0) { gf_warn ('removed what earlier runs that did not finish left behind: ' + ($gone -join ' ')) }
}

# gf_can_write DIR: can this process create a file in DIR (or its nearest existing ancestor)? A real probe:
# ACLs, UAC filtering and read-only media all answer the same way.
function gf_can_write([string]$Dir) {
  $d = $Dir
  while ($d -ne '' -and -not [IO.Directory]::Exists($d)) { $d = [IO.Path]::GetDirectoryName($d); if ($null -eq $d) { $d = '' } }
  if ($d -eq '') { return $false }
  $probe = [IO.Path]::Combine($d, '.gofleet-probe-' + $PID)
  try {
    $fs = [IO.File]::Open($probe, [IO.FileMode]::Create, [IO.FileAccess]::Write)
    $fs.Dispose()
    [IO.File]::Delete($probe)
    return $true
  } catch {
    return $false
  }
}

# gf_check_privilege: can we write goroot's parent and versionsDir? Not elevated is the usual reason.
function gf_check_privilege {
  $who = [Security.Principal.WindowsIdentity]::GetCurrent().Name
  foreach ($d in @([IO.Path]::GetDirectoryName($script:G_ROOT), $script:VDIR)) {
    if (-not (gf_can_write $d)) {
      gf_fail 'lock' 'NO_PRIVILEGE' ($who + ' cannot write ' + $d + ' (an elevated administrator session is needed for Program Files and the machine PATH)')
      return $false
    }
  }
  return $true
}

# gf_state_put FILE ACTIVE PREVIOUS [PENDING [PREVIOUS_LINK]]: write a state file atomically; PENDING adds the
# switch record (how to undo the switch) that the next run needs if this one is stopped before verifying.
function gf_state_put([string]$File, [string]$Active, [string]$Previous, [string]$Pending = '', [string]$PreviousLink = '') {
  $lines = New-Object System.Collections.Generic.List[string]
  $lines.Add('active=' + $Active)
  $lines.Add('previous=' + $Previous)
  if ($PreviousLink -ne '') { $lines.Add('previous_link=' + $PreviousLink) }
  $lines.Add('run=' + $script:RUN)
  $lines.Add('updated=' + (gf_now))
  if ($Pending -ne '') {
    $lines.Add('verify_pending=' + $Pending)
    $lines.Add('rollback_kind=' + $script:PREV_KIND)
    $lines.Add('rollback_link=' + $script:PREV_LINK)
    $lines.Add('rollback_active=' + $script:PREV_ACTIVE)
    $lines.Add('rollback_version=' + $script:PREV_VERSION)
    $lines.Add('rollback_previous=' + $script:STATE_PREVIOUS)
    $lines.Add('rollback_previous_link=' + $script:STATE_PREVIOUS_LINK)
    # the machine PATH as it was before this run edited it (raw, unexpanded): put back by a rollback
    if ($script:PATH_CHANGED) { $lines.Add('rollback_path=' + $script:PATH_BEFORE) }
  }
  return (gf_write_atomic $File (($lines -join $script:LF) + $script:LF))
}

# gf_state_write ACTIVE PREVIOUS [PREVIOUS_LINK]: rewrite the state file, or warn.
function gf_state_write([string]$Active, [string]$Previous, [string]$PreviousLink = '') {
  if (gf_state_put ($script:META + '\state') $Active $Previous '' $PreviousLink) { return $true }
  gf_warn ('could not write ' + $script:META + '\state')
  return $false
}
`;
