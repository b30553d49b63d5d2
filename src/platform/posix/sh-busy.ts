// Which processes use which toolchain directories, host side: the one in-use check shared by the facts
// script (`busy`, which drain waits on) and prune (never remove a version a process uses).
// A process uses a directory when its executable, its working directory or a file it has mapped (a
// binary run through the dynamic loader, a shared library; macOS: any open file) lies inside it.
// The script's own process tree (itself, its ancestors, its descendants) never counts.
// One pass over the process table. Linux: one cat of /proc/*/stat, one ls of /proc/*/exe and cwd,
// one grep of /proc/*/maps for the directories, all parsed by one awk. Elsewhere: ps + lsof when
// present (best effort; without lsof only the process tree is known, so nothing is found in use).

export const SH_BUSY = `# --- processes using a toolchain ---------------------------------------------------
# gf_busy_scan DIR...: the process table. Linux: raw \`/proc/N/stat\` lines, \`ls -l\` lines of
# /proc/N/exe and /proc/N/cwd, and \`/proc/N/maps:<line>\` for mapped files under a DIR.
# Elsewhere, records: T pid ppid | exe pid path | cwd pid path | M pid path.
gf_busy_scan() {
  if [ -r /proc/self/stat ]; then
    cat /proc/[0-9]*/stat 2>/dev/null
    ls -l /proc/[0-9]*/exe /proc/[0-9]*/cwd 2>/dev/null
    set -f
    for _bs_d in "$@"; do set -- "$@" -e "$_bs_d"; shift; done
    set +f
    grep -H -F "$@" /proc/[0-9]*/maps 2>/dev/null
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

# gf_busy_match SELF DIRS: gf_busy_scan output on stdin (DIRS newline-separated) -> \`P pid:exe\` for the
# processes (not SELF, its ancestors or its descendants) using a DIR, at most 50, and \`D dir\` for every
# DIR such a process uses.
gf_busy_match() {
  GF_BUSY_SELF=$1 GF_BUSY_DIRS=$2 awk '
    function rec(k, p, v,    i, n, c) {
      if (k == "T") { par[p] = v; kids[v] = kids[v] " " p; return }
      if (k == "exe") exe[p] = v
      for (i = 1; i <= nd; i++) {
        n = length(d[i]); c = substr(v, n + 1, 1)
        if (substr(v, 1, n) != d[i] || (c != "" && c != "/" && c != " ")) continue
        uses[p] = uses[p] " " i
        if (!(p in hit)) { hit[p] = v; order[++nh] = p }
      }
    }
    BEGIN { nd = split(ENVIRON["GF_BUSY_DIRS"], d, "\\n"); self = ENVIRON["GF_BUSY_SELF"] }
    /^[0-9]/ { p = $1; sub(/^.*\\) /, ""); rec("T", p, $2); next }
    /^l/ {
      if (!match($0, /^.* \\/proc\\/[0-9]*\\/[a-z]* -> /)) next
      m = substr($0, 1, RLENGTH); v = substr($0, RLENGTH + 1)
      match(m, /\\/proc\\/[0-9]*\\/[a-z]* -> $/)
      split(substr(m, RSTART + 6, RLENGTH - 10), a, "/")
      rec(a[2], a[1], v); next
    }
    /^\\/proc\\/[0-9]*\\/maps:/ {
      match($0, /^\\/proc\\/[0-9]*\\/maps:/)
      p = substr($0, 7, RLENGTH - 12); v = substr($0, RLENGTH + 1); i = index(v, "/")
      if (i > 0) rec("M", p, substr(v, i)); next
    }
    $1 == "T" { rec("T", $2, $3); next }
    $1 == "exe" || $1 == "cwd" || $1 == "M" { v = $0; sub(/^[^ ]* [^ ]* /, "", v); rec($1, $2, v) }
    END {
      skip[self] = 1
      for (q = par[self]; q != "" && !(q in skip); q = par[q]) skip[q] = 1
      n = 1; st[1] = self
      for (i = 1; i <= n; i++) {
        m = split(kids[st[i]], a, " ")
        for (j = 1; j <= m; j++) if (!(a[j] in skip)) { skip[a[j]] = 1; st[++n] = a[j] }
      }
      out = 0
      for (i = 1; i <= nh; i++) {
        p = order[i]
        if (p in skip) continue
        if (out < 50) { print "P " p ":" ((p in exe) ? exe[p] : hit[p]); out++ }
        m = split(uses[p], a, " ")
        for (j = 1; j <= m; j++) used[a[j]] = 1
      }
      for (i = 1; i <= nd; i++) if (i in used) print "D " d[i]
    }'
}

# gf_busy DIR...: one scan for the (physical) directories DIR... Sets BUSY_PROCS (\`pid:exe\` lines, at
# most 50) and BUSY_DIRS (the DIRs in use, one a line). Run from / so that the scan's own processes
# hold no working directory inside a DIR.
gf_busy() {
  BUSY_PROCS=
  BUSY_DIRS=
  [ "$#" -gt 0 ] || return 0
  _b_dirs=
  for _b_d in "$@"; do _b_dirs="\${_b_dirs:+$_b_dirs$GF_NL}$_b_d"; done
  _b_out=$(cd / && gf_busy_scan "$@" | gf_busy_match "$$" "$_b_dirs")
  _b_ifs=$IFS
  IFS=$GF_NL
  set -f
  for _b_l in $_b_out; do
    case $_b_l in
      'P '*) BUSY_PROCS="\${BUSY_PROCS:+$BUSY_PROCS$GF_NL}\${_b_l#P }" ;;
      'D '*) BUSY_DIRS="\${BUSY_DIRS:+$BUSY_DIRS$GF_NL}\${_b_l#D }" ;;
    esac
  done
  set +f
  IFS=$_b_ifs
  return 0
}

# gf_busy_uses DIR: is DIR among BUSY_DIRS (after gf_busy)?
gf_busy_uses() {
  case "$GF_NL$BUSY_DIRS$GF_NL" in
    *"$GF_NL$1$GF_NL"*) return 0 ;;
  esac
  return 1
}
`;
