// Host lock and state file, host side.
// Lock: `mkdir <versionsDir>/.gofleet/lock` is atomic; the holder writes lock/info
// (`pid=<$$> run=<run> since=<date> boot=<boot id> start=<start time of $$>`). A live holder -> HOST_LOCKED;
// a gone one (gf_holder_gone: pid dead, another boot, or the pid reused by a process started at another
// time -- after a reboot the pid alone says nothing) is stale and taken over: the lock dir is renamed
// aside (atomic, one taker wins), the aside copy is checked to be the one judged stale, then mkdir again.
// Released by the script (step unlock) and, as a safety net, by the EXIT trap -- only when this shell owns it.
// State: <versionsDir>/.gofleet/state, key=value lines (active, previous, run, updated), temp + mv.

export const SH_LOCK = `# --- lock and state -----------------------------------------------------------
# gf_lock: take <versionsDir>/.gofleet/lock or report HOST_LOCKED / NO_PRIVILEGE
# (the caller reports \`step lock start\` first).
gf_lock() {
  LOCK="$META/lock"
  mkdir -p "$META" 2>/dev/null || { gf_fail lock NO_PRIVILEGE "cannot create $META"; return 1; }
  _l_try=0
  while :; do
    if mkdir "$LOCK" 2>/dev/null; then
      OWN_LOCK=1
      gf_boot_id
      gf_proc_start "$$"
      if printf 'pid=%s run=%s since=%s boot=%s start=%s\\n' "$$" "$RUN" "$(gf_now)" "$BOOT_ID" "$PROC_START" >"$LOCK/info.tmp" 2>/dev/null &&
        mv -f "$LOCK/info.tmp" "$LOCK/info" 2>/dev/null; then
        gf_step lock ok
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
    if ! gf_holder_gone "$_l_info"; then
      gf_fail lock HOST_LOCKED "$LOCK is held by pid $_l_pid (run $(gf_field run "$_l_info"), since $(gf_field since "$_l_info"))"
      return 1
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
        gf_warn "took over a stale lock (\${_l_info:-no holder info})"
      elif [ ! -e "$LOCK" ]; then
        mv "$_l_aside" "$LOCK" 2>/dev/null # not the one judged stale: put it back
      fi
    fi
  done
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

# gf_state_write ACTIVE PREVIOUS: rewrite the state file atomically (temp + mv).
gf_state_write() {
  _w_tmp="$META/state.tmp-$$"
  if { printf 'active=%s\\n' "$1" && printf 'previous=%s\\n' "$2" && printf 'run=%s\\n' "$RUN" &&
    printf 'updated=%s\\n' "$(gf_now)"; } >"$_w_tmp" 2>/dev/null && mv -f "$_w_tmp" "$META/state" 2>/dev/null; then
    return 0
  fi
  rm -f "$_w_tmp"
  gf_warn "could not write $META/state"
  return 1
}
`;
