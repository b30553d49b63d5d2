// Fencing tokens on the host (issue 14), host side. A worker of a dispatched run holds a lease per host; each
// lease has a token, higher for each new lease. A script given FENCE=<token>:
//   - writes ` token=<token>` into the lock's info, and <versionsDir>/.gofleet/fence/<run> (`token=<n>`: the
//     highest token of that run seen on this host; it outlives the lock, so a worker that wakes up after the
//     newer one has finished and released the lock is refused too);
//   - meeting a live lock of the same run with a LOWER token takes it over (its worker lost the lease; the lock
//     step says so), with a HIGHER token refuses (LEASE_LOST, goroot untouched);
//   - before each change (stage, adopt, the switch, and the decision after verifying: keep or roll back) checks
//     it still holds the lock under its own token and no higher token was recorded (gf_fence_check): a script
//     whose lock was taken over stops there with LEASE_LOST, leaving the host to the newer holder (it neither
//     keeps nor rolls back what it switched, and never releases the lock that is no longer its).
// The check and the change are in one script, under the lock: no network round trip between them; what is left
// is the host-local instant between a check and the rename it guards.
// Without FENCE every function here does nothing and the lock behaves as before.

export const SH_FENCE = `# --- fencing tokens (issue 14) ------------------------------------------------------
# gf_fence_cmp INFO: FENCE_CMP = how a lock's INFO compares with this script's token: none (no token here, or
# another run's lock, or a lock without a token), older, same or newer.
gf_fence_cmp() {
  FENCE_CMP=none
  [ -n "\${FENCE:-}" ] || return 0
  [ "$(gf_field run "$1")" = "$RUN" ] || return 0
  _fc_t=$(gf_field token "$1")
  case $_fc_t in
    '' | *[!0-9]*) return 0 ;;
  esac
  if [ "$_fc_t" -gt "$FENCE" ]; then
    FENCE_CMP=newer
  elif [ "$_fc_t" -lt "$FENCE" ]; then
    FENCE_CMP=older
  else
    FENCE_CMP=same
  fi
}

# gf_fence_recorded: FENCE_SEEN = the highest token of this run recorded on the host (nothing when none).
gf_fence_recorded() {
  FENCE_SEEN=$(gf_field token "$(cat "$META/fence/$RUN" 2>/dev/null)")
  case $FENCE_SEEN in
    *[!0-9]*) FENCE_SEEN= ;;
  esac
}

# gf_fence_hold: right after taking the lock (before its info is written): refuse when a higher token of this run
# is recorded, else record this one. LEASE_LOST / NO_PRIVILEGE reported on the lock step.
gf_fence_hold() {
  [ -n "\${FENCE:-}" ] || return 0
  gf_fence_recorded
  if [ -n "$FENCE_SEEN" ] && [ "$FENCE_SEEN" -gt "$FENCE" ]; then
    gf_fail lock LEASE_LOST "fencing token $FENCE_SEEN of run $RUN is recorded on this host (this script holds $FENCE): another worker holds this host now; nothing was changed"
    return 1
  fi
  if mkdir -p "$META/fence" 2>/dev/null && printf 'token=%s\\n' "$FENCE" >"$META/fence/$RUN.tmp-$$" 2>/dev/null &&
    mv -f "$META/fence/$RUN.tmp-$$" "$META/fence/$RUN" 2>/dev/null; then
    return 0
  fi
  rm -f "$META/fence/$RUN.tmp-$$"
  gf_fail lock NO_PRIVILEGE "cannot write $META/fence/$RUN"
  return 1
}

# gf_fence_check STEP: before a change: this script still holds the lock under its own token and no higher token
# of this run is recorded. Else LEASE_LOST on STEP; the lock is not this script's any more (never released here).
gf_fence_check() {
  [ -n "\${FENCE:-}" ] || return 0
  _fk_info=$(cat "$LOCK/info" 2>/dev/null)
  gf_fence_recorded
  if [ "$(gf_field pid "$_fk_info")" = "$$" ] && [ "$(gf_field token "$_fk_info")" = "$FENCE" ] &&
    { [ -z "$FENCE_SEEN" ] || [ "$FENCE_SEEN" -le "$FENCE" ]; }; then
    return 0
  fi
  OWN_LOCK=0
  _fk_by=$(gf_field token "$_fk_info")
  [ -n "$_fk_by" ] || _fk_by=$FENCE_SEEN
  gf_fail "$1" LEASE_LOST "the lock of run $RUN was taken over under fencing token \${_fk_by:-unknown} (pid $(gf_field pid "$_fk_info")); this script holds $FENCE: another worker holds this host now, this one stopped before $1"
  return 1
}

# gf_fence_kept: after a switch, before keeping or rolling it back: gf_fence_check, and when the lease was lost
# the outcome (failed, LEASE_LOST: goroot is left as it is for the worker that holds the host now).
gf_fence_kept() {
  gf_fence_check unlock && return 0
  gf_outcome failed "$TARGET" "$PREV_VERSION" LEASE_LOST "$FAIL_MSG; $G_ROOT was left as it is ($(gf_goroot_now)), neither kept nor rolled back by this script"
  return 1
}
`;
