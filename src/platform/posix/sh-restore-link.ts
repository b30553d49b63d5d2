// `gofleet rollback` after a switch that replaced a link outside versionsDir (--adopt-link, or a toolchain
// linked from elsewhere), host side: point goroot back at the recorded `previous_link`. There is no managed
// version to verify (the old target need not be a toolchain); the link is read back and reported as it is.
// State after it: active empty, previous = the version that was active, previous_link cleared.

export const SH_RESTORE_LINK = `# --- restore a recorded link ---------------------------------------------------------
gf_restore_link_flow() {
  gf_read_current
  _rl_to=$STATE_PREVIOUS_LINK
  if [ -z "$_rl_to" ]; then
    gf_fail switch NO_PREVIOUS_VERSION "no earlier link is recorded in $META/state"
    gf_end_failed
    return 1
  fi
  if [ "$CUR_KIND" = link ] && [ "$CUR_LINK" = "$_rl_to" ]; then
    gf_outcome unchanged "$CUR_VERSION" "$CUR_VERSION"
    return 0
  fi
  if [ "$CUR_KIND" != link ] && [ "$CUR_KIND" != missing ]; then
    gf_fail switch SWITCH_FAILED "$G_ROOT is not a link ($(gf_goroot_now)); not replacing it"
    gf_end_failed
    return 1
  fi
  gf_take_lock || return 1
  if ! gf_fence_check switch; then
    gf_end_failed
    return 1
  fi
  gf_step switch start
  _rl_before=$(gf_goroot_now)
  if ! gf_point "$_rl_to"; then
    gf_fail switch SWITCH_FAILED "could not repoint $G_ROOT to $_rl_to; read back, it was $_rl_before and is $(gf_goroot_now)"
    gf_end_failed
    return 1
  fi
  gf_state_write "" "$CUR_ACTIVE"
  gf_step switch ok "" "$G_ROOT -> $_rl_to (now $(gf_goroot_now))"
  gf_release
  gf_outcome switched "" "$CUR_VERSION"
  return 0
}
`;
