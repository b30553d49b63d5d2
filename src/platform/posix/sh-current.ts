// What goroot is now, and small state-changing helpers shared by the switch and prune flows.
// gf_read_current never changes anything; gf_release unlocks (and reports it); gf_trash removes a
// tree by renaming it to <versionsDir>/.trash-<name>-$$ first (a half-removed tree never keeps its name).

export const SH_CURRENT = `# --- current state ------------------------------------------------------------------
# gf_read_current: CUR_KIND (link|dir|missing|other), CUR_LINK, CUR_VERSION, CUR_ACTIVE, ADOPT_VERSION, STATE_PREVIOUS,
# STATE_PREVIOUS_LINK, CUR_FOREIGN (1: goroot links to something that is neither a toolchain nor inside versionsDir).
gf_read_current() {
  CUR_KIND=missing
  CUR_LINK=
  CUR_VERSION=
  CUR_ACTIVE=
  ADOPT_VERSION=
  if [ -L "$G_ROOT" ]; then
    CUR_KIND='link'
    CUR_LINK=$(readlink "$G_ROOT")
    gf_read_first "$G_ROOT/VERSION"
    CUR_VERSION=$FIRST_LINE
    [ -n "$CUR_VERSION" ] || CUR_VERSION=$(gf_go_version "$G_ROOT/bin/go")
    CUR_ACTIVE=$(gf_active)
  elif [ -d "$G_ROOT" ]; then
    CUR_KIND=dir
    gf_read_first "$G_ROOT/VERSION"
    ADOPT_VERSION=$FIRST_LINE
    [ -n "$ADOPT_VERSION" ] || ADOPT_VERSION=$(gf_go_version "$G_ROOT/bin/go")
    CUR_VERSION=$ADOPT_VERSION
  elif [ -e "$G_ROOT" ]; then
    CUR_KIND=other
  fi
  gf_state_read previous
  STATE_PREVIOUS=$STATE_VALUE
  gf_valid_version "$STATE_PREVIOUS" || STATE_PREVIOUS=
  gf_state_read previous_link
  STATE_PREVIOUS_LINK=$STATE_VALUE
  CUR_FOREIGN=0
  if [ "$CUR_KIND" = link ] && [ -z "$CUR_ACTIVE" ] && ! { [ -f "$G_ROOT/bin/go" ] && [ -f "$G_ROOT/VERSION" ]; }; then
    case $CUR_LINK in
      "$VDIR"/*) ;;
      *) CUR_FOREIGN=1 ;;
    esac
  fi
}

# gf_goroot_now: what goroot is right now, read with shell builtins only (test, cd -P, pwd -P in a subshell):
# after a failed switch the host may not be able to exec anything, and a report must say what is, not guess.
gf_goroot_now() {
  if [ -L "$G_ROOT" ]; then
    _gn_p=$(gf_phys "$G_ROOT")
    if [ -n "$_gn_p" ]; then printf 'a link resolving to %s\n' "$_gn_p"; else printf 'a link to no directory\n'; fi
  elif [ -d "$G_ROOT" ]; then
    printf 'a directory (%s)\n' "$(gf_phys "$G_ROOT")"
  elif [ -e "$G_ROOT" ]; then
    printf 'neither a link nor a directory\n'
  else
    printf 'missing\n'
  fi
}

# gf_release: unlock (reported) when this shell holds the lock.
gf_release() {
  if [ "\${OWN_LOCK:-0}" = 1 ]; then
    gf_unlock
    gf_step unlock ok
  fi
}

# gf_trash PATH NAME: rename PATH to <versionsDir>/.trash-NAME-$$ and remove it.
gf_trash() {
  _t_aside="$VDIR/.trash-$2-$$"
  rm -rf "$_t_aside"
  mv "$1" "$_t_aside" 2>/dev/null || return 1
  rm -rf "$_t_aside" 2>/dev/null || gf_warn "could not remove $_t_aside"
  return 0
}
`;
