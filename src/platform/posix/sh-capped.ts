// Running a command with a time cap, host side (there is no timeout(1) on macOS).
// gf_capped runs the command in the background and a watcher beside it. When the cap runs out the
// watcher stops the command and EVERYTHING it started: a capped `go build` is a shell function ->
// subshell -> go -> compile, and a fake or wrapper `go` may be a script whose children would keep
// a command substitution's pipe open (the script would then wait forever even though the top process
// died). The process tree is read from /proc (Linux) or `ps -A -o pid= -o ppid=` (macOS, BSD):
// TERM to all of it at once, then KILL to whatever is still running (zombies do not count) after
// 5 s. gf_capped returns the command's status, or 124 (as timeout(1) does) when the cap ran out; a
// command that itself exits 124 reads the same (callers say "timed out" for 124).

export const SH_CAPPED = `# --- time caps --------------------------------------------------------------------
# gf_capped SECONDS CMD...: run CMD (a command or a function); after SECONDS stop it and every process
# it started. Status: CMD's, or 124 when the time ran out.
gf_capped() {
  _c_s=$1
  shift
  "$@" &
  _c_p=$!
  (
    # USR1 from gf_capped = CMD ended in time: stop the watch sleep (KILL: a sleep just forked may not have
    # reset the shell's traps yet and would lose a catchable signal) and reap it before leaving. USR1, not
    # TERM: the scripts trap TERM, and a TERM that reached this subshell before its own trap was set went to
    # that inherited trap and was lost -- gf_capped then waited for the whole cap. USR1 is not trapped
    # there, so an early one just ends this subshell (no sleep started yet). A USR1 between the start of the
    # sleep and $! being read only sets _c_stop, seen right after. TERM (an interrupt sent to the whole
    # process group) is handled the same way.
    _c_z=
    _c_stop=
    trap '_c_stop=1; [ -z "$_c_z" ] || { kill -KILL "$_c_z" 2>/dev/null; wait "$_c_z"; exit 0; }' USR1 TERM
    sleep "$_c_s" &
    _c_z=$!
    if [ -n "$_c_stop" ]; then
      kill -KILL "$_c_z" 2>/dev/null
      wait "$_c_z"
      exit 0
    fi
    wait "$_c_z"
    trap '' USR1 TERM
    [ -z "$_c_stop" ] || exit 0
    gf_kill_tree "$_c_p"
    exit 124
  ) >/dev/null 2>&1 </dev/null &
  _c_w=$!
  wait "$_c_p"
  _c_rc=$?
  kill -USR1 "$_c_w" 2>/dev/null
  wait "$_c_w" 2>/dev/null
  [ "$?" -eq 124 ] && return 124
  return "$_c_rc"
}

# gf_pids_under PID: PID and every process below it, one a line (parents before children).
gf_pids_under() {
  if [ -r /proc/self/stat ]; then
    # "pid (comm) state ppid ...": comm may hold spaces and parentheses; cut up to the last ") "
    cat /proc/[0-9]*/stat 2>/dev/null | awk '{ p = $1; sub(/^.*\\) /, ""); print p, $2 }'
  else
    ps -A -o pid= -o ppid= 2>/dev/null
  fi | awk -v r="$1" '
    { c[$2] = c[$2] " " $1 }
    END {
      n = 1; q[1] = r; s[r] = 1
      for (i = 1; i <= n; i++) {
        k = split(c[q[i]], a, " ")
        for (j = 1; j <= k; j++) if (!(a[j] in s)) { s[a[j]] = 1; q[++n] = a[j] }
      }
      for (i = 1; i <= n; i++) print q[i]
    }'
}

# gf_kill_tree PID: TERM PID and everything below it at once; KILL what is still running after 5 s.
gf_kill_tree() {
  _k_pids=$(gf_pids_under "$1")
  [ -n "$_k_pids" ] || _k_pids=$1
  kill -TERM $_k_pids 2>/dev/null
  _k_n=0
  while :; do
    _k_live=
    for _k_p in $_k_pids; do
      gf_running "$_k_p" && _k_live="$_k_live $_k_p"
    done
    [ -n "$_k_live" ] || return 0
    [ "$_k_n" -lt 5 ] || break
    sleep 1
    _k_n=$((_k_n + 1))
  done
  kill -KILL $_k_live 2>/dev/null
  return 0
}

# gf_running PID: is PID alive and not a zombie? (An orphan stays a zombie until init reaps it,
# which some inits do only now and then; kill -0 cannot tell.)
gf_running() {
  kill -0 "$1" 2>/dev/null || return 1
  if [ -r "/proc/$1/stat" ]; then
    _g_st=
    read -r _g_st <"/proc/$1/stat" 2>/dev/null
    _g_st=\${_g_st##*) }
  else
    _g_st=$(ps -o stat= -p "$1" 2>/dev/null)
  fi
  case $_g_st in
    Z* | X* | ' Z'*) return 1 ;;
  esac
  return 0
}
`;
