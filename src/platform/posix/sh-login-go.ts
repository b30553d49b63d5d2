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
  gf_whoami
  if [ -n "\${SUDO_USER:-}" ] && [ "$SUDO_USER" != root ] && [ "$GF_UID" = 0 ] && command -v su >/dev/null 2>&1; then
    _lg_out=$(gf_capped 20 su - "$SUDO_USER" -c "$_lg_probe" </dev/null 2>/dev/null)
    if gf_login_parse "$_lg_out"; then
      LOGIN_WHO=$SUDO_USER
      return 0
    fi
  fi
  _lg_out=$(gf_capped 20 "\${SHELL:-/bin/sh}" -lc "$_lg_probe" </dev/null 2>/dev/null)
  gf_login_parse "$_lg_out"
  LOGIN_WHO=$GF_USER
  return 0
}

# gf_login_parse OUTPUT: did the probe run? If so set LOGIN_GO from what it printed between the markers:
# the line just before the first line that is the end marker, when a start-marker line came before it
# and is not that line itself. Parameter expansion only (no process).
gf_login_parse() {
  case $1 in
    *@@gofleet-login-end*) ;;
    *) return 1 ;;
  esac
  _lp_t="$GF_NL$1$GF_NL"
  case $_lp_t in
    *"$GF_NL@@gofleet-login-end$GF_NL"*) ;;
    *) return 0 ;;
  esac
  _lp_before=\${_lp_t%%"$GF_NL@@gofleet-login-end$GF_NL"*}
  case "$_lp_before$GF_NL" in
    *"$GF_NL@@gofleet-login-start$GF_NL"*) ;;
    *) return 0 ;;
  esac
  _lp_go=\${_lp_before##*"$GF_NL"}
  case $_lp_go in
    /*) LOGIN_GO=$_lp_go ;;
  esac
  return 0
}
`;

/** GOTOOLCHAIN of the login environment, for the facts only (drift compares it with the policy). */
export const SH_LOGIN_GOTOOLCHAIN = `# gf_login_gotoolchain GOROOT: LOGIN_GOTOOLCHAIN = GOTOOLCHAIN as go sees it in a login shell of LOGIN_WHO (facts only):
# the login environment's, else the user's go env file (go env -w; $GOENV, else the user config dir), else
# GOROOT/go.env. No go command runs (a forced GOTOOLCHAIN would make it download). LOGIN_TC_OK=1 when the probe
# ran (a login shell that is not sh-like, fish or csh, cannot run it: the fact is then left out).
gf_login_gotoolchain() {
  LOGIN_GOTOOLCHAIN=
  LOGIN_TC_OK=
  _lt_probe='echo @@gofleet-tc-start; if [ -n "\${GOTOOLCHAIN+x}" ]; then echo "env:$GOTOOLCHAIN"; fi
case $(uname) in Darwin) _d="$HOME/Library/Application Support" ;; *) _d=\${XDG_CONFIG_HOME:-$HOME/.config} ;; esac
_f=\${GOENV:-$_d/go/env}; if [ "$_f" != off ] && [ -f "$_f" ]; then sed -n "s/^GOTOOLCHAIN=/file:/p" "$_f"; fi; echo @@gofleet-tc-end'
  if [ -n "$LOGIN_WHO" ] && [ "$LOGIN_WHO" != "$GF_USER" ]; then
    _lt_out=$(gf_capped 20 su - "$LOGIN_WHO" -c "$_lt_probe" </dev/null 2>/dev/null)
  else
    _lt_out=$(gf_capped 20 "\${SHELL:-/bin/sh}" -lc "$_lt_probe" </dev/null 2>/dev/null)
  fi
  _lt_lines=$(printf '%s\\n' "$_lt_out" | sed -n '/^@@gofleet-tc-start$/,/^@@gofleet-tc-end$/p')
  case $_lt_lines in
    *@@gofleet-tc-end) LOGIN_TC_OK=1 ;;
    *) return 0 ;;
  esac
  _lt_env=$(printf '%s\\n' "$_lt_lines" | sed -n 's/^env://p' | tail -n 1)
  _lt_file=$(printf '%s\\n' "$_lt_lines" | sed -n 's/^file://p' | tail -n 1)
  if printf '%s\\n' "$_lt_lines" | grep -q '^env:'; then
    LOGIN_GOTOOLCHAIN=$_lt_env
  elif [ -n "$_lt_file" ]; then
    LOGIN_GOTOOLCHAIN=$_lt_file
  elif [ -f "$1/go.env" ]; then
    LOGIN_GOTOOLCHAIN=$(sed -n 's/^GOTOOLCHAIN=//p' "$1/go.env" | tail -n 1)
  fi
  return 0
}
`;
