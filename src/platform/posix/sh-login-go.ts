// Which go the login PATH finds, host side; shared by facts and verify so that both always agree.
// Whose login PATH: the connecting user's. Without become the script runs as that user and asks its
// own login shell ("${SHELL:-/bin/sh}" -lc). Under become (`sudo -n sh -s`: root, with $SUDO_USER
// set to the connecting user) it asks that user's login shell with `su - "$SUDO_USER" -c`, so root's
// PATH is not mistaken for the user's; when su does not run (a nologin shell, no su, PAM refuses, cap
// reached) it falls back to this shell's own login PATH (LOGIN_WHO says whose PATH was read).
// The probe prints markers around `command -v go`, so output of profile files is never taken for a
// path and a shell that did not run the probe is told apart from a PATH without go.
// Each probe has stdin from /dev/null and is capped at 20 s.

export const SH_LOGIN_GO = `# --- login PATH ---------------------------------------------------------------------
# gf_login_go: LOGIN_GO = the absolute path the login PATH finds go at (empty: none); LOGIN_WHO = whose PATH.
gf_login_go() {
  LOGIN_GO=
  LOGIN_WHO=
  _lg_probe='echo @@gofleet-login-start; command -v go; echo @@gofleet-login-end'
  if [ -n "\${SUDO_USER:-}" ] && [ "$SUDO_USER" != root ] && [ "$(id -u 2>/dev/null)" = 0 ] && command -v su >/dev/null 2>&1; then
    _lg_out=$(gf_capped 20 su - "$SUDO_USER" -c "$_lg_probe" </dev/null 2>/dev/null)
    if gf_login_parse "$_lg_out"; then
      LOGIN_WHO=$SUDO_USER
      return 0
    fi
  fi
  _lg_out=$(gf_capped 20 "\${SHELL:-/bin/sh}" -lc "$_lg_probe" </dev/null 2>/dev/null)
  gf_login_parse "$_lg_out"
  LOGIN_WHO=$(id -un 2>/dev/null)
  return 0
}

# gf_login_parse OUTPUT: did the probe run? If so set LOGIN_GO from what it printed between the markers.
gf_login_parse() {
  case $1 in
    *@@gofleet-login-end*) ;;
    *) return 1 ;;
  esac
  _lp_go=$(printf '%s\\n' "$1" | awk '$0 == "@@gofleet-login-end" { print p; exit } s { p = $0 } $0 == "@@gofleet-login-start" { s = 1; p = "" }')
  case $_lp_go in
    /*) LOGIN_GO=$_lp_go ;;
  esac
  return 0
}
`;
