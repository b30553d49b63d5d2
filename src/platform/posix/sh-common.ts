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

# gf_nearest PATH: PATH itself when it exists, else its nearest existing ancestor.
gf_nearest() {
  _n_p=$1
  while [ ! -e "$_n_p" ] && [ ! -L "$_n_p" ]; do
    case $_n_p in
      */*) _n_p=\${_n_p%/*}; [ -n "$_n_p" ] || _n_p=/ ;;
      *) _n_p=. ;;
    esac
  done
  printf '%s\\n' "$_n_p"
}

# gf_free_kb PATH: available KiB in the filesystem holding PATH (or its nearest existing ancestor).
# The column before "Capacity" (NN%) is "Available"; counting from the right survives device names with spaces.
gf_free_kb() {
  df -Pk "$(gf_nearest "$1")" 2>/dev/null | awk 'NR == 2 { for (i = NF; i > 1; i--) if ($i ~ /%$/) { if ($(i - 1) ~ /^[0-9]+$/) print $(i - 1); exit } }'
}

# gf_first_line FILE: the first line of FILE without trailing blanks, or nothing.
gf_first_line() {
  [ -f "$1" ] && [ -r "$1" ] || return 0
  awk 'NR == 1 { sub(/[ \\t\\r]+$/, ""); print; exit }' "$1" 2>/dev/null
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
  [ -f "$1/bin/go" ] && [ "$(gf_first_line "$1/VERSION")" = "$2" ]
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

# gf_go GO ARGS...: run a go command with GOTOOLCHAIN=local (never a toolchain download).
# (GOROOT, GOFLAGS, GOOS, GOARCH, ... from outside are unset once at the start of every script.)
gf_go() {
  (
    GOTOOLCHAIN=local
    export GOTOOLCHAIN
    "$@"
  ) </dev/null
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

# gf_state_get KEY: a value from <versionsDir>/.gofleet/state (key=value lines), or nothing.
gf_state_get() {
  [ -f "$META/state" ] || return 0
  sed -n "s/^$1=//p" "$META/state" 2>/dev/null | head -n 1
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
  printf '%s\\n' "$2" | tr ' ' '\\n' | sed -n "s/^$1=//p" | head -n 1
}

`;
