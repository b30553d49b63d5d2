// The upgrade / switch flow, Windows side (the twin of posix/sh-switch-flow.ts and sh-verify-state.ts; MODE
// upgrade stages a zip first, MODE switch needs the target installed). Order: read goroot -> already at target
// (junction to the target, its go answers it, machine PATH already right)? unchanged, nothing written ->
// checks -> lock (+ repair a half-done swap, sweep leftovers; read goroot again) -> stage -> adopt ->
// machine PATH -> switch record -> junction swap -> verify -> (rollback) -> unlock -> outcome.
// Staging runs before adopting, so a bad archive (checksum, disk) leaves goroot untouched.
// The uploaded archive is removed on every way out (gf_switch_flow's finally).
// The switch is recorded as not yet verified before goroot is repointed (state: verify_pending and how to undo
// it, with the machine PATH as it was); a host left switched but unverified by a stopped script is verified
// (and rolled back) by the next run (gf_reverify). The state after a rollback stays truthful on a full disk:
// <meta>\state.rollback is written before the switch and renamed into place when the state cannot be written.
// With a fencing token (ps-fence.ts) the script checks it still holds the lock under its lease before stage, adopt
// and the switch, and before keeping or rolling back what it switched; a lost lease ends it (LEASE_LOST).
// Failed versions: <meta>\failed\<version> marks a version whose own checks failed (not PATH, health or
// antivirus); the next stage restages it, prune removes it; a version this run staged is removed instead.

export const PS_SWITCH_FLOW = String.raw`# --- upgrade / switch flow --------------------------------------------------------------
# gf_at_target: goroot is a junction to <versionsDir>\<target>, its go answers the target, and the machine PATH
# needs no edit (or this account cannot write it: verification already said what a new logon finds).
function gf_at_target {
  if ($script:CUR_KIND -ne 'link' -or $script:CUR_ACTIVE -cne $script:TARGET) { return $false }
  if ((gf_go_version ($script:G_ROOT + '\bin\go.exe')) -cne $script:TARGET) { return $false }
  try {
    $raw = gf_path_raw
    if ((gf_path_edit $raw ($script:G_ROOT + '\bin') ($script:REMOVE_OTHER_GO -eq '1')) -ceq $raw) { return $true }
    # the PATH needs an edit; worth a run only when this account may write it (else every run would re-switch)
    $k = gf_env_key $true
    $k.Close()
    return $false
  } catch {
    return $true # the PATH cannot be read or written: nothing this script could change about it
  }
}

# gf_end_failed: failed before or at the switch; goroot is as it was (or adopted, same version).
function gf_end_failed {
  gf_release
  gf_outcome 'failed' $script:CUR_VERSION $script:CUR_VERSION $script:FAIL_CODE $script:FAIL_MSG
}

# gf_switch_flow: the whole flow; the uploaded archive (if any) is removed whichever way it ends.
function gf_switch_flow {
  try {
    gf_switch_steps
  } finally {
    gf_drop_upload
  }
}

function gf_switch_steps {
  $script:PATH_CHANGED = $false
  $script:PATH_BEFORE = ''
  $script:PATH_NOTE = ''
  $script:STAGED_NOW = $false
  gf_read_current
  if ($script:CUR_KIND -eq 'link' -and $script:CUR_ACTIVE -ceq $script:TARGET -and (gf_state_read 'verify_pending') -ceq $script:TARGET) {
    gf_reverify
    return
  }
  if (gf_at_target) {
    gf_outcome 'unchanged' $script:TARGET $script:TARGET
    return
  }
  if ($script:CUR_KIND -eq 'other') {
    gf_fail 'adopt' 'ADOPT_FAILED' ($script:G_ROOT + ' exists but is neither a junction nor a directory; it was not touched')
    gf_end_failed
    return
  }
  if ($script:CUR_FOREIGN -eq '1' -and $script:ADOPT_LINK -ne '1') {
    gf_fail 'switch' 'GOROOT_NOT_TOOLCHAIN' ($script:G_ROOT + ' is a junction to ' + $script:CUR_LINK + ', which is neither a Go toolchain nor a managed version; it was not touched')
    gf_end_failed
    return
  }
  if ($script:MODE -eq 'switch' -and -not (gf_complete ($script:VDIR + '\' + $script:TARGET) $script:TARGET) -and
    -not ($script:CUR_KIND -eq 'dir' -and $script:ADOPT_VERSION -ceq $script:TARGET)) {
    gf_fail 'switch' 'VERSION_NOT_INSTALLED' ($script:TARGET + ' is not installed in ' + $script:VDIR)
    gf_end_failed
    return
  }
  gf_step 'lock' 'start'
  if (-not (gf_check_privilege) -or -not (gf_lock)) {
    gf_end_failed
    return
  }
  gf_repair_goroot
  gf_sweep
  # another run may have switched goroot since it was read (and released its lock): read it again under the lock
  gf_read_current
  $pending = gf_state_read 'verify_pending'
  if ($script:CUR_KIND -eq 'link' -and $script:CUR_ACTIVE -ceq $script:TARGET -and $pending -ceq $script:TARGET) {
    gf_reverify_locked
    return
  }
  if ($pending -cne $script:TARGET -and (gf_at_target)) {
    gf_release
    gf_outcome 'unchanged' $script:TARGET $script:TARGET
    return
  }
  # --distribution pull: the host downloads the archive into its cache first (ps-pull.ts), goroot untouched
  if ($script:MODE -eq 'upgrade' -and ((gf_interrupted 'pull') -or -not (gf_pull) -or (gf_interrupted 'stage') -or -not (gf_fence_check 'stage') -or -not (gf_stage))) {
    gf_end_failed
    return
  }
  $script:PREV_KIND = $script:CUR_KIND
  $script:PREV_LINK = $script:CUR_LINK
  $script:PREV_ACTIVE = $script:CUR_ACTIVE
  $script:PREV_VERSION = $script:CUR_VERSION
  if ($script:CUR_KIND -eq 'dir') {
    if ((gf_interrupted 'adopt') -or -not (gf_fence_check 'adopt') -or -not (gf_adopt)) {
      gf_end_failed
      return
    }
    $script:PREV_KIND = 'link'
    $script:PREV_LINK = $script:VDIR + '\' + $script:ADOPT_VERSION
    $script:PREV_ACTIVE = $script:ADOPT_VERSION
    [void](gf_state_write $script:ADOPT_VERSION $script:STATE_PREVIOUS $script:STATE_PREVIOUS_LINK)
  }
  if ($script:PREV_ACTIVE -ceq $script:TARGET) { $script:NEW_PREVIOUS = $script:STATE_PREVIOUS } else { $script:NEW_PREVIOUS = $script:PREV_ACTIVE }
  # from a junction outside versionsDir: 'rollback' restores it
  $script:NEW_PREVIOUS_LINK = ''
  if ($script:PREV_KIND -eq 'link' -and $script:PREV_ACTIVE -eq '') { $script:NEW_PREVIOUS_LINK = $script:PREV_LINK }
  if ($script:NEW_PREVIOUS -eq '' -and $script:NEW_PREVIOUS_LINK -eq '') { $script:NEW_PREVIOUS_LINK = $script:STATE_PREVIOUS_LINK }
  # with a fencing token: still this lease's lock, checked in this script right before the switch (ps-fence.ts)
  if ((gf_interrupted 'switch') -or -not (gf_fence_check 'switch')) {
    gf_end_failed
    return
  }
  gf_step 'switch' 'start'
  # the machine PATH first: <goroot>\bin is right for the old version as well, and the record below keeps the old value
  gf_machine_path
  if (-not (gf_switch_record)) {
    [void](gf_path_restore)
    gf_fail 'switch' 'SWITCH_FAILED' ('could not record the switch in ' + $script:META + '\state (disk full?); ' + $script:G_ROOT + ' was not touched')
    gf_end_failed
    return
  }
  $before = gf_goroot_now
  $script:SWITCHED = $true
  if (-not (gf_point ($script:VDIR + '\' + $script:TARGET))) {
    gf_switch_failed $before
    return
  }
  if (-not (gf_state_put ($script:META + '\state') $script:TARGET $script:NEW_PREVIOUS $script:TARGET $script:NEW_PREVIOUS_LINK)) { gf_warn ('could not write ' + $script:META + '\state after the switch') }
  gf_step 'switch' 'ok' '' ($script:G_ROOT + ' -> ' + $script:VDIR + '\' + $script:TARGET + $script:PATH_NOTE)
  gf_verify_switch
}

# gf_switch_failed BEFORE: the junction swap failed. Say what goroot is now, as read back: unchanged -> failed
# (state and PATH as before); changed after all -> roll back like a failed verification.
function gf_switch_failed([string]$Before) {
  $now = gf_goroot_now
  $msg = 'could not point ' + $script:G_ROOT + ' at ' + $script:VDIR + '\' + $script:TARGET + ' (' + $script:LINK_ERROR + ')'
  if ($now -ceq $Before) {
    $script:SWITCHED = $false
    gf_fail 'switch' 'SWITCH_FAILED' ($msg + '; read back, it was left as it was: ' + $now)
    try { [IO.File]::Copy($script:META + '\state.rollback', $script:META + '\state', $true); [IO.File]::Delete($script:META + '\state.rollback') } catch { }
    [void](gf_path_restore)
    gf_end_failed
    return
  }
  gf_fail 'switch' 'SWITCH_FAILED' ($msg + ', yet read back it changed: it was ' + $Before + ', it is ' + $now + '; rolling back')
  if (-not (gf_fence_kept)) { return }
  if (gf_rollback) {
    gf_release
    gf_outcome 'rolled_back' $script:CUR_VERSION $script:CUR_VERSION 'SWITCH_FAILED' ($script:FAIL_MSG + '; rolled back, goroot is now ' + (gf_goroot_now))
    return
  }
  gf_release
  gf_outcome 'rollback_failed' $script:ROLLBACK_ACTIVE $script:CUR_VERSION 'ROLLBACK_FAILED' ('switch: ' + $script:FAIL_MSG + '; rollback: ' + $script:ROLLBACK_MSG + '; goroot is now ' + (gf_goroot_now))
}

# gf_switch_record: before the switch, prepare the state a rollback returns to and record the switch as pending.
function gf_switch_record {
  if (-not (gf_state_put ($script:META + '\state.rollback') $script:PREV_ACTIVE $script:STATE_PREVIOUS '' $script:STATE_PREVIOUS_LINK)) { return $false }
  return (gf_state_put ($script:META + '\state') $script:PREV_ACTIVE $script:STATE_PREVIOUS $script:TARGET $script:STATE_PREVIOUS_LINK)
}

# gf_state_settle ACTIVE PREVIOUS [PREVIOUS_LINK]: the state after a rollback, even on a full disk.
function gf_state_settle([string]$Active, [string]$Previous, [string]$PreviousLink = '') {
  $rb = $script:META + '\state.rollback'
  if (gf_state_put ($script:META + '\state') $Active $Previous '' $PreviousLink) {
    try { [IO.File]::Delete($rb) } catch { }
    return
  }
  try {
    [IO.File]::Copy($rb, $script:META + '\state', $true)
    gf_warn ('could not write ' + $script:META + '\state (disk full?); put back the copy written before the switch')
  } catch {
    try { [IO.File]::Delete($script:META + '\state') } catch { }
    gf_warn ('could not write ' + $script:META + '\state (disk full?); removed it, so it cannot claim a version that is not active')
  }
}

# gf_reverify: goroot is a junction to TARGET but the run that switched it stopped before verifying: take the
# lock (that run's lock is stale), verify, roll back as recorded (junction and machine PATH).
function gf_reverify {
  gf_step 'lock' 'start'
  if (-not (gf_check_privilege) -or -not (gf_lock)) {
    gf_end_failed
    return
  }
  gf_repair_goroot
  gf_reverify_locked
}

# gf_reverify_locked: gf_reverify once the lock is held.
function gf_reverify_locked {
  $script:PREV_KIND = gf_state_read 'rollback_kind'
  $script:PREV_LINK = gf_state_read 'rollback_link'
  $script:PREV_ACTIVE = gf_state_read 'rollback_active'
  $script:PREV_VERSION = gf_state_read 'rollback_version'
  $script:STATE_PREVIOUS = gf_state_read 'rollback_previous'
  $script:STATE_PREVIOUS_LINK = gf_state_read 'rollback_previous_link'
  $script:NEW_PREVIOUS_LINK = gf_state_read 'previous_link'
  $oldPath = gf_state_read 'rollback_path'
  if ($oldPath -ne '') {
    $script:PATH_BEFORE = $oldPath
    $script:PATH_CHANGED = $true
  }
  if (-not (gf_valid_version $script:PREV_ACTIVE)) { $script:PREV_ACTIVE = '' }
  if (-not (gf_valid_version $script:STATE_PREVIOUS)) { $script:STATE_PREVIOUS = '' }
  if ($script:PREV_ACTIVE -ceq $script:TARGET) { $script:NEW_PREVIOUS = $script:STATE_PREVIOUS } else { $script:NEW_PREVIOUS = $script:PREV_ACTIVE }
  if (-not ($script:PREV_KIND -eq 'missing' -or ($script:PREV_KIND -eq 'link' -and $script:PREV_LINK -ne ''))) { $script:PREV_KIND = 'unknown' }
  gf_step 'switch' 'skip' '' ($script:G_ROOT + ' already points to ' + $script:VDIR + '\' + $script:TARGET + ': an earlier run switched it and stopped before verifying')
  $script:SWITCHED = $true
  gf_verify_switch
}

# gf_verify_switch: verify the switched goroot; keep it (record cleared) or roll back. A toolchain that failed its
# own checks is removed when this run staged it, else marked failed.
function gf_verify_switch {
  $bad = $false
  $ok = gf_verify
  if (gf_signal) {
    # the controller asked to stop after the switch (a second Ctrl-C): go back to what worked, whatever
    # verification said
    $ok = $false
    $script:FAIL_CODE = 'INTERRUPTED'
    $script:FAIL_MSG = 'stopped by the controller after the switch to ' + $script:TARGET + '; rolled back'
  }
  # a lease lost while verifying: neither keep nor roll back; the worker holding the host now decides (ps-fence.ts)
  if (-not (gf_fence_kept)) { return }
  if ($ok) {
    $script:SWITCHED = $false
    if (-not (gf_state_put ($script:META + '\state') $script:TARGET $script:NEW_PREVIOUS '' $script:NEW_PREVIOUS_LINK)) {
      gf_warn ('could not write ' + $script:META + '\state: the switch to ' + $script:TARGET + ' stays recorded as unverified and the next run verifies it again')
    }
    foreach ($f in @(($script:META + '\state.rollback'), ($script:META + '\failed\' + $script:TARGET))) { try { [IO.File]::Delete($f) } catch { } }
    gf_release
    gf_outcome 'switched' $script:TARGET $script:PREV_VERSION
    return
  }
  if (-not (gf_signal) -and $script:VERIFY_BLAME -eq 'toolchain') { $bad = $true }
  $code = $script:FAIL_CODE
  if (gf_rollback) {
    if ($bad) { gf_forget_failed }
    gf_release
    gf_outcome 'rolled_back' $script:PREV_VERSION $script:PREV_VERSION $code $script:FAIL_MSG
    return
  }
  if ($bad) { [void](gf_mark_failed) }
  gf_release
  gf_outcome 'rollback_failed' $script:ROLLBACK_ACTIVE $script:PREV_VERSION 'ROLLBACK_FAILED' ('verify: ' + $script:FAIL_MSG + '; rollback: ' + $script:ROLLBACK_MSG)
}

# gf_forget_failed: after rolling back from a TARGET that failed its own checks: remove it when this run staged it.
function gf_forget_failed {
  if ($script:STAGED_NOW -and $script:PREV_ACTIVE -cne $script:TARGET -and (gf_trash ($script:VDIR + '\' + $script:TARGET) $script:TARGET)) {
    gf_warn ('removed ' + $script:VDIR + '\' + $script:TARGET + ': it failed verification')
    return
  }
  [void](gf_mark_failed)
}

# gf_mark_failed: <meta>\failed\<TARGET>: the next upgrade restages it, prune removes it.
function gf_mark_failed {
  try {
    [void][IO.Directory]::CreateDirectory($script:META + '\failed')
    [IO.File]::WriteAllText($script:META + '\failed\' + $script:TARGET, '')
    gf_warn ('marked ' + $script:VDIR + '\' + $script:TARGET + ' as failed: the next upgrade to it stages it again, prune removes it')
    return $true
  } catch {
    gf_warn ('could not mark ' + $script:VDIR + '\' + $script:TARGET + ' as failed')
    return $false
  }
}
`;
