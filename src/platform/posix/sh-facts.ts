// The facts script, host side. Read-only: it creates, changes and removes nothing (not even
// directories). Prints `key=value` lines, values percent-encoded (lists: items encoded, joined by ,).
// parse-facts.ts maps them to HostFacts. Keys:
//   uname_s uname_m uname_r os_pretty user uid sudo
//   go_path go_version go_goroot go_gopath go_goversion go_gotoolchain   (the go on the login PATH, if any; see
//                                                         sh-login-go.ts for whose login PATH)
//   goroot_path goroot_state goroot_target goroot_version goroot_go_version
//   managed_versions managed_active managed_previous free_kb writable
//   unverified failed_versions                          (see sh-verify-state.ts)
//   lock (1 when present) lock_pid lock_run lock_since lock_stale cached
//   goroot_phys goroot_fs goroot_go vdir_phys vdir_fs managed_previous_link   (see sh-placement.ts)
//   busy                 (processes using goroot or a managed version: items `pid:exe`; see gf_facts_busy)
// Every go command is capped at 10 s: go_version / goroot_go_version are empty when it does not answer.

export const SH_FACTS = `# --- facts ------------------------------------------------------------------------
# gf_fact KEY VALUE
# (no process: short plain values print as they are, others go through gf_enc straight to stdout)
gf_fact() {
  case $2 in
    *[!0-9A-Za-z._~/:@+-]*) ;;
    *) if [ "\${#2}" -le 2000 ]; then printf '%s=%s\\n' "$1" "$2"; return 0; fi ;;
  esac
  printf '%s=' "$1"
  gf_enc "$2"
  printf '\\n'
}

# gf_fact_list KEY ITEM...: items encoded one by one, joined by commas.
gf_fact_list() {
  printf '%s=' "$1"
  shift
  _fl_sep=
  for _fl_i in "$@"; do
    printf '%s' "$_fl_sep"
    gf_enc "$_fl_i"
    _fl_sep=,
  done
  printf '\\n'
}

# gf_uname: UNAME_S UNAME_M UNAME_R from one uname (three when its answer is not three words).
gf_uname() {
  _un_out=$(uname -s -r -m 2>/dev/null)
  set -f
  set -- $_un_out
  set +f
  if [ "$#" -eq 3 ]; then
    UNAME_S=$1
    UNAME_R=$2
    UNAME_M=$3
  else
    UNAME_S=$(uname -s 2>/dev/null)
    UNAME_M=$(uname -m 2>/dev/null)
    UNAME_R=$(uname -r 2>/dev/null)
  fi
}

# gf_os_pretty: OS_PRETTY = PRETTY_NAME of /etc/os-release without its quotes (macOS: sw_vers).
gf_os_pretty() {
  OS_PRETTY=
  if [ -r /etc/os-release ]; then
    while _op_l= && IFS= read -r _op_l || [ -n "$_op_l" ]; do
      case $_op_l in
        PRETTY_NAME=*) OS_PRETTY=\${_op_l#PRETTY_NAME=}; break ;;
      esac
    done </etc/os-release
    _op_q='"'
    OS_PRETTY=\${OS_PRETTY#"$_op_q"}
    OS_PRETTY=\${OS_PRETTY%"$_op_q"}
  fi
  if [ -z "$OS_PRETTY" ] && command -v sw_vers >/dev/null 2>&1; then
    OS_PRETTY="$(sw_vers -productName 2>/dev/null) $(sw_vers -productVersion 2>/dev/null)"
  fi
}

gf_facts_system() {
  gf_uname
  gf_fact uname_s "$UNAME_S"
  gf_fact uname_m "$UNAME_M"
  gf_fact uname_r "$UNAME_R"
  gf_os_pretty
  gf_fact os_pretty "$OS_PRETTY"
  gf_whoami
  gf_fact user "$GF_USER"
  _fs_uid=$GF_UID
  gf_fact uid "$_fs_uid"
  if [ "$_fs_uid" = 0 ]; then
    _fs_sudo=n/a
  elif ! command -v sudo >/dev/null 2>&1; then
    _fs_sudo=missing
  elif sudo -n true >/dev/null 2>&1 </dev/null; then
    _fs_sudo=nopasswd
  else
    _fs_sudo=password-required
  fi
  gf_fact sudo "$_fs_sudo"
}

gf_facts_go() {
  LOGIN_VERSION=
  gf_login_go
  gf_fact go_path "$LOGIN_GO"
  [ -n "$LOGIN_GO" ] || return 0
  LOGIN_VERSION=$(gf_go_version "$LOGIN_GO" 10)
  gf_fact go_version "$LOGIN_VERSION"
  _fg_env=$(gf_capped 10 gf_go "$LOGIN_GO" env GOROOT GOPATH GOVERSION 2>/dev/null)
  # its lines 1, 2 and 3 (empty when missing)
  _fg_rest=$_fg_env$GF_NL
  for _fg_k in go_goroot go_gopath go_goversion; do
    gf_fact "$_fg_k" "\${_fg_rest%%"$GF_NL"*}"
    _fg_rest=\${_fg_rest#*"$GF_NL"}
  done
  gf_login_gotoolchain "\${_fg_env%%"$GF_NL"*}"
  [ -z "$LOGIN_TC_OK" ] || gf_fact go_gotoolchain "$LOGIN_GOTOOLCHAIN"
}

gf_facts_goroot() {
  gf_fact goroot_path "$G_ROOT"
  if [ -L "$G_ROOT" ]; then
    gf_fact goroot_state link
    gf_fact goroot_target "$(readlink "$G_ROOT")"
  elif [ -d "$G_ROOT" ]; then
    gf_fact goroot_state dir
  elif [ -e "$G_ROOT" ]; then
    gf_fact goroot_state other
  else
    gf_fact goroot_state missing
  fi
  gf_read_first "$G_ROOT/VERSION"
  gf_fact goroot_version "$FIRST_LINE"
  # what its go answers (the name of the directory may lie); the login go's answer when it is the same file
  if [ -n "$LOGIN_GO" ] && [ "$LOGIN_GO" = "$G_ROOT/bin/go" ]; then
    gf_fact goroot_go_version "$LOGIN_VERSION"
  elif [ -f "$G_ROOT/bin/go" ]; then
    gf_fact goroot_go_version "$(gf_go_version "$G_ROOT/bin/go" 10)"
  else
    gf_fact goroot_go_version ''
  fi
}

gf_facts_managed() {
  set --
  for _fm_d in "$VDIR"/go*; do
    _fm_n=\${_fm_d##*/}
    [ -d "$_fm_d" ] && [ -f "$_fm_d/bin/go" ] && [ -f "$_fm_d/VERSION" ] && gf_valid_version "$_fm_n" && set -- "$@" "$_fm_n"
  done
  gf_fact_list managed_versions "$@"
  _fm_active=$(gf_active)
  gf_fact managed_active "$_fm_active"
  gf_facts_verify_state
  gf_state_read previous
  _fm_prev=$STATE_VALUE
  gf_valid_version "$_fm_prev" || _fm_prev=
  gf_fact managed_previous "$_fm_prev"
  gf_fact free_kb "$(gf_free_kb "$VDIR")"
  _fm_up=\${G_ROOT%/*}
  if gf_nearest_set "$VDIR" && [ -w "$NEAREST" ] && gf_nearest_set "\${_fm_up:-/}" && [ -w "$NEAREST" ]; then
    gf_fact writable 1
  else
    gf_fact writable 0
  fi
  if [ -d "$META/lock" ]; then
    _fm_info=$(cat "$META/lock/info" 2>/dev/null)
    _fm_pid=$(gf_field pid "$_fm_info")
    gf_fact lock 1
    gf_fact lock_pid "$_fm_pid"
    gf_fact lock_run "$(gf_field run "$_fm_info")"
    gf_fact lock_since "$(gf_field since "$_fm_info")"
    if gf_holder_gone "$_fm_info"; then gf_fact lock_stale 1; else gf_fact lock_stale 0; fi
  fi
  set --
  for _fm_f in "$CACHE_DIR"/*; do
    _fm_n=\${_fm_f##*/}
    case $_fm_n in
      *.part-* | .*) continue ;;
    esac
    [ -f "$_fm_f" ] && set -- "$@" "$_fm_n"
  done
  gf_fact_list cached "$@"
}

# gf_facts_verify_state: unverified (goroot links to a version whose switch was never verified: the state file
# still records it pending) and failed_versions (marked in <meta>/failed; see sh-verify-state.ts).
gf_facts_verify_state() {
  gf_state_read verify_pending
  if [ -n "$STATE_VALUE" ] && [ "$STATE_VALUE" = "$_fm_active" ]; then gf_fact unverified "$STATE_VALUE"; else gf_fact unverified ''; fi
  set --
  for _fv_f in "$META"/failed/go*; do
    _fv_n=\${_fv_f##*/}
    [ -f "$_fv_f" ] && gf_valid_version "$_fv_n" && set -- "$@" "$_fv_n"
  done
  gf_fact_list failed_versions "$@"
}

# gf_facts_busy: processes using goroot (physical) or a managed version tree (see sh-busy.ts).
gf_facts_busy() {
  set --
  _fb_g=$(gf_phys "$G_ROOT")
  [ -n "$_fb_g" ] && set -- "$_fb_g"
  _fb_v=$(gf_phys "$VDIR")
  if [ -n "$_fb_v" ]; then
    for _fb_d in "$VDIR"/go*; do
      _fb_n=\${_fb_d##*/}
      [ -d "$_fb_d" ] && [ ! -L "$_fb_d" ] && gf_valid_version "$_fb_n" || continue
      set -- "$@" "$_fb_v/$_fb_n"
    done
  fi
  gf_busy "$@"
  _fb_ifs=$IFS
  IFS=$GF_NL
  set -f
  set -- $BUSY_PROCS
  set +f
  IFS=$_fb_ifs
  gf_fact_list busy "$@"
}

gf_facts() {
  gf_facts_system
  gf_facts_go
  gf_facts_goroot
  gf_facts_placement
  gf_facts_managed
  gf_facts_busy
  return 0
}
`;
