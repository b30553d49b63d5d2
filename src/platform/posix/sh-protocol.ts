// The output protocol of mutating scripts, host side. One line each, on stdout:
//   @@gofleet step <name> <start|ok|fail|skip> [code=<CODE>] [msg=<enc>]
//   @@gofleet outcome result=<..> active=<v|-> previous=<v|-> [code=..] [msg=..] [removed=v1,v2] [warn=<enc>]...
// parse-run.ts reads it back. Nothing else a script prints on stdout matters.

export const SH_PROTOCOL = `# --- output protocol (parsed by parse-run.ts) -------------------------------
# gf_step NAME STATUS [CODE] [MESSAGE]
gf_step() {
  _s_line="@@gofleet step $1 $2"
  [ -n "\${3:-}" ] && _s_line="$_s_line code=$3"
  [ -n "\${4:-}" ] && _s_line="$_s_line msg=$(gf_enc "$4")"
  printf '%s\\n' "$_s_line"
}

# gf_fail STEP CODE MESSAGE: report a failed step and remember why for the outcome line.
gf_fail() {
  FAIL_CODE=$2
  FAIL_MSG=$3
  gf_step "$1" fail "$2" "$3"
  return 1
}

# gf_warn MESSAGE: a warning carried on the outcome line.
gf_warn() {
  WARNS="$WARNS warn=$(gf_enc "$1")"
}

# gf_interrupted STEP: at a safe point, stop when INT or TERM arrived (reported as STEP fail INTERRUPTED).
gf_interrupted() {
  [ -n "\${GF_SIGNAL:-}" ] || return 1
  gf_fail "$1" INTERRUPTED "stopped on SIG$GF_SIGNAL before $1; goroot was not changed"
  return 0
}

# gf_outcome RESULT ACTIVE PREVIOUS [CODE] [MESSAGE] [REMOVED]
gf_outcome() {
  _o_line="@@gofleet outcome result=$1 active=$(gf_enc "\${2:--}") previous=$(gf_enc "\${3:--}")"
  [ -n "\${4:-}" ] && _o_line="$_o_line code=$4"
  [ -n "\${5:-}" ] && _o_line="$_o_line msg=$(gf_enc "$5")"
  [ -n "\${6:-}" ] && _o_line="$_o_line removed=$6"
  if [ -n "\${GF_SIGNAL:-}" ] && [ "\${4:-}" != INTERRUPTED ]; then
    gf_warn "SIG$GF_SIGNAL arrived after changes had begun; the script finished them (verified or rolled back) before stopping"
  fi
  printf '%s%s\\n' "$_o_line" "$WARNS"
}
`;
