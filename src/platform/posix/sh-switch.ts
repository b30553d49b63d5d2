// Atomic repointing of goroot and adoption of a real goroot directory, host side.
// Switch: ln -s <target> <goroot>.gofleet-new-$$, then rename it over goroot without following the
// old link: `mv -T` (GNU coreutils, busybox), else `mv -h` (BSD/macOS). A variant a mv does not know
// fails and does nothing, so trying one then the other is safe. Never `ln -sfn` (unlink + symlink).
// Adopt: move the directory under versionsDir by its VERSION (rename on the same mount, else copy to
// .tmp-<v>-$$ and rename), then link at a temp name, dir aside, link into place, remove the aside copy.

export const SH_SWITCH = `# --- switch and adopt -----------------------------------------------------------
# gf_link_prepare TARGET: create the new link beside goroot (not yet in place).
gf_link_prepare() {
  NEW_LINK="$G_ROOT.gofleet-new-$$"
  rm -f "$NEW_LINK"
  ln -s "$1" "$NEW_LINK" 2>/dev/null
}

# gf_link_commit TARGET: rename the prepared link over goroot (one rename), check it took.
gf_link_commit() {
  if [ -L "$G_ROOT" ] || [ ! -e "$G_ROOT" ]; then
    if mv -T "$NEW_LINK" "$G_ROOT" 2>/dev/null || mv -h "$NEW_LINK" "$G_ROOT" 2>/dev/null; then
      [ -L "$G_ROOT" ] && [ "$(readlink "$G_ROOT")" = "$1" ] && return 0
    fi
  fi
  rm -f "$NEW_LINK"
  return 1
}

# gf_point TARGET: make goroot a symlink to TARGET atomically.
gf_point() {
  gf_link_prepare "$1" && gf_link_commit "$1"
}

# gf_same_mount DIR TODIR: can DIR be renamed into TODIR? link(2) fails across mounts exactly like rename(2).
gf_same_mount() {
  _m_f="$1/VERSION"
  [ -f "$_m_f" ] || _m_f="$1/bin/go"
  _m_t="$2/.gofleet-xdev-$$"
  rm -f "$_m_t"
  if ln "$_m_f" "$_m_t" 2>/dev/null; then
    rm -f "$_m_t"
    return 0
  fi
  return 1
}

# gf_nospace TEXT: does an error message say the disk is full?
gf_nospace() {
  case $1 in
    *'No space'* | *'no space'* | *ENOSPC* | *'Disk quota'* | *'disk quota'*) return 0 ;;
  esac
  return 1
}

# gf_adopt: goroot is a real directory of ADOPT_VERSION: move it to <versionsDir>/<version>,
# leave goroot a link to it. On failure goroot is left as it was.
gf_adopt() {
  gf_step adopt start
  _ad_v=$ADOPT_VERSION
  gf_valid_version "$_ad_v" || { gf_fail adopt ADOPT_FAILED "cannot tell the version of $G_ROOT (VERSION first line: '\${_ad_v}'); not touching it"; return 1; }
  _ad_dest="$VDIR/$_ad_v"
  _ad_aside="$G_ROOT.gofleet-adopted-$$"
  mkdir -p "$VDIR" 2>/dev/null || { gf_fail adopt NO_PRIVILEGE "cannot create $VDIR"; return 1; }
  if { [ -e "$_ad_dest" ] || [ -L "$_ad_dest" ]; } && ! gf_complete "$_ad_dest" "$_ad_v"; then
    # an incomplete leftover (we hold the lock: nobody is writing it)
    gf_trash "$_ad_dest" "$_ad_v" || { gf_fail adopt ADOPT_FAILED "$_ad_dest exists, is incomplete and cannot be moved away"; return 1; }
  fi
  if [ -e "$_ad_dest" ]; then
    : # a complete copy is already there: only the link is swapped in below
  elif gf_same_mount "$G_ROOT" "$VDIR"; then
    gf_link_prepare "$_ad_dest" || { gf_fail adopt ADOPT_FAILED "cannot create a link beside $G_ROOT"; return 1; }
    if ! mv "$G_ROOT" "$_ad_dest" 2>/dev/null; then
      rm -f "$NEW_LINK"
      gf_fail adopt ADOPT_FAILED "cannot move $G_ROOT to $_ad_dest"
      return 1
    fi
    if ! gf_link_commit "$_ad_dest"; then
      mv "$_ad_dest" "$G_ROOT" 2>/dev/null
      gf_fail adopt ADOPT_FAILED "cannot put a link at $G_ROOT (neither mv -T nor mv -h worked); moved the directory back (read back: $(gf_goroot_now))"
      return 1
    fi
    gf_step adopt ok "" "moved $G_ROOT to $_ad_dest"
    return 0
  else
    _ad_tmp="$VDIR/.tmp-$_ad_v-$$"
    rm -rf "$_ad_tmp"
    if ! _ad_err=$(cp -pR "$G_ROOT" "$_ad_tmp" 2>&1) || ! mv "$_ad_tmp" "$_ad_dest" 2>/dev/null; then
      rm -rf "$_ad_tmp"
      if gf_nospace "$_ad_err"; then _ad_code=DISK_FULL; else _ad_code=ADOPT_FAILED; fi
      gf_fail adopt "$_ad_code" "cannot copy $G_ROOT to $_ad_dest: $_ad_err"
      return 1
    fi
  fi
  # <versionsDir>/<version> is complete: swap a link in for the directory (two renames), drop the directory.
  gf_link_prepare "$_ad_dest" || { gf_fail adopt ADOPT_FAILED "cannot create a link beside $G_ROOT"; return 1; }
  if ! mv "$G_ROOT" "$_ad_aside" 2>/dev/null; then
    rm -f "$NEW_LINK"
    gf_fail adopt ADOPT_FAILED "cannot rename $G_ROOT aside"
    return 1
  fi
  if ! gf_link_commit "$_ad_dest"; then
    mv "$_ad_aside" "$G_ROOT" 2>/dev/null
    gf_fail adopt ADOPT_FAILED "cannot put a link at $G_ROOT (neither mv -T nor mv -h worked); put the directory back (read back: $(gf_goroot_now))"
    return 1
  fi
  rm -rf "$_ad_aside" 2>/dev/null || gf_warn "could not remove the adopted copy $_ad_aside"
  gf_step adopt ok "" "adopted $G_ROOT as $_ad_dest"
  return 0
}
`;
