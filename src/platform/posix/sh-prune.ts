// Pruning old managed versions, host side.
// Rule: versions are the directories under versionsDir whose names look like go versions; sorted
// newest first (go1.27.3 > go1.27.0 > go1.27rc2 > go1.27beta1 > go1.26.8), the newest KEEP are kept,
// and so are, always, the active one and, when KEEP >= 2, the state file's `previous` (so that
// `gofleet rollback` still works). A candidate that a running process uses (its executable, working
// directory or a mapped file: the same scan as the facts' `busy`, see sh-busy.ts) is kept with a warning.
// A version marked failed (<meta>/failed/<v>: it failed verification, see sh-verify-state.ts) does not count
// towards KEEP and is removed unless it is active or busy; marks of versions that are gone are dropped.
// While the active version's switch is unverified, the version it would roll back to is kept too.
// Removal renames to .trash-<v>-$$ first, then rm -rf. Leftovers: every .trash-*, .tmp-* older
// than an hour, cache .part-* older than an hour; cached archives of removed versions.

export const SH_PRUNE = `# --- prune -------------------------------------------------------------------------
# gf_sort_versions: version names on stdin, newest first on stdout, in go/version.Compare order
# (src/version/go-version.ts): from 1.21 on go1.N < go1.NrcR < go1.N.0; before 1.21 go1.NrcR < go1.N = go1.N.0.
# Key: major minor patch (-1 when absent) kind (none 0 < alpha 1 < beta 2 < rc 3) number; non-versions last.
gf_sort_versions() {
  awk '{
    v = $0; maj = -1; min = 0; pat = 0; st = 0; n = 0
    if (v ~ /^go[0-9]+(\\.[0-9]+)*((alpha|beta|rc)[0-9]+)?$/) {
      s = substr(v, 3); pre = ""
      if (match(s, /(alpha|beta|rc)[0-9]+$/)) { pre = substr(s, RSTART); s = substr(s, 1, RSTART - 1) }
      k = split(s, a, ".")
      maj = a[1] + 0; if (k >= 2) min = a[2] + 0
      if (k >= 3) pat = a[3] + 0
      else if (k == 2 && (pre != "" || maj != 1 || min >= 21)) pat = -1
      if (pre ~ /^alpha/) { st = 1; n = substr(pre, 6) + 0 }
      else if (pre ~ /^beta/) { st = 2; n = substr(pre, 5) + 0 }
      else if (pre ~ /^rc/) { st = 3; n = substr(pre, 3) + 0 }
    }
    printf "%d %d %d %d %d %s\\n", maj, min, pat, st, n, v
  }' | sort -k1,1nr -k2,2nr -k3,3nr -k4,4nr -k5,5nr -k6,6r | awk '{ print $6 }'
}

# gf_old PATH: was PATH last modified more than an hour ago?
gf_old() {
  [ -n "$(find "$1" -prune -mmin +60 2>/dev/null)" ]
}

# gf_prune_versions: remove the versions beyond the rule; sets REMOVED (v1,v2).
gf_prune_versions() {
  REMOVED=
  _pv_all=$(for _pv_d in "$VDIR"/go*; do
    _pv_n=\${_pv_d##*/}
    [ -d "$_pv_d" ] && [ ! -L "$_pv_d" ] && gf_valid_version "$_pv_n" && printf '%s\\n' "$_pv_n"
  done | gf_sort_versions)
  # an unverified switch (sh-verify-state.ts) still needs the version it would roll back to
  _pv_back=
  gf_state_read verify_pending
  if [ -n "$STATE_VALUE" ] && [ "$STATE_VALUE" = "$CUR_ACTIVE" ]; then
    gf_state_read rollback_active
    _pv_back=$STATE_VALUE
  fi
  _pv_i=0
  _pv_cands=
  for _pv_v in $_pv_all; do
    # a version that failed verification is never worth keeping and does not count towards KEEP
    if [ ! -e "$META/failed/$_pv_v" ]; then
      _pv_i=$((_pv_i + 1))
      [ "$_pv_i" -le "$KEEP" ] && continue
      [ "$KEEP" -ge 2 ] && [ "$_pv_v" = "$STATE_PREVIOUS" ] && continue
    fi
    [ "$_pv_v" = "$CUR_ACTIVE" ] && continue
    [ "$_pv_v" = "$_pv_back" ] && continue
    _pv_cands="$_pv_cands $_pv_v"
  done
  [ -n "$_pv_cands" ] || return 0
  # one scan of the process table for all candidates (the same check as the facts' busy list)
  _pv_goroot=$(gf_phys "$G_ROOT")
  _pv_vphys=$(gf_phys "$VDIR")
  set --
  for _pv_v in $_pv_cands; do set -- "$@" "$_pv_vphys/$_pv_v"; done
  gf_busy "$@"
  for _pv_v in $_pv_cands; do
    [ -z "\${GF_SIGNAL:-}" ] || break
    # a candidate is a real directory directly under versionsDir: its physical path is <physical versionsDir>/<v>
    _pv_phys=$_pv_vphys/$_pv_v
    if [ "$_pv_phys" = "$_pv_goroot" ]; then
      continue
    fi
    if gf_busy_uses "$_pv_phys"; then
      gf_warn "kept $_pv_v: a running process uses $VDIR/$_pv_v"
      continue
    fi
    if gf_trash "$VDIR/$_pv_v" "$_pv_v"; then
      rm -f "$META/failed/$_pv_v"
      REMOVED="\${REMOVED:+$REMOVED,}$_pv_v"
    else
      gf_warn "could not remove $VDIR/$_pv_v"
    fi
  done
}

# gf_prune_leftovers: trash, old temporary trees, cached archives of removed versions.
gf_prune_leftovers() {
  for _pl_d in "$VDIR"/.trash-*; do
    [ -e "$_pl_d" ] || [ -L "$_pl_d" ] || continue
    rm -rf "$_pl_d" 2>/dev/null || gf_warn "could not remove $_pl_d"
  done
  for _pl_d in "$VDIR"/.tmp-*; do
    [ -e "$_pl_d" ] || continue
    gf_old "$_pl_d" && { rm -rf "$_pl_d" 2>/dev/null || gf_warn "could not remove $_pl_d"; }
  done
  # failed marks of versions that are gone
  for _pl_f in "$META"/failed/*; do
    [ -f "$_pl_f" ] || continue
    [ -d "$VDIR/\${_pl_f##*/}" ] || rm -f "$_pl_f"
  done
  for _pl_f in "$CACHE_DIR"/*; do
    [ -f "$_pl_f" ] || continue
    _pl_n=\${_pl_f##*/}
    case $_pl_n in
      *.part-*)
        gf_old "$_pl_f" && rm -f "$_pl_f"
        continue
        ;;
    esac
    _pl_v=$(printf '%s\\n' "$_pl_n" | sed -e 's/\\.tar\\.gz$//' -e 's/\\.zip$//' -e 's/\\.pkg$//' -e 's/\\.msi$//' -e 's/\\.[A-Za-z0-9]*-[A-Za-z0-9]*$//')
    case ",$REMOVED," in
      *",$_pl_v,"*) rm -f "$_pl_f" 2>/dev/null || gf_warn "could not remove $_pl_f" ;;
    esac
  done
}

gf_prune_flow() {
  gf_read_current
  if [ ! -d "$VDIR" ]; then
    gf_step prune skip "" "$VDIR does not exist"
    gf_outcome pruned "$CUR_VERSION" "$CUR_VERSION"
    return 0
  fi
  gf_step lock start
  for _pf_d in "$VDIR" "$(gf_nearest "$META")"; do
    if [ ! -w "$_pf_d" ]; then
      gf_fail lock NO_PRIVILEGE "$(id -un 2>/dev/null) cannot write $_pf_d"
      gf_outcome failed "$CUR_VERSION" "$CUR_VERSION" "$FAIL_CODE" "$FAIL_MSG"
      return 1
    fi
  done
  gf_lock || { gf_outcome failed "$CUR_VERSION" "$CUR_VERSION" "$FAIL_CODE" "$FAIL_MSG"; return 1; }
  gf_step prune start
  gf_prune_versions
  gf_prune_leftovers
  gf_step prune ok "" "removed: \${REMOVED:-nothing}"
  gf_release
  gf_outcome pruned "$CUR_VERSION" "$CUR_VERSION" "" "" "$REMOVED"
  return 0
}
`;
