// The standalone script's own parts (`gofleet script --os linux|darwin`): around the very upgrade flow the remote
// path runs (gf_switch_flow, sh-switch-flow.ts), a prologue that gets the archive to where that flow expects it
// (ARCHIVE = <versions_dir>/.gofleet/cache/<file>) and an epilogue that turns the protocol lines into a readable
// log and an exit code. Layout of a run:
//   gf_sa_main       arguments (set -u while parsing), log file, private temp dir (mktemp -d), then the steps with
//                    their stdout+stderr written into a FIFO that a background reader (gf_sa_follow) turns into log
//                    lines -- the steps stay in the main shell, so its INT/TERM traps and lock keep their meaning
//   gf_sa_steps      gf_read_current; the archive only when the flow will need it (gf_sa_need_archive); gf_switch_flow
//   gf_sa_fetch      cache hit, --archive FILE / GOFLEET_ARCHIVE, <file> beside the script, or curl/wget from URL;
//                    SHA-256 checked before anything under goroot or versions_dir changes; then copied into the
//                    cache, where the flow checks it once more before extracting it
//   gf_sa_exit       the outcome line -> the exit code table in the script header
// The background reader ignores INT/TERM/HUP (it ends at end of input), so a Ctrl-C still gets a full log.
// The detection script (gf_detect) is separate and tiny: one line on stdout when goroot's go answers the target.

export const SH_STANDALONE = `# --- standalone script (gofleet script) ---------------------------------------------
# gf_sa_bad MESSAGE: a bad argument (exit 5 follows).
gf_sa_bad() {
  printf 'gofleet script: %s\\n' "$1" >&2
  printf 'usage: %s [--archive FILE] [--log FILE] [--help]\\n' "$0" >&2
  return 1
}

gf_sa_usage() {
  printf '%s\\n' "usage: $0 [--archive FILE] [--log FILE]" \\
    "Installs $TARGET side by side under $VDIR, points $G_ROOT at it, verifies it, and rolls back on failure." \\
    "  --archive FILE  take $ARCHIVE_NAME from FILE instead of beside this script or the URL (or GOFLEET_ARCHIVE=FILE)" \\
    "  --log FILE      append the log to FILE (or GOFLEET_LOG=FILE); default $META/logs/script.log, else $0.log" \\
    "Exit codes are listed at the top of this file."
}

# gf_sa_args ARGS...: SA_ARCHIVE and SA_LOG from the arguments, else the environment.
gf_sa_args() {
  SA_ARCHIVE=\${GOFLEET_ARCHIVE:-}
  SA_LOG=\${GOFLEET_LOG:-}
  while [ "$#" -gt 0 ]; do
    case $1 in
      --archive | --log)
        [ "$#" -ge 2 ] && [ -n "$2" ] || { gf_sa_bad "$1 needs a value"; return 1; }
        if [ "$1" = --archive ]; then SA_ARCHIVE=$2; else SA_LOG=$2; fi
        shift 2
        ;;
      --archive=?*) SA_ARCHIVE=\${1#--archive=}; shift ;;
      --log=?*) SA_LOG=\${1#--log=}; shift ;;
      -h | --help) gf_sa_usage; exit 0 ;;
      *) gf_sa_bad "unknown argument: $1"; return 1 ;;
    esac
  done
  return 0
}

# gf_sa_log_open: SA_LOG = a file we can append to (given, <versions_dir>/.gofleet/logs/script.log, <script>.log), or
# nothing (then stdout only, said on stderr).
gf_sa_log_open() {
  if [ -n "$SA_LOG" ]; then
    : >>"$SA_LOG" 2>/dev/null && return 0
    printf 'gofleet script: cannot append to the log %s; logging to stdout only\\n' "$SA_LOG" >&2
    SA_LOG=
    return 0
  fi
  if mkdir -p "$META/logs" 2>/dev/null && : >>"$META/logs/script.log" 2>/dev/null; then
    SA_LOG="$META/logs/script.log"
    return 0
  fi
  if [ -f "$0" ] && : >>"$0.log" 2>/dev/null; then
    SA_LOG="$0.log"
    return 0
  fi
  printf 'gofleet script: no writable log file (%s/logs, %s.log); logging to stdout only\\n' "$META" "$0" >&2
  return 0
}

# gf_sa_say TEXT: one log line, UTC time first, on stdout and appended to the log file.
gf_sa_say() {
  _sy_l="$(gf_now) $1"
  printf '%s\\n' "$_sy_l"
  [ -z "$SA_LOG" ] || printf '%s\\n' "$_sy_l" >>"$SA_LOG" 2>/dev/null
  return 0
}

# gf_sa_decode VALUE: a percent-encoded protocol value as text (control characters shown as blanks).
gf_sa_decode() {
  case $1 in
    *%*) ;;
    *) printf '%s\\n' "$1"; return 0 ;;
  esac
  printf '%s\\n' "$1" | awk '
    BEGIN { for (i = 0; i < 16; i++) hex[substr("0123456789abcdef", i + 1, 1)] = i }
    {
      s = $0; out = ""
      while ((i = index(s, "%")) > 0) {
        h = tolower(substr(s, i + 1, 2)); out = out substr(s, 1, i - 1); s = substr(s, i + 3)
        n = hex[substr(h, 1, 1)] * 16 + hex[substr(h, 2, 1)]
        if (n < 32 || n == 127) out = out " "; else out = out sprintf("%c", n)
      }
      print out s
    }'
}

# gf_sa_line LINE: one line of the steps' output, as a log line (protocol lines made readable).
gf_sa_line() {
  case $1 in
    '@@gofleet step '*) gf_sa_step_line "\${1#@@gofleet step }" ;;
    '@@gofleet outcome '*)
      printf '%s\\n' "$1" >"$GF_SA_TMP/outcome"
      gf_sa_outcome_line "\${1#@@gofleet outcome }"
      ;;
    '') ;;
    *) gf_sa_say "$1" ;;
  esac
}

# gf_sa_step_line "NAME STATUS [code=C] [msg=M]" -> "step NAME STATUS [C]: message"
gf_sa_step_line() {
  set -f
  set -- $1
  set +f
  _sl_t="step \${1:-?} \${2:-?}"
  [ "$#" -ge 2 ] && shift 2
  for _sl_f in "$@"; do
    case $_sl_f in
      code=*) _sl_t="$_sl_t \${_sl_f#code=}" ;;
      msg=*) _sl_t="$_sl_t: $(gf_sa_decode "\${_sl_f#msg=}")" ;;
    esac
  done
  gf_sa_say "$_sl_t"
}

# gf_sa_outcome_line "result=R active=A previous=P [code=C] [msg=M] [warn=W]..." -> warnings, then one outcome line.
gf_sa_outcome_line() {
  _ol_r=
  _ol_a=none
  _ol_p=none
  _ol_c=
  _ol_m=
  set -f
  set -- $1
  set +f
  for _ol_f in "$@"; do
    case $_ol_f in
      result=*) _ol_r=\${_ol_f#result=} ;;
      active=-) ;;
      active=*) _ol_a=$(gf_sa_decode "\${_ol_f#active=}") ;;
      previous=-) ;;
      previous=*) _ol_p=$(gf_sa_decode "\${_ol_f#previous=}") ;;
      code=*) _ol_c=" \${_ol_f#code=}" ;;
      msg=*) _ol_m=": $(gf_sa_decode "\${_ol_f#msg=}")" ;;
      warn=*) gf_sa_say "warning: $(gf_sa_decode "\${_ol_f#warn=}")" ;;
    esac
  done
  case $_ol_r in
    switched) gf_sa_say "outcome switched $_ol_p -> $_ol_a" ;;
    unchanged) gf_sa_say "outcome unchanged: $_ol_a is already the active, working toolchain" ;;
    rolled_back) gf_sa_say "outcome rolled_back$_ol_c: $TARGET was not kept, $_ol_a is active again$_ol_m" ;;
    failed) gf_sa_say "outcome failed$_ol_c: $G_ROOT was not changed (active: $_ol_a)$_ol_m" ;;
    rollback_failed) gf_sa_say "outcome rollback_failed$_ol_c: inspect $G_ROOT now (it answers: $_ol_a)$_ol_m" ;;
    *) gf_sa_say "outcome \${_ol_r:-?}$_ol_c$_ol_m" ;;
  esac
}

# gf_sa_follow: read the steps' output to its end, logging each line; INT/TERM/HUP cannot cut the log short.
gf_sa_follow() {
  trap '' INT TERM HUP
  while _fl_line= && IFS= read -r _fl_line || [ -n "$_fl_line" ]; do
    gf_sa_line "$_fl_line"
  done
  return 0
}

# gf_sa_beside: the path of ARCHIVE_NAME beside this script (nothing when the script is not a file: sh -s, a pipe).
gf_sa_beside() {
  case $0 in
    */*) printf '%s/%s\\n' "\${0%/*}" "$ARCHIVE_NAME" ;;
    *) [ -f "$0" ] && printf '%s\\n' "$ARCHIVE_NAME" ;;
  esac
  return 0
}

# gf_sa_need_archive: will the flow stage TARGET? Not when goroot already answers it or it is installed (not failed).
gf_sa_need_archive() {
  gf_at_target && return 1
  gf_complete "$VDIR/$TARGET" "$TARGET" && [ ! -e "$META/failed/$TARGET" ] && return 1
  return 0
}

# gf_sa_download URL FILE: curl or wget; a failure is SOURCE_UNAVAILABLE (FILE removed).
gf_sa_download() {
  if command -v curl >/dev/null 2>&1; then
    _dl_tool=curl
    _dl_err=$(curl -fsSL --retry 3 --connect-timeout 30 -o "$2" "$1" 2>&1 </dev/null)
  elif command -v wget >/dev/null 2>&1; then
    _dl_tool=wget
    _dl_err=$(wget -q -O "$2" "$1" 2>&1 </dev/null)
  else
    gf_fail fetch SOURCE_UNAVAILABLE "neither curl nor wget is installed: put $ARCHIVE_NAME beside this script or pass --archive FILE"
    return 1
  fi
  _dl_rc=$?
  [ "$_dl_rc" -eq 0 ] && [ -f "$2" ] && return 0
  rm -f "$2"
  gf_fail fetch SOURCE_UNAVAILABLE "downloading $1 failed ($_dl_tool exit $_dl_rc): $_dl_err"
  return 1
}

# gf_sa_fetch: put a copy of the archive whose SHA-256 is ARCHIVE_SHA at ARCHIVE (the cache); refuse a wrong one
# before anything under goroot or versions_dir changes. A file given by the user is read, never moved or deleted.
gf_sa_fetch() {
  gf_step fetch start
  if [ -f "$ARCHIVE" ] && [ ! -L "$ARCHIVE" ] && [ "$(gf_sha256 "$ARCHIVE")" = "$ARCHIVE_SHA" ]; then
    gf_step fetch skip "" "$ARCHIVE is already in the cache (SHA-256 checked)"
    return 0
  fi
  _fe_tmp="$GF_SA_TMP/$ARCHIVE_NAME"
  _fe_file=$SA_ARCHIVE
  if [ -z "$_fe_file" ]; then
    _fe_file=$(gf_sa_beside)
    [ -n "$_fe_file" ] && [ -f "$_fe_file" ] || _fe_file=
  fi
  if [ -n "$_fe_file" ]; then
    if [ ! -f "$_fe_file" ] || [ ! -r "$_fe_file" ]; then
      gf_fail fetch RELEASE_FILE_MISSING "the archive $_fe_file is not a readable file"
      return 1
    fi
    _fe_from=$_fe_file
  elif [ -n "$SA_URL" ]; then
    gf_sa_download "$SA_URL" "$_fe_tmp" || return 1
    _fe_file=$_fe_tmp
    _fe_from=$SA_URL
  else
    gf_fail fetch RELEASE_FILE_MISSING "$ARCHIVE_NAME is not beside this script and no URL was built in (the release source was a directory): put the file beside the script or pass --archive FILE"
    return 1
  fi
  gf_interrupted fetch && return 1
  _fe_sum=$(gf_sha256 "$_fe_file")
  if [ -z "$_fe_sum" ]; then
    gf_fail fetch STAGE_FAILED "cannot compute a SHA-256 of $_fe_file (no sha256sum, shasum or openssl, or unreadable)"
    return 1
  fi
  if [ "$_fe_sum" != "$ARCHIVE_SHA" ]; then
    rm -f "$_fe_tmp"
    gf_fail fetch CHECKSUM_MISMATCH "$ARCHIVE_NAME from $_fe_from has SHA-256 $_fe_sum, expected $ARCHIVE_SHA; it was not used and nothing was changed"
    return 1
  fi
  _fe_part="$ARCHIVE.part-$$"
  if [ "$_fe_file" = "$_fe_tmp" ]; then _fe_cp=mv; else _fe_cp=cp; fi
  if ! mkdir -p "$CACHE_DIR" 2>/dev/null || ! _fe_err=$($_fe_cp "$_fe_file" "$_fe_part" 2>&1) || ! mv -f "$_fe_part" "$ARCHIVE" 2>/dev/null; then
    rm -f "$_fe_part" "$_fe_tmp"
    if gf_nospace "$_fe_err"; then _fe_code=DISK_FULL; else _fe_code=NO_PRIVILEGE; fi
    gf_fail fetch "$_fe_code" "cannot put $ARCHIVE_NAME into $CACHE_DIR: \${_fe_err:-mkdir or mv failed}"
    return 1
  fi
  gf_step fetch ok "" "$ARCHIVE_NAME from $_fe_from (SHA-256 checked)"
  return 0
}

# gf_sa_steps: the archive when the flow needs it, then the flow itself (the same as a remote upgrade).
gf_sa_steps() {
  gf_read_current
  if gf_sa_need_archive; then
    if gf_interrupted fetch || ! gf_sa_fetch; then
      gf_end_failed
      return 1
    fi
  fi
  gf_switch_flow
}

# gf_sa_wait PID: wait for the log reader (a trapped INT/TERM interrupts wait; wait again).
gf_sa_wait() {
  while :; do
    wait "$1"
    [ "$?" -gt 128 ] && kill -0 "$1" 2>/dev/null && continue
    return 0
  done
}

# gf_sa_exit: the exit code of the outcome line (table in the header); no outcome line: 1.
gf_sa_exit() {
  _x_line=
  [ -f "$GF_SA_TMP/outcome" ] && IFS= read -r _x_line <"$GF_SA_TMP/outcome"
  _x_code=$(gf_field code "$_x_line")
  [ "$_x_code" = INTERRUPTED ] && exit 99
  case $(gf_field result "$_x_line") in
    switched | unchanged) exit 0 ;;
    failed) exit 2 ;;
    rolled_back) exit 3 ;;
    rollback_failed) exit 4 ;;
  esac
  gf_sa_say "error: the upgrade ended without an outcome (see the lines above)"
  exit 1
}

gf_sa_cleanup() {
  [ -n "\${GF_SA_TMP:-}" ] && rm -rf "$GF_SA_TMP"
  return 0
}

# gf_sa_main ARGS...: the standalone run (see the header of this file for the exit codes).
gf_sa_main() {
  GF_SA_TMP=
  trap 'gf_unlock; gf_sa_cleanup' EXIT
  set -u
  gf_sa_args "$@" || exit 5
  gf_sa_log_open
  set +u
  GF_SA_TMP=$(mktemp -d "\${TMPDIR:-/tmp}/gofleet-script.XXXXXX" 2>/dev/null)
  if [ -z "$GF_SA_TMP" ] || [ ! -d "$GF_SA_TMP" ]; then
    GF_SA_TMP=
    gf_sa_say "error: cannot create a temporary directory under \${TMPDIR:-/tmp}"
    exit 1
  fi
  gf_whoami
  gf_sa_say "gofleet script $RUN: $TARGET into $VDIR, $G_ROOT -> it (user \${GF_USER:-$GF_UID}, pid $$, log \${SA_LOG:-none})"
  _sm_fifo="$GF_SA_TMP/steps"
  if mkfifo "$_sm_fifo" 2>/dev/null; then
    gf_sa_follow <"$_sm_fifo" &
    _sm_pid=$!
    gf_sa_steps >"$_sm_fifo" 2>&1
    gf_sa_wait "$_sm_pid"
  else
    gf_sa_steps >"$GF_SA_TMP/steps.txt" 2>&1
    gf_sa_follow <"$GF_SA_TMP/steps.txt"
  fi
  gf_sa_exit
}
`;

export const SH_DETECT = `# --- detection (Intune / SCCM) ------------------------------------------------------------
# gf_detect: one line on stdout when goroot's go answers TARGET and the state file does not hold an unverified switch
# to it (a script killed between switch and verify: the upgrade must run again); nothing otherwise. Always exit 0.
gf_detect() {
  _dt_v=$(gf_go_version "$G_ROOT/bin/go" 30)
  [ "$_dt_v" = "$TARGET" ] || return 0
  gf_state_read verify_pending
  [ "$STATE_VALUE" != "$TARGET" ] || return 0
  printf '%s\\n' "$TARGET is the active toolchain at $G_ROOT"
  return 0
}
`;
