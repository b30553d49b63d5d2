// `gofleet rollback` after a switch that replaced a junction outside versionsDir (--adopt-link), Windows side
// (the twin of posix/sh-restore-link.ts): point goroot back at the recorded `previous_link`. There is no managed
// version to verify (the old target need not be a toolchain); the junction is read back and reported as it is.
// State after it: active empty, previous = the version that was active, previous_link cleared.

export const PS_RESTORE_LINK = String.raw`# --- restore a recorded junction ---------------------------------------------------------
function gf_restore_link_flow {
  gf_read_current
  $to = $script:STATE_PREVIOUS_LINK
  if ($to -eq '') {
    gf_fail 'switch' 'NO_PREVIOUS_VERSION' ('no earlier junction target is recorded in ' + $script:META + '\state')
    gf_end_failed
    return
  }
  if ($script:CUR_KIND -eq 'link' -and (gf_norm_path $script:CUR_LINK) -ieq (gf_norm_path $to)) {
    gf_outcome 'unchanged' $script:CUR_VERSION $script:CUR_VERSION
    return
  }
  if ($script:CUR_KIND -ne 'link' -and $script:CUR_KIND -ne 'missing') {
    gf_fail 'switch' 'SWITCH_FAILED' ($script:G_ROOT + ' is not a junction (' + (gf_goroot_now) + '); not replacing it')
    gf_end_failed
    return
  }
  gf_step 'lock' 'start'
  if (-not (gf_check_privilege) -or -not (gf_lock)) {
    gf_end_failed
    return
  }
  gf_repair_goroot
  if (-not (gf_fence_check 'switch')) {
    gf_end_failed
    return
  }
  gf_step 'switch' 'start'
  $before = gf_goroot_now
  if (-not (gf_point $to)) {
    gf_fail 'switch' 'SWITCH_FAILED' ('could not point ' + $script:G_ROOT + ' at ' + $to + ' (' + $script:LINK_ERROR + '); read back, it was ' + $before + ' and is ' + (gf_goroot_now))
    gf_end_failed
    return
  }
  [void](gf_state_write '' $script:CUR_ACTIVE)
  gf_step 'switch' 'ok' '' ($script:G_ROOT + ' -> ' + $to + ' (now ' + (gf_goroot_now) + ')')
  gf_release
  gf_outcome 'switched' '' $script:CUR_VERSION
}
`;
