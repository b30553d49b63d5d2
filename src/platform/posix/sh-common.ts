// Shell helpers shared by every POSIX script (facts, upgrade, switch, prune).
// Plain POSIX sh: no `local`, no bashisms, no GNU-only flags; variables of a helper carry its
// prefix (_r_ for gf_resolve, ...) because sh has no local variables. Tested under dash and busybox.

/** Percent-encoding, protocol lines and small path/process helpers. */
export const SH_COMMON = `# --- common helpers ---------------------------------------------------------
# gf_enc TEXT: percent-encode (the last 2000 bytes of) TEXT for one protocol field.
gf_enc() {
  # fast path, no process: short values made only of characters that need no encoding (most facts)
  case $1 in
    *[!0-9A-Za-z._~/:@+-]*) ;;
    *) if [ "\${#1}" -le 2000 ]; then printf '%s' "$1"; return 0; fi ;;
  esac
  # printable ASCII (LC_ALL=C: one byte a character) up to 512 bytes: byte by byte with builtins, no process
  case $1 in
    *[![:print:]]*) ;;
    *) if [ "\${#1}" -le 512 ]; then gf_enc_ascii "$1"; return 0; fi ;;
  esac
  printf '%s' "$1" | tail -c 2000 | od -An -v -tx1 | awk '
    BEGIN { for (i = 0; i < 16; i++) hex[substr("0123456789abcdef", i + 1, 1)] = i }
    {
      for (i = 1; i <= NF; i++) {
        b = tolower($i); n = hex[substr(b, 1, 1)] * 16 + hex[substr(b, 2, 1)]
        if ((n >= 48 && n <= 57) || (n >= 65 && n <= 90) || (n >= 97 && n <= 122) || n == 45 || n == 46 || n == 95 || n == 126 || n == 47 || n == 58 || n == 64 || n == 43) printf "%c", n
        else printf "%%%s", toupper(b)
      }
    }'
}

# gf_enc_ascii TEXT: gf_enc for printable ASCII; \`printf %02X "'c"\` is the code of the character c.
gf_enc_ascii() {
  _ea_s=$1
  while [ -n "$_ea_s" ]; do
    _ea_r=\${_ea_s#?}
    _ea_c=\${_ea_s%"$_ea_r"}
    _ea_s=$_ea_r
    case $_ea_c in
      [0-9A-Za-z._~/:@+-]) printf '%s' "$_ea_c" ;;
      *) printf '%%%02X' "'$_ea_c" ;;
    esac
  done
}

# gf_dir PATH: the directory part of PATH (like dirname, without a process).
gf_dir() {
  case $1 in
    */*) _d_d=\${1%/*}; printf '%s\\n' "\${_d_d:-/}" ;;
    *) printf '.\\n' ;;
  esac
}

# gf_phys DIR: the physical path of an existing directory, or nothing.
gf_phys() {
  [ -n "$1" ] || return 1
  (cd -P "$1" 2>/dev/null && pwd -P)
}

# gf_resolve FILE: follow symlinks hop by hop (readlink without -f) and print the physical path.
gf_resolve() {
  _r_p=$1
  _r_n=0
  while [ -L "$_r_p" ] && [ "$_r_n" -lt 40 ]; do
    _r_t=$(readlink "$_r_p") || break
    case $_r_t in
      /*) _r_p=$_r_t ;;
      *) _r_p=$(gf_dir "$_r_p")/$_r_t ;;
    esac
    _r_n=$((_r_n + 1))
  done
  _r_d=$(gf_phys "$(gf_dir "$_r_p")")
  if [ -n "$_r_d" ]; then printf '%s/%s\\n' "\${_r_d%/}" "\${_r_p##*/}"; else printf '%s\\n' "$_r_p"; fi
}

# gf_nearest_set PATH: NEAREST = PATH itself when it exists, else its nearest existing ancestor.
gf_nearest_set() {
  NEAREST=$1
  while [ ! -e "$NEAREST" ] && [ ! -L "$NEAREST" ]; do
    case $NEAREST in
      */*) NEAREST=\${NEAREST%/*}; [ -n "$NEAREST" ] || NEAREST=/ ;;
      *) NEAREST=. ;;
    esac
  done
  return 0
}

# gf_nearest PATH: the same, printed.
gf_nearest() {
  gf_nearest_set "$1"
  printf '%s\\n' "$NEAREST"
}

# gf_free_kb PATH: available KiB in the filesystem holding PATH (or its nearest existing ancestor).
# The column before "Capacity" (NN%) is "Available"; counting from the right survives device names with spaces.
gf_free_kb() {
  _fk_out=$(df -Pk "$(gf_nearest "$1")" 2>/dev/null)
  case $_fk_out in
    *"$GF_NL"*) _fk_out=\${_fk_out#*"$GF_NL"}; _fk_out=\${_fk_out%%"$GF_NL"*} ;;
    *) return 0 ;;
  esac
  # the rightmost NN% field (fields 2..NF); the field before it must be a number
  _fk_prev=
  _fk_kb=
  set -f
  for _fk_w in $_fk_out; do
    case $_fk_w in
      *%) _fk_kb=$_fk_prev ;;
    esac
    _fk_prev=$_fk_w
  done
  set +f
  case $_fk_kb in
    '' | *[!0-9]*) return 0 ;;
  esac
  printf '%s\\n' "$_fk_kb"
}

# gf_read_first FILE: FIRST_LINE = the first line of FILE without trailing blanks, or nothing (no process).
gf_read_first() {
  FIRST_LINE=
  [ -f "$1" ] && [ -r "$1" ] || return 0
  IFS= read -r FIRST_LINE <"$1" 2>/dev/null
  while :; do
    case $FIRST_LINE in
      *[[:space:]]) FIRST_LINE=\${FIRST_LINE%?} ;;
      *) return 0 ;;
    esac
  done
}

# gf_first_line FILE: the same, printed.
gf_first_line() {
  gf_read_first "$1"
  [ -z "$FIRST_LINE" ] || printf '%s\\n' "$FIRST_LINE"
}

# gf_whoami: GF_UID and GF_USER (empty when the uid has no name) from one \`id\`, kept for the next call.
# The effective ids, as \`id -u\` / \`id -un\` print them (\`id\` adds euid= when they differ from the real ones).
gf_whoami() {
  [ -z "$GF_WHO" ] || return 0
  GF_WHO=1
  _w_id=$(id 2>/dev/null)
  case $_w_id in
    *" euid="*) _w_id=\${_w_id#*" euid="} ;;
    *) _w_id=\${_w_id#uid=} ;;
  esac
  GF_UID=\${_w_id%%[!0-9]*}
  GF_USER=
  case $_w_id in
    "$GF_UID("*) GF_USER=\${_w_id#"$GF_UID("}; GF_USER=\${GF_USER%%)*} ;;
  esac
  return 0
}

# gf_valid_version NAME: a plausible toolchain directory name (go1.27.3, go1.21rc2, ...).
gf_valid_version() {
  case $1 in
    go[0-9]*) ;;
    *) return 1 ;;
  esac
  case $1 in
    *[!A-Za-z0-9.+-]*) return 1 ;;
  esac
  return 0
}

# gf_complete DIR VERSION: DIR holds a complete toolchain of VERSION (bin/go and VERSION).
gf_complete() {
  [ -f "$1/bin/go" ] && gf_read_first "$1/VERSION" && [ "$FIRST_LINE" = "$2" ]
}

# gf_alive PID: is the process alive (also when it belongs to another user)?
gf_alive() {
  case $1 in
    '' | *[!0-9]*) return 1 ;;
  esac
  kill -0 "$1" 2>/dev/null && return 0
  [ -d "/proc/$1" ] && return 0
  [ -d /proc/self ] && return 1
  ps -p "$1" >/dev/null 2>&1
}

# gf_boot_id: BOOT_ID = this boot's identity (Linux: /proc/sys/kernel/random/boot_id; macOS/BSD: the
# seconds of \`sysctl -n kern.boottime\`), or nothing when the host tells neither. Read once per script.
gf_boot_id() {
  [ -z "\${GF_BOOT_READ:-}" ] || return 0
  GF_BOOT_READ=1
  BOOT_ID=
  if [ -r /proc/sys/kernel/random/boot_id ]; then
    IFS= read -r BOOT_ID </proc/sys/kernel/random/boot_id
  elif command -v sysctl >/dev/null 2>&1; then
    # { sec = 1764670000, usec = 123456 } Wed Dec  2 10:06:40 2026
    BOOT_ID=$(sysctl -n kern.boottime 2>/dev/null)
    case $BOOT_ID in
      *"sec = "*) BOOT_ID=\${BOOT_ID#*"sec = "}; BOOT_ID=\${BOOT_ID%%,*} ;;
      *) BOOT_ID= ;;
    esac
  fi
  case $BOOT_ID in
    *[!0-9A-Za-z-]*) BOOT_ID= ;;
  esac
  return 0
}

# gf_proc_start PID: PROC_START = when PID started, or nothing when unknown. Linux: field 22 of
# /proc/PID/stat (clock ticks since boot; the fields are counted after the command name, which may hold
# blanks and parentheses); elsewhere \`ps -o lstart=\` with its blanks turned into _.
gf_proc_start() {
  PROC_START=
  case $1 in
    '' | *[!0-9]*) return 0 ;;
  esac
  if [ -d /proc/self ]; then
    [ -r "/proc/$1/stat" ] || return 0
    _pst_l=
    IFS= read -r _pst_l <"/proc/$1/stat" 2>/dev/null
    _pst_l=\${_pst_l##*")"}
    set -f
    set -- $_pst_l
    set +f
    [ "$#" -ge 20 ] || return 0
    shift 19
    PROC_START=$1
  else
    _pst_l=$(ps -o lstart= -p "$1" 2>/dev/null)
    set -f
    for _pst_w in $_pst_l; do PROC_START=\${PROC_START:+\${PROC_START}_}$_pst_w; done
    set +f
  fi
  case $PROC_START in
    *[!0-9A-Za-z_:]*) PROC_START= ;;
  esac
  return 0
}

# gf_holder_gone INFO: the process a lock's INFO (pid= boot= start=) names is gone -- dead, from another
# boot, or its pid now belongs to a process that started at another time (pid reuse after a reboot).
# A lock without boot= / start= (written by an older gofleet) is judged by its pid alone, as before.
gf_holder_gone() {
  _hg_pid=$(gf_field pid "$1")
  gf_alive "$_hg_pid" || return 0
  _hg_boot=$(gf_field boot "$1")
  if [ -n "$_hg_boot" ]; then
    gf_boot_id
    [ -n "$BOOT_ID" ] && [ "$_hg_boot" != "$BOOT_ID" ] && return 0
  fi
  _hg_start=$(gf_field start "$1")
  if [ -n "$_hg_start" ]; then
    gf_proc_start "$_hg_pid"
    [ -n "$PROC_START" ] && [ "$_hg_start" != "$PROC_START" ] && return 0
  fi
  return 1
}

# gf_go GO ARGS...: run a go command with GOTOOLCHAIN=local (never a toolchain download).
# (GOROOT, GOFLAGS, GOOS, GOARCH, ... from outside are unset once at the start of every script.)
gf_go() {
  GOTOOLCHAIN=local "$@" </dev/null
}

# gf_go_version GO [SECONDS]: the version field of \`GO version\` (go1.27.3), or nothing; capped at
# SECONDS (default: CAP_CMD, the verify policy's cap for commands, else 60).
gf_go_version() {
  gf_capped "\${2:-\${CAP_CMD:-60}}" gf_go "$1" version 2>/dev/null | gf_version_field
}

# gf_version_field: the version field of \`go version\` output on stdin (go1.27.3), or nothing.
gf_version_field() {
  awk 'NR == 1 && $1 == "go" && $2 == "version" { print $3 }'
}

# gf_state_read KEY: STATE_VALUE = the first value of KEY in <versionsDir>/.gofleet/state (key=value
# lines), or nothing (no process).
gf_state_read() {
  STATE_VALUE=
  [ -f "$META/state" ] && [ -r "$META/state" ] || return 0
  while _sr_l= && IFS= read -r _sr_l || [ -n "$_sr_l" ]; do
    case $_sr_l in
      "$1"=*) STATE_VALUE=\${_sr_l#"$1"=}; return 0 ;;
    esac
  done <"$META/state"
  return 0
}

# gf_state_get KEY: the same, printed.
gf_state_get() {
  gf_state_read "$1"
  [ -z "$STATE_VALUE" ] || printf '%s\\n' "$STATE_VALUE"
}

# gf_active: the version the goroot link points at, when it points (physically) inside versionsDir.
gf_active() {
  [ -L "$G_ROOT" ] || return 0
  _a_p=$(gf_phys "$G_ROOT")
  _a_v=$(gf_phys "$VDIR")
  [ -n "$_a_p" ] && [ -n "$_a_v" ] || return 0
  case $_a_p in
    "$_a_v"/*) _a_n=\${_a_p#"$_a_v"/} ;;
    *) return 0 ;;
  esac
  gf_valid_version "$_a_n" && printf '%s\\n' "$_a_n"
  return 0
}

gf_now() {
  date -u +%Y-%m-%dT%H:%M:%SZ
}

# gf_field KEY TEXT: the value of KEY=... in a line of space-separated fields.
gf_field() {
  _fd_ifs=$IFS
  IFS=" $GF_NL"
  set -f
  for _fd_w in $2; do
    case $_fd_w in
      "$1"=*) printf '%s\\n' "\${_fd_w#"$1"=}"; break ;;
    esac
  done
  set +f
  IFS=$_fd_ifs
  return 0
}

`;
