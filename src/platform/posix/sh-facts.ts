// The facts script, host side. Read-only: it creates, changes and removes nothing (not even
// directories). Prints `key=value` lines, values percent-encoded (lists: items encoded, joined by ,).
// parse-facts.ts maps them to HostFacts. Keys:
//   uname_s uname_m uname_r os_pretty user uid sudo
//   go_path go_version go_goroot go_gopath go_goversion   (the go on the login PATH, if any; see
//                                                         sh-login-go.ts for whose login PATH)
//   goroot_path goroot_state goroot_target goroot_version goroot_go_version
//   managed_versions managed_active managed_previous free_kb writable
//   lock (1 when present) lock_pid lock_run lock_since lock_stale cached
// Every go command is capped at 10 s: go_version / goroot_go_version are empty when it does not answer.

export const SH_FACTS = `# --- facts ------------------------------------------------------------------------
# gf_fact KEY VALUE
gf_fact() {
  printf '%s=%s\\n' "$1" "$(gf_enc "$2")"
}

# gf_fact_list KEY ITEM...: items encoded one by one, joined by commas.
gf_fact_list() {
  _fl_k=$1
  shift
  _fl_v=
  for _fl_i in "$@"; do
    _fl_v="\${_fl_v:+$_fl_v,}$(gf_enc "$_fl_i")"
  done
  printf '%s=%s\\n' "$_fl_k" "$_fl_v"
}

gf_facts_system() {
  gf_fact uname_s "$(uname -s 2>/dev/null)"
  gf_fact uname_m "$(uname -m 2>/dev/null)"
  gf_fact uname_r "$(uname -r 2>/dev/null)"
  _fs_pretty=
  if [ -r /etc/os-release ]; then
    _fs_pretty=$(sed -n 's/^PRETTY_NAME=//p' /etc/os-release | head -n 1 | sed -e 's/^["]//' -e 's/["]$//')
  fi
  if [ -z "$_fs_pretty" ] && command -v sw_vers >/dev/null 2>&1; then
    _fs_pretty="$(sw_vers -productName 2>/dev/null) $(sw_vers -productVersion 2>/dev/null)"
  fi
  gf_fact os_pretty "$_fs_pretty"
  gf_fact user "$(id -un 2>/dev/null)"
  _fs_uid=$(id -u 2>/dev/null)
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
  gf_fact go_goroot "$(printf '%s\\n' "$_fg_env" | sed -n 1p)"
  gf_fact go_gopath "$(printf '%s\\n' "$_fg_env" | sed -n 2p)"
  gf_fact go_goversion "$(printf '%s\\n' "$_fg_env" | sed -n 3p)"
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
  gf_fact goroot_version "$(gf_first_line "$G_ROOT/VERSION")"
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
  gf_fact managed_active "$(gf_active)"
  _fm_prev=$(gf_state_get previous)
  gf_valid_version "$_fm_prev" || _fm_prev=
  gf_fact managed_previous "$_fm_prev"
  gf_fact free_kb "$(gf_free_kb "$VDIR")"
  if [ -w "$(gf_nearest "$VDIR")" ] && [ -w "$(gf_nearest "$(gf_dir "$G_ROOT")")" ]; then
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
    if gf_alive "$_fm_pid"; then gf_fact lock_stale 0; else gf_fact lock_stale 1; fi
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

gf_facts() {
  gf_facts_system
  gf_facts_go
  gf_facts_goroot
  gf_facts_managed
  return 0
}
`;
