// The upgrade / switch flow, host side (MODE=upgrade stages an archive first; MODE=switch needs the
// target installed). Order: read goroot -> already at target? (unchanged: no lock, nothing written)
// -> checks -> lock (+ sweep what dead scripts left; read goroot again) -> stage -> adopt -> switch -> verify -> (rollback) -> unlock -> outcome.
// Staging runs before adopting, so a bad archive (checksum, disk) leaves goroot untouched.
// The uploaded archive is removed on every way out (gf_switch_flow), also when the script stops early.
// INT or TERM is honoured at safe points: before the switch the script stops with goroot untouched
// (gf_interrupted); after it, it finishes verifying and then rolls back (code INTERRUPTED).
// The switch is recorded as not yet verified before goroot is repointed, and a goroot left switched but
// unverified by a killed script is verified (and rolled back) by the next run (sh-verify-state.ts).
// With a fencing token (sh-fence.ts) the script checks it still holds the lock under its lease before stage,
// adopt and the switch, and before keeping or rolling back what it switched; a lost lease ends it (LEASE_LOST).
// State `previous` after a switch: the managed version that was active before it; when goroot was
// missing or a link outside versionsDir there is no managed previous and it is left empty.

export const SH_SWITCH_FLOW = `# --- upgrade / switch flow ---------------------------------------------------------
# gf_at_target: goroot links to <versionsDir>/<target> and its go answers the target.
gf_at_target() {
  [ "$CUR_KIND" = link ] && [ "$CUR_ACTIVE" = "$TARGET" ] && [ "$(gf_go_version "$G_ROOT/bin/go")" = "$TARGET" ]
}

# gf_check_privilege: can we write goroot's parent and versionsDir (nearest existing ancestors)?
gf_check_privilege() {
  _cp_me=$(id -un 2>/dev/null)
  for _cp_d in "$(gf_nearest "$(gf_dir "$G_ROOT")")" "$(gf_nearest "$VDIR")" "$(gf_nearest "$META")"; do
    if [ ! -w "$_cp_d" ]; then
      gf_fail lock NO_PRIVILEGE "\${_cp_me:-this user} cannot write $_cp_d"
      return 1
    fi
  done
  if [ "$CUR_KIND" = dir ] && [ ! -w "$G_ROOT" ]; then
    gf_fail lock NO_PRIVILEGE "\${_cp_me:-this user} cannot move the directory $G_ROOT"
    return 1
  fi
  return 0
}

# gf_end_failed: failed before or at the switch; goroot is as it was (or adopted, same version).
# A step that failed after INT/TERM arrived was most likely cut by it (TERM reaches the whole process group,
# tar included): the host is reported as stopped by the signal, which is what the controller asked for.
gf_end_failed() {
  if [ -n "\${GF_SIGNAL:-}" ] && [ "\${FAIL_CODE:-}" != INTERRUPTED ]; then
    FAIL_MSG="stopped on SIG$GF_SIGNAL before the switch; goroot was not changed (\${FAIL_CODE:-the step}: $FAIL_MSG)"
    FAIL_CODE=INTERRUPTED
  fi
  gf_release
  gf_outcome failed "$CUR_VERSION" "$CUR_VERSION" "$FAIL_CODE" "$FAIL_MSG"
  return 1
}

# gf_switch_flow: the whole flow; the uploaded archive (if any) is removed whichever way it ends --
# verified and cached, unchanged, locked out, refused or failed -- so /tmp never keeps a copy.
gf_switch_flow() {
  gf_switch_steps
  _sw_rc=$?
  gf_drop_upload
  return "$_sw_rc"
}

gf_switch_steps() {
  gf_read_current
  gf_state_read verify_pending
  if [ "$CUR_KIND" = link ] && [ "$CUR_ACTIVE" = "$TARGET" ] && [ "$STATE_VALUE" = "$TARGET" ]; then
    gf_reverify
    return
  fi
  if gf_at_target; then
    gf_outcome unchanged "$TARGET" "$TARGET"
    return 0
  fi
  if [ "$CUR_KIND" = other ]; then
    gf_fail adopt ADOPT_FAILED "$G_ROOT exists but is neither a symlink nor a directory; it was not touched"
    gf_end_failed
    return 1
  fi
  # a link to something else than a toolchain (/usr/local/go -> /lib64): only with --adopt-link (ADOPT_LINK=1)
  if [ "$CUR_FOREIGN" = 1 ] && [ "$ADOPT_LINK" != 1 ]; then
    gf_fail switch GOROOT_NOT_TOOLCHAIN "$G_ROOT links to $CUR_LINK, which is neither a Go toolchain nor a managed version; it was not touched"
    gf_end_failed
    return 1
  fi
  if [ "$MODE" = switch ] && ! gf_complete "$VDIR/$TARGET" "$TARGET" &&
    ! { [ "$CUR_KIND" = dir ] && [ "$ADOPT_VERSION" = "$TARGET" ]; }; then
    gf_fail switch VERSION_NOT_INSTALLED "$TARGET is not installed in $VDIR"
    gf_end_failed
    return 1
  fi
  gf_take_lock || return 1
  gf_sweep
  # what goroot is was read before the lock: another run may have switched it since and released its lock
  # (two runs on one host). Read it again under the lock; at the target now means nothing to do.
  gf_read_current
  gf_state_read verify_pending
  if [ "$STATE_VALUE" != "$TARGET" ] && gf_at_target; then
    gf_release
    gf_outcome unchanged "$TARGET" "$TARGET"
    return 0
  fi
  if [ "$MODE" = upgrade ]; then
    # --distribution pull: the host downloads the archive into its cache first (sh-pull.ts), goroot untouched
    if gf_interrupted pull || ! gf_pull || gf_interrupted stage || ! gf_fence_check stage || ! gf_stage; then
      gf_end_failed
      return 1
    fi
  fi
  PREV_KIND=$CUR_KIND
  PREV_LINK=$CUR_LINK
  PREV_ACTIVE=$CUR_ACTIVE
  PREV_VERSION=$CUR_VERSION
  if [ "$CUR_KIND" = dir ]; then
    if gf_interrupted adopt || ! gf_fence_check adopt || ! gf_adopt; then
      gf_end_failed
      return 1
    fi
    PREV_KIND='link'
    PREV_LINK="$VDIR/$ADOPT_VERSION"
    PREV_ACTIVE=$ADOPT_VERSION
    gf_state_write "$ADOPT_VERSION" "$STATE_PREVIOUS" "$STATE_PREVIOUS_LINK"
  fi
  if [ "$PREV_ACTIVE" = "$TARGET" ]; then NEW_PREVIOUS=$STATE_PREVIOUS; else NEW_PREVIOUS=$PREV_ACTIVE; fi
  # from a link outside versionsDir (adopted with --adopt-link, or a toolchain of its own): \`rollback\` restores it
  NEW_PREVIOUS_LINK=
  if [ "$PREV_KIND" = link ] && [ -z "$PREV_ACTIVE" ]; then NEW_PREVIOUS_LINK=$PREV_LINK; fi
  [ -n "$NEW_PREVIOUS" ] || [ -n "$NEW_PREVIOUS_LINK" ] || NEW_PREVIOUS_LINK=$STATE_PREVIOUS_LINK
  # with a fencing token: still this lease's lock, checked in this script right before the switch (sh-fence.ts)
  if gf_interrupted switch || ! gf_fence_check switch; then
    gf_end_failed
    return 1
  fi
  gf_step switch start
  if ! gf_switch_record; then
    gf_fail switch SWITCH_FAILED "could not record the switch in $META/state (disk full?); $G_ROOT was not touched"
    gf_end_failed
    return 1
  fi
  mkdir -p "$(gf_dir "$G_ROOT")" 2>/dev/null
  _sw_before=$(gf_goroot_now)
  if ! gf_point "$VDIR/$TARGET"; then
    gf_switch_failed "$_sw_before"
    return 1
  fi
  gf_state_put "$META/state" "$TARGET" "$NEW_PREVIOUS" "$TARGET" "$NEW_PREVIOUS_LINK" || gf_warn "could not write $META/state after the switch"
  gf_step switch ok "" "$G_ROOT -> $VDIR/$TARGET"
  gf_verify_switch
}

# gf_switch_failed BEFORE: the rename reported a failure. Say what goroot is now, as read back (never assumed):
# unchanged -> failed; changed after all -> roll back like a failed verification, and say so.
gf_switch_failed() {
  _sf_now=$(gf_goroot_now)
  _sf_msg="could not repoint $G_ROOT to $VDIR/$TARGET (neither mv -T nor mv -h renamed the new link into place)"
  if [ "$_sf_now" = "$1" ]; then
    gf_fail switch SWITCH_FAILED "$_sf_msg; read back, it was left as it was: $_sf_now"
    # nothing switched: the state as it was before the switch record
    mv -f "$META/state.rollback" "$META/state" 2>/dev/null
    gf_end_failed
    return 1
  fi
  gf_fail switch SWITCH_FAILED "$_sf_msg, yet read back it changed: it was $1, it is $_sf_now; rolling back"
  gf_fence_kept || return 1
  if gf_rollback; then
    gf_release
    gf_outcome rolled_back "$CUR_VERSION" "$CUR_VERSION" SWITCH_FAILED "$FAIL_MSG; rolled back, goroot is now $(gf_goroot_now)"
    return 1
  fi
  gf_release
  gf_outcome rollback_failed "$ROLLBACK_ACTIVE" "$CUR_VERSION" ROLLBACK_FAILED "switch: $FAIL_MSG; rollback: $ROLLBACK_MSG; goroot is now $(gf_goroot_now)"
  return 1
}
`;
