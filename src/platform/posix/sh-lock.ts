// Host lock and state file, host side.
// Lock: `mkdir <versionsDir>/.gofleet/lock` is atomic; the holder writes lock/info
// (`pid=<$$> run=<run> since=<date> boot=<boot id> start=<start time of $$>`). A live holder -> HOST_LOCKED;
// a gone one (gf_holder_gone: pid dead, another boot, or the pid reused by a process started at another
// time -- after a reboot the pid alone says nothing) is stale and taken over: the lock dir is renamed
// aside (atomic, one taker wins), the aside copy is checked to be the one judged stale, then mkdir again.
// Released by the script (step unlock) and, as a safety net, by the EXIT trap -- only when this shell owns it.
// Leftovers of scripts that died (a stage cut mid-way, an upload cut mid-way) are removed under the lock (gf_sweep).
// State: <versionsDir>/.gofleet/state, key=value lines (active, previous, run, updated), temp + mv.

import { UPLOAD_DIR } from './archive-paths.ts';
import { shQuote } from './quote.ts';

// Uploads the engine may leave in UPLOAD_DIR (archive-paths.ts): a partial one under the transport's temp
// name (transport/temp-name.ts: .<name>.<hex>.gofleet-part), and a complete one no script consumed.
const UPLOAD_GLOBS = [`${shQuote(UPLOAD_DIR)}/.gofleet-*.gofleet-part`, `${shQuote(UPLOAD_DIR)}/gofleet-*.tar.gz`].join(' ');

export const SH_LOCK = `# --- lock and state -----------------------------------------------------------
# gf_lock: take <versionsDir>/.gofleet/lock or report HOST_LOCKED / NO_PRIVILEGE
# (the caller reports \`step lock start\` first).
gf_lock() {
  LOCK="$META/lock"
  mkdir -p "$META" 2>/dev/null || { gf_fail lock NO_PRIVILEGE "cannot create $META"; return 1; }
  _l_try=0
  _l_note=
  while :; do
    if mkdir "$LOCK" 2>/dev/null; then
      OWN_LOCK=1
      if ! gf_fence_hold; then
        gf_unlock
        return 1
      fi
      gf_boot_id
      gf_proc_start "$$"
      if printf 'pid=%s run=%s since=%s boot=%s start=%s%s\\n' "$$" "$RUN" "$(gf_now)" "$BOOT_ID" "$PROC_START" "\${FENCE:+ token=$FENCE}" >"$LOCK/info.tmp" 2>/dev/null &&
        mv -f "$LOCK/info.tmp" "$LOCK/info" 2>/dev/null; then
        gf_step lock ok "" "$_l_note"
        return 0
      fi
      gf_unlock
      gf_fail lock NO_PRIVILEGE "cannot write $LOCK/info"
      return 1
    fi
    _l_try=$((_l_try + 1))
    _l_info=$(cat "$LOCK/info" 2>/dev/null)
    if [ -z "$_l_info" ] && [ -d "$LOCK" ] && [ "$_l_try" -le 3 ]; then
      sleep 1 # the holder may be writing its info right now
      continue
    fi
    _l_pid=$(gf_field pid "$_l_info")
    _l_why=stale
    if ! gf_holder_gone "$_l_info"; then
      # a live holder of this run under a fencing token: a lower one lost its lease (taken over), a higher one won it
      gf_fence_cmp "$_l_info"
      if [ "$FENCE_CMP" = newer ]; then
        gf_fail lock LEASE_LOST "$LOCK is held by pid $_l_pid of run $RUN under fencing token $(gf_field token "$_l_info") (this script holds $FENCE): another worker holds this host now; nothing was changed"
        return 1
      fi
      if [ "$FENCE_CMP" != older ]; then
        gf_fail lock HOST_LOCKED "$LOCK is held by pid $_l_pid (run $(gf_field run "$_l_info"), since $(gf_field since "$_l_info"))"
        return 1
      fi
      _l_why=lease
    fi
    if [ "$_l_try" -gt 6 ]; then
      gf_fail lock HOST_LOCKED "could not take over the stale lock $LOCK"
      return 1
    fi
    _l_aside="$META/lock.stale-$$"
    rm -rf "$_l_aside"
    if mv "$LOCK" "$_l_aside" 2>/dev/null; then
      if [ "$(cat "$_l_aside/info" 2>/dev/null)" = "$_l_info" ]; then
        rm -rf "$_l_aside"
        if [ "$_l_why" = lease ]; then
          _l_note="took over the lock of run $RUN from pid $_l_pid (fencing token $(gf_field token "$_l_info"), this script holds $FENCE): that worker lost its lease, its script stops before its next change"
        else
          gf_warn "took over a stale lock (\${_l_info:-no holder info})"
        fi
      elif [ ! -e "$LOCK" ]; then
        mv "$_l_aside" "$LOCK" 2>/dev/null # not the one judged stale: put it back
      fi
    fi
  done
}

# gf_sweep: under the lock (the upgrade and switch flows call it), remove what scripts that died left
# behind. Only the lock holder creates <versionsDir>/.tmp-<v>-<pid> (stage, adopt), .trash-<v>-<pid> and
# cache/<file>.part-<pid>, so while this shell holds the lock, one whose pid is dead belongs to a script
# that is gone (a live pid: left to prune's one-hour rule, it may be a reused pid after a reboot). Uploads in ${UPLOAD_DIR} are outside this lock (other runs, other versions
# dirs): a partial (.gofleet-*.gofleet-part) or unused (gofleet-*.tar.gz) upload goes once it has not been
# written for an hour (an upload in progress writes all the time; the controller gives up after 60 s).
gf_sweep() {
  _sp_gone=
  for _sp_p in "$VDIR"/.tmp-* "$VDIR"/.trash-* "$CACHE_DIR"/*.part-*; do
    [ -e "$_sp_p" ] || [ -L "$_sp_p" ] || continue
    _sp_pid=\${_sp_p##*-}
    case $_sp_pid in
      '' | *[!0-9]*) continue ;;
    esac
    [ "$_sp_pid" != "$$" ] && ! gf_alive "$_sp_pid" || continue
    if rm -rf "$_sp_p" 2>/dev/null; then _sp_gone="$_sp_gone \${_sp_p##*/}"; else gf_warn "could not remove the leftover $_sp_p"; fi
  done
  for _sp_p in ${UPLOAD_GLOBS}; do
    [ -f "$_sp_p" ] && [ ! -L "$_sp_p" ] && [ "$_sp_p" != "\${ARCHIVE:-}" ] || continue
    [ -n "$(find "$_sp_p" -prune -mmin +60 2>/dev/null)" ] || continue
    rm -f "$_sp_p" 2>/dev/null && _sp_gone="$_sp_gone \${_sp_p##*/}"
  done
  [ -z "$_sp_gone" ] || gf_warn "removed what earlier runs that did not finish left behind:$_sp_gone"
  return 0
}

# gf_unlock: release the lock if this shell holds it (also the EXIT trap).
gf_unlock() {
  [ "\${OWN_LOCK:-0}" = 1 ] || return 0
  OWN_LOCK=0
  _u_pid=$(gf_field pid "$(cat "$LOCK/info" 2>/dev/null)")
  if [ -z "$_u_pid" ] || [ "$_u_pid" = "$$" ]; then
    rm -rf "$LOCK"
  fi
}

# gf_state_write ACTIVE PREVIOUS [PREVIOUS_LINK]: rewrite the state file atomically (gf_state_put, temp + mv), or warn.
gf_state_write() {
  gf_state_put "$META/state" "$1" "$2" "" "\${3:-}" && return 0
  gf_warn "could not write $META/state"
  return 1
}
`;

/** The lock-taking step of the flows that switch (upgrade, use, rollback, re-verify, restore-link); prune takes
 *  the lock its own way (gf_lock, reporting its own outcome). */
export const SH_TAKE_LOCK = `# gf_take_lock: report \`step lock start\`, check privileges (gf_check_privilege) and take the lock; when
# either fails, end the script's outcome as failed (gf_end_failed) and return 1. The switch, re-verify and
# restore-link flows take the lock this way (their scripts hold sh-switch-flow's functions).
gf_take_lock() {
  gf_step lock start
  if ! gf_check_privilege || ! gf_lock; then
    gf_end_failed
    return 1
  fi
  return 0
}
`;
