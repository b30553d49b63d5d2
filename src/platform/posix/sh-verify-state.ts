// What the host remembers about a switch until it is verified, and about versions that failed verification.
//
// Switched, not yet verified: before goroot is repointed the state file records `verify_pending=<target>` and
// how to undo the switch (rollback_kind/link/active/version/previous); only a verified switch or a rollback
// rewrites the state without them. A script killed in between (OOM, reboot, kill -9) leaves the record behind:
// the facts report the host `unverified` (when goroot still links to that version) and the next run verifies it
// and rolls back on failure instead of calling it unchanged (gf_reverify).
//
// A truthful state after a rollback on a full disk: `<meta>/state.rollback` is written before the switch, while
// there is room, holding the state a rollback returns to; when the rollback cannot write the state file (temp +
// mv needs a free block) the prepared copy is renamed into place, and if even that fails the state file is
// removed (the facts read goroot's link, never the state, for what is active).
//
// Failed versions: `<meta>/failed/<version>` marks a version whose own checks failed (go version, go env
// GOROOT, the hello-world build; a login PATH or health command failure is the host's, not the toolchain's).
// The stage step does not reuse a marked tree (it restages it), prune removes marked versions whatever --keep
// says, a successful verify or a fresh stage clears the mark. A version this run staged is removed at
// rollback instead of marked.

export const SH_VERIFY_STATE = `# --- switch record, failed versions ---------------------------------------------------
# gf_state_put FILE ACTIVE PREVIOUS [PENDING [PREVIOUS_LINK]]: write a state file (temp + mv); PENDING adds the
# switch record; PREVIOUS_LINK (where goroot linked before a switch from a link outside versionsDir, for
# \`rollback\`) is written only when set.
gf_state_put() {
  _sp_tmp="$1.tmp-$$"
  _sp_kind=$PREV_KIND
  _sp_link=$PREV_LINK
  case $_sp_link in
    *"$GF_NL"*) _sp_kind=unknown; _sp_link= ;;
  esac
  if {
    printf 'active=%s\\nprevious=%s\\n' "$2" "$3" &&
      { [ -z "\${5:-}" ] || printf 'previous_link=%s\\n' "$5"; } &&
      printf 'run=%s\\nupdated=%s\\n' "$RUN" "$(gf_now)" &&
      if [ -n "\${4:-}" ]; then
        printf 'verify_pending=%s\\nrollback_kind=%s\\nrollback_link=%s\\n' "$4" "$_sp_kind" "$_sp_link" &&
          printf 'rollback_active=%s\\nrollback_version=%s\\nrollback_previous=%s\\n' "$PREV_ACTIVE" "$PREV_VERSION" "$STATE_PREVIOUS" &&
          printf 'rollback_previous_link=%s\\nrollback_foreign=%s\\n' "$STATE_PREVIOUS_LINK" "\${CUR_FOREIGN:-0}"
      fi
  } >"$_sp_tmp" 2>/dev/null && mv -f "$_sp_tmp" "$1" 2>/dev/null; then
    return 0
  fi
  rm -f "$_sp_tmp"
  return 1
}

# gf_switch_record: before the switch, prepare the state a rollback returns to and record the switch as pending.
gf_switch_record() {
  gf_state_put "$META/state.rollback" "$PREV_ACTIVE" "$STATE_PREVIOUS" "" "$STATE_PREVIOUS_LINK" &&
    gf_state_put "$META/state" "$PREV_ACTIVE" "$STATE_PREVIOUS" "$TARGET" "$STATE_PREVIOUS_LINK"
}

# gf_state_settle ACTIVE PREVIOUS [PREVIOUS_LINK]: the state after a rollback, even on a full disk (see above).
gf_state_settle() {
  if gf_state_put "$META/state" "$1" "$2" "" "\${3:-}"; then
    rm -f "$META/state.rollback"
    return 0
  fi
  if [ -f "$META/state.rollback" ] && mv -f "$META/state.rollback" "$META/state" 2>/dev/null; then
    gf_warn "could not write $META/state (disk full?); put back the copy written before the switch"
    return 0
  fi
  rm -f "$META/state"
  gf_warn "could not write $META/state (disk full?); removed it, so it cannot claim a version that is not active"
  return 1
}

# gf_reverify: goroot links to TARGET but the run that switched it stopped before verifying (its script was
# killed, the host crashed): take the lock (that script's lock is stale), verify, roll back as recorded.
gf_reverify() {
  gf_take_lock || return 1
  gf_state_read rollback_kind
  PREV_KIND=$STATE_VALUE
  gf_state_read rollback_link
  PREV_LINK=$STATE_VALUE
  gf_state_read rollback_active
  PREV_ACTIVE=$STATE_VALUE
  gf_state_read rollback_version
  PREV_VERSION=$STATE_VALUE
  gf_state_read rollback_previous
  STATE_PREVIOUS=$STATE_VALUE
  gf_state_read rollback_previous_link
  STATE_PREVIOUS_LINK=$STATE_VALUE
  gf_state_read rollback_foreign
  CUR_FOREIGN=\${STATE_VALUE:-0}
  gf_state_read previous_link
  NEW_PREVIOUS_LINK=$STATE_VALUE
  gf_valid_version "$PREV_ACTIVE" || PREV_ACTIVE=
  gf_valid_version "$STATE_PREVIOUS" || STATE_PREVIOUS=
  # as the switch computed it (the state may have been cut between the switch and its second write)
  if [ "$PREV_ACTIVE" = "$TARGET" ]; then NEW_PREVIOUS=$STATE_PREVIOUS; else NEW_PREVIOUS=$PREV_ACTIVE; fi
  case $PREV_KIND in
    link) [ -n "$PREV_LINK" ] || PREV_KIND=unknown ;;
    missing) ;;
    *) PREV_KIND=unknown ;;
  esac
  gf_step switch skip "" "$G_ROOT already links to $VDIR/$TARGET: an earlier run switched it and stopped before verifying"
  gf_verify_switch
}

# gf_verify_switch: verify the switched goroot; keep it (record cleared) or roll back. A toolchain that failed
# its own checks (not the login PATH or the health command, not merely stopped by INT/TERM) is removed when
# this run staged it, else marked failed.
gf_verify_switch() {
  _vs_code=VERIFY_FAILED
  _vs_bad=0
  if gf_verify; then _vs_ok=1; else _vs_ok=0; fi
  # a lease lost while verifying: neither keep nor roll back; the worker holding the host now decides (sh-fence.ts)
  gf_fence_kept || return 1
  if [ "$_vs_ok" = 1 ]; then
    if [ -z "\${GF_SIGNAL:-}" ]; then
      gf_state_put "$META/state" "$TARGET" "$NEW_PREVIOUS" "" "$NEW_PREVIOUS_LINK" || gf_warn "could not write $META/state: the switch to $TARGET stays recorded as unverified and the next run verifies it again"
      rm -f "$META/state.rollback" "$META/failed/$TARGET"
      gf_release
      gf_outcome switched "$TARGET" "$PREV_VERSION"
      return 0
    fi
  elif [ "$VERIFY_BLAME" = toolchain ]; then
    _vs_bad=1
  fi
  # INT/TERM after the switch (a second Ctrl-C on the controller, a shutdown): go back to what worked
  if [ -n "\${GF_SIGNAL:-}" ]; then
    _vs_code=INTERRUPTED
    _vs_bad=0
    FAIL_MSG="stopped on SIG$GF_SIGNAL after the switch to $TARGET; rolled back"
  fi
  if gf_rollback; then
    [ "$_vs_bad" = 0 ] || gf_forget_failed
    gf_release
    gf_outcome rolled_back "$PREV_VERSION" "$PREV_VERSION" "$_vs_code" "$FAIL_MSG"
    return 1
  fi
  [ "$_vs_bad" = 0 ] || gf_mark_failed
  gf_release
  gf_outcome rollback_failed "$ROLLBACK_ACTIVE" "$PREV_VERSION" ROLLBACK_FAILED "verify: $FAIL_MSG; rollback: $ROLLBACK_MSG"
  return 1
}

# gf_forget_failed: after a rollback away from a TARGET that failed verification: remove it when this run
# staged it (nothing else can have started using it), else mark it.
gf_forget_failed() {
  if [ "\${STAGED_NOW:-0}" = 1 ] && [ "$PREV_ACTIVE" != "$TARGET" ] && gf_trash "$VDIR/$TARGET" "$TARGET"; then
    rm -f "$META/failed/$TARGET"
    gf_warn "removed $VDIR/$TARGET: it failed verification"
    return 0
  fi
  gf_mark_failed
}

# gf_mark_failed: <meta>/failed/<TARGET>: the next upgrade restages it, prune removes it.
gf_mark_failed() {
  if mkdir -p "$META/failed" 2>/dev/null && : >"$META/failed/$TARGET" 2>/dev/null; then
    gf_warn "marked $VDIR/$TARGET as failed: the next upgrade to it stages it again, prune removes it"
    return 0
  fi
  gf_warn "could not mark $VDIR/$TARGET as failed ($META/failed)"
  return 1
}
`;
