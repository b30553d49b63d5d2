// The facts script, host side. Read-only: it creates, changes and removes nothing (not even
// directories). Prints `key=value` lines, values percent-encoded (lists: items encoded, joined by ,).
// parse-facts.ts maps them to HostFacts. Keys:
//   uname_s uname_m uname_r os_pretty user uid sudo
//   go_path go_version go_goroot go_gopath go_goversion   (the go on the login PATH, if any; see
//                                                         sh-login-go.ts for whose login PATH)
//   goroot_path goroot_state goroot_target goroot_version goroot_go_version
//   managed_versions managed_active managed_previous free_kb writable
//   lock (1 when present) lock_pid lock_run lock_since lock_stale cached
//   busy                 (processes using goroot or a managed version: items `pid:exe`; see gf_facts_busy)
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

# gf_busy_scan: one pass over the process table, as records for gf_busy_match:
#   T pid ppid | exe pid path | cwd pid path | M pid path (a mapped file; macOS: any open file).
# Linux: one cat of /proc/*/stat, one ls of /proc/*/exe and cwd, one grep of /proc/*/maps (for the
# directories in GF_BUSY_DIRS, given as arguments). Elsewhere: ps + lsof when present (best effort).
gf_busy_scan() {
  if [ -r /proc/self/stat ]; then
    cat /proc/[0-9]*/stat 2>/dev/null | awk '{ p = $1; sub(/^.*\\) /, ""); print "T", p, $2 }'
    ls -l /proc/[0-9]*/exe /proc/[0-9]*/cwd 2>/dev/null | sed -n 's|^.* /proc/\\([0-9]*\\)/\\([a-z]*\\) -> |\\2 \\1 |p'
    set -f
    for _bs_d in "$@"; do set -- "$@" -e "$_bs_d"; shift; done
    set +f
    grep -H -F "$@" /proc/[0-9]*/maps 2>/dev/null | sed -n 's|^/proc/\\([0-9]*\\)/maps:[^/]*\\(/.*\\)$|M \\1 \\2|p'
  else
    ps -A -o pid= -o ppid= 2>/dev/null | awk 'NF >= 2 { print "T", $1, $2 }'
    if command -v lsof >/dev/null 2>&1; then
      lsof -n -P -w -F pfn 2>/dev/null | awk '
        /^p/ { p = substr($0, 2); f = ""; x = 0; next }
        /^f/ { f = substr($0, 2); next }
        /^n/ {
          n = substr($0, 2)
          if (f == "txt" && !x) { print "exe", p, n; x = 1 }
          else if (f == "cwd") print "cwd", p, n
          else print "M", p, n
        }'
    fi
  fi
}

# gf_busy_match SELF: records on stdin -> \`pid:exe\` lines for processes (not SELF, its ancestors or
# its descendants) whose executable, working directory or a mapped file lies inside a directory of
# GF_BUSY_DIRS (newline-separated). At most 50.
gf_busy_match() {
  GF_BUSY_SELF=$1 awk '
    function inside(path,    i, n, c) {
      for (i = 1; i <= nd; i++) {
        n = length(d[i]); c = substr(path, n + 1, 1)
        if (substr(path, 1, n) == d[i] && (c == "" || c == "/" || c == " ")) return 1
      }
      return 0
    }
    BEGIN { nd = split(ENVIRON["GF_BUSY_DIRS"], d, "\\n"); self = ENVIRON["GF_BUSY_SELF"] }
    {
      k = $1; p = $2; v = $0; sub(/^[^ ]* [^ ]* /, "", v)
      if (k == "T") { par[p] = $3; kids[$3] = kids[$3] " " p; next }
      if (k == "exe") exe[p] = v
      if (inside(v)) if (!(p in hit)) { hit[p] = v; order[++nh] = p }
    }
    END {
      skip[self] = 1
      for (q = par[self]; q != "" && !(q in skip); q = par[q]) skip[q] = 1
      n = 1; st[1] = self
      for (i = 1; i <= n; i++) {
        m = split(kids[st[i]], a, " ")
        for (j = 1; j <= m; j++) if (!(a[j] in skip)) { skip[a[j]] = 1; st[++n] = a[j] }
      }
      out = 0
      for (i = 1; i <= nh && out < 50; i++) {
        p = order[i]
        if (p in skip) continue
        print p ":" ((p in exe) ? exe[p] : hit[p]); out++
      }
    }'
}

# gf_facts_busy: processes using goroot (physical) or a managed version tree.
gf_facts_busy() {
  GF_BUSY_DIRS=
  _fb_g=$(gf_phys "$G_ROOT")
  [ -n "$_fb_g" ] && GF_BUSY_DIRS=$_fb_g
  _fb_v=$(gf_phys "$VDIR")
  if [ -n "$_fb_v" ]; then
    for _fb_d in "$VDIR"/go*; do
      _fb_n=\${_fb_d##*/}
      [ -d "$_fb_d" ] && [ ! -L "$_fb_d" ] && gf_valid_version "$_fb_n" || continue
      GF_BUSY_DIRS="\${GF_BUSY_DIRS:+$GF_BUSY_DIRS
}$_fb_v/$_fb_n"
    done
  fi
  if [ -z "$GF_BUSY_DIRS" ]; then
    gf_fact busy ''
    return 0
  fi
  export GF_BUSY_DIRS
  _fb_self=$$
  # from / so that the scan's own processes hold no working directory inside a version
  _fb_out=$(cd / && _fb_ifs=$IFS && IFS='
' && set -f && set -- $GF_BUSY_DIRS && IFS=$_fb_ifs && set +f && gf_busy_scan "$@" | gf_busy_match "$_fb_self")
  _fb_ifs=$IFS
  IFS='
'
  set -f
  set -- $_fb_out
  set +f
  IFS=$_fb_ifs
  gf_fact_list busy "$@"
  unset GF_BUSY_DIRS
}

gf_facts() {
  gf_facts_system
  gf_facts_go
  gf_facts_goroot
  gf_facts_managed
  gf_facts_busy
  return 0
}
`;
