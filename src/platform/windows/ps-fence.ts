// Fencing tokens on the host (issue 14), Windows side: the twin of posix/sh-fence.ts, same files and meanings.
// A script given $script:FENCE = '<token>' writes ` token=<token>` into the lock's info and
// <versionsDir>\.gofleet\fence\<run> (`token=<n>`, the highest token of the run seen here; it outlives the lock);
// takes over a live lock of the same run under a lower token (its worker lost the lease; the lock step says so)
// and refuses one under a higher token (LEASE_LOST, goroot untouched); and before each change (stage, adopt, the
// switch, keeping or rolling back after verifying) checks it still holds the lock under its own token
// (gf_fence_check). The record is written right after the lock's info (CreateNew is the acquisition), and every
// check by the holder writes it again if an older script it took the lock from wrote its own token meanwhile.
// Scripts without a FENCE variable (prune, standalone) read it as '' (gf_fence_token): nothing changes for them.

export const PS_FENCE = String.raw`# --- fencing tokens (issue 14) ---------------------------------------------------------
# gf_fence_token: this script's fencing token, '' when it has none.
function gf_fence_token {
  if (Test-Path 'variable:script:FENCE') { return [string]$script:FENCE }
  return ''
}

# gf_fence_cmp INFO: how a lock's INFO compares with this script's token: none (no token here, another run's
# lock, a lock without a token), older, same or newer.
function gf_fence_cmp([string]$Info) {
  $mine = gf_fence_token
  $theirs = gf_field 'token' $Info
  if ($mine -eq '' -or (gf_field 'run' $Info) -cne $script:RUN -or $theirs -notmatch '^[0-9]{1,18}$') { return 'none' }
  if ([long]$theirs -gt [long]$mine) { return 'newer' }
  if ([long]$theirs -lt [long]$mine) { return 'older' }
  return 'same'
}

# gf_fence_recorded: the highest token of this run recorded on the host, or ''.
function gf_fence_recorded {
  $t = gf_field 'token' (gf_read_text ($script:META + '\fence\' + $script:RUN))
  if ($t -notmatch '^[0-9]{1,18}$') { return '' }
  return $t
}

# gf_fence_record: write this script's token as the run's record (true when written).
function gf_fence_record {
  try { [void][IO.Directory]::CreateDirectory($script:META + '\fence') } catch { return $false }
  return (gf_write_atomic ($script:META + '\fence\' + $script:RUN) ('token=' + (gf_fence_token) + $script:LF))
}

# gf_fence_hold: right after taking the lock: refuse when a higher token of this run is recorded, else record this
# one. LEASE_LOST / NO_PRIVILEGE reported on the lock step.
function gf_fence_hold {
  $mine = gf_fence_token
  if ($mine -eq '') { return $true }
  $seen = gf_fence_recorded
  if ($seen -ne '' -and [long]$seen -gt [long]$mine) {
    gf_fail 'lock' 'LEASE_LOST' ('fencing token ' + $seen + ' of run ' + $script:RUN + ' is recorded on this host (this script holds ' + $mine + '): another worker holds this host now; nothing was changed')
    return $false
  }
  if (gf_fence_record) { return $true }
  gf_fail 'lock' 'NO_PRIVILEGE' ('cannot write ' + $script:META + '\fence\' + $script:RUN)
  return $false
}

# gf_fence_check STEP: before a change: this script still holds the lock under its own token and no higher token
# of this run is recorded. Else LEASE_LOST on STEP; the lock is not this script's any more (never released here).
function gf_fence_check([string]$Step) {
  $mine = gf_fence_token
  if ($mine -eq '') { return $true }
  $info = gf_read_text ($script:LOCK + '\info')
  $seen = gf_fence_recorded
  if ((gf_field 'pid' $info) -eq [string]$PID -and (gf_field 'token' $info) -eq $mine -and ($seen -eq '' -or [long]$seen -le [long]$mine)) {
    if ($seen -ne $mine) { [void](gf_fence_record) } # an older script wrote its own token after this one took over
    return $true
  }
  $script:OWN_LOCK = $false
  $by = gf_field 'token' $info
  if ($by -eq '') { $by = $seen }
  if ($by -eq '') { $by = 'unknown' }
  gf_fail $Step 'LEASE_LOST' ('the lock of run ' + $script:RUN + ' was taken over under fencing token ' + $by + ' (pid ' + (gf_field 'pid' $info) + '); this script holds ' + $mine + ': another worker holds this host now, this one stopped before ' + $Step)
  return $false
}

# gf_fence_kept: after a switch, before keeping or rolling it back: gf_fence_check, and when the lease was lost the
# outcome (failed, LEASE_LOST: goroot is left as it is for the worker that holds the host now).
function gf_fence_kept {
  if (gf_fence_check 'unlock') { return $true }
  $script:SWITCHED = $false # gf_main's catch must not roll back either
  gf_outcome 'failed' $script:TARGET $script:PREV_VERSION 'LEASE_LOST' ($script:FAIL_MSG + '; ' + $script:G_ROOT + ' was left as it is (' + (gf_goroot_now) + '), neither kept nor rolled back by this script')
  return $false
}
`;
