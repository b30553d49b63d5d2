// Verification after a switch, and rollback, host side. Every command is capped (sh-capped.ts):
// the hello-world build at CAP_BUILD seconds, everything else (go version, go env, the hello binary,
// the health command, the rollback's go version) at CAP_CMD; a command that runs out of time fails
// verification like any other failure ("... timed out after N s"), so a hung go still rolls back.
// In order, each failure is `step verify fail code=VERIFY_FAILED` with a message saying what was seen:
//   1. <goroot>/bin/go version prints the target;
//   2. go env GOROOT is (physically) <versionsDir>/<target> -- compared as physical paths, because
//      older go commands may spell it through the goroot link;
//   3. the go on the connecting user's login PATH (sh-login-go.ts) resolves, hop by hop, to the
//      same file as <goroot>/bin/go; a different go fails when requirePath, no go at all is a warning;
//   4. if build: a hello-world module built offline in a temp dir under .gofleet (not /tmp, which may
//      be noexec) with GOTOOLCHAIN=local GOFLAGS=-mod=mod GOPROXY=off CGO_ENABLED=0 and private (empty)
//      GOPATH/GOCACHE/GOMODCACHE; the program must exit 0 and print the marker. It uses the builtin
//      println (written to stderr by the runtime itself), not fmt: compiler, linker and runtime are all
//      proven, yet the empty-cache build compiles only the runtime's packages, not fmt's reflect, strconv,
//      os... (go1.27.3: 15 s of CPU instead of 26 s). -trimpath and -ldflags=-s -w were measured too: no
//      gain worth a flag (linking a println program is a small part of it);
//   5. the health command, `sh -c` with <goroot>/bin first on PATH.
// Rollback repoints goroot to what it was (or removes the link when there was no goroot) and checks
// that the old go answers `go version` (no build; capped at CAP_CMD like the rest). The state it writes stays
// truthful on a full disk (gf_state_settle, sh-verify-state.ts).

export const SH_VERIFY = `# --- verify and rollback ----------------------------------------------------------
# gf_verify: check the toolchain behind goroot is TARGET and works (BUILD, REQUIRE_PATH, HEALTH).
gf_verify() {
  gf_step verify start
  # whose failure it is: the toolchain's (version, GOROOT, build) or the host's (login PATH, health command);
  # only a toolchain that fails is marked failed (sh-verify-state.ts)
  VERIFY_BLAME=toolchain
  _v_go="$G_ROOT/bin/go"
  _v_out=$(gf_capped "$CAP_CMD" gf_go "$_v_go" version 2>&1)
  if [ "$?" -eq 124 ]; then
    gf_fail verify VERIFY_FAILED "$_v_go version timed out after $CAP_CMD s"
    return 1
  fi
  _v_ver=$(printf '%s\\n' "$_v_out" | gf_version_field)
  if [ "$_v_ver" != "$TARGET" ]; then
    gf_fail verify VERIFY_FAILED "$_v_go version printed '$_v_out', expected $TARGET"
    return 1
  fi
  _v_root=$(gf_capped "$CAP_CMD" gf_go "$_v_go" env GOROOT 2>&1)
  if [ "$?" -eq 124 ]; then
    gf_fail verify VERIFY_FAILED "$_v_go env GOROOT timed out after $CAP_CMD s"
    return 1
  fi
  _v_want=$(gf_phys "$VDIR/$TARGET")
  _v_have=$(gf_phys "$_v_root")
  if [ -z "$_v_have" ] || [ "$_v_have" != "$_v_want" ]; then
    gf_fail verify VERIFY_FAILED "go env GOROOT printed '$_v_root', expected $_v_want"
    return 1
  fi
  VERIFY_BLAME=host
  gf_verify_path || return 1
  VERIFY_BLAME=toolchain
  if [ "$BUILD" = 1 ]; then gf_verify_build || return 1; fi
  VERIFY_BLAME=host
  if [ -n "$HEALTH" ]; then gf_verify_health || return 1; fi
  gf_step verify ok
  return 0
}

# gf_verify_path: the login PATH finds this go (or none: a warning).
gf_verify_path() {
  gf_login_go
  if [ -z "$LOGIN_GO" ]; then
    gf_warn "no go on the login PATH of \${LOGIN_WHO:-this user}; add $G_ROOT/bin to PATH"
    return 0
  fi
  _vp_a=$(gf_resolve "$LOGIN_GO")
  _vp_b=$(gf_resolve "$G_ROOT/bin/go")
  [ "$_vp_a" = "$_vp_b" ] && return 0
  _vp_msg="the login PATH finds go at $LOGIN_GO ($_vp_a), not $G_ROOT/bin/go ($_vp_b) (login PATH of \${LOGIN_WHO:-this user})"
  if [ "$REQUIRE_PATH" = 1 ]; then
    gf_fail verify VERIFY_FAILED "$_vp_msg"
    return 1
  fi
  gf_warn "$_vp_msg"
  return 0
}

# gf_verify_build: build and run a hello-world offline; the program must print the marker.
gf_verify_build() {
  _vb_dir=$(mktemp -d "$META/verify.XXXXXX" 2>/dev/null)
  if [ -z "$_vb_dir" ] || [ ! -d "$_vb_dir" ]; then
    gf_fail verify VERIFY_FAILED "cannot create a temporary directory under $META for the hello-world build"
    return 1
  fi
  _vb_lang=$(printf '%s\\n' "$TARGET" | sed -n 's/^go\\([0-9][0-9]*\\)\\.\\([0-9][0-9]*\\).*/\\1.\\2/p')
  _vb_marker="gofleet-verify-$RUN-$$"
  {
    printf 'module gofleetcheck\\n'
    [ -n "$_vb_lang" ] && printf '\\ngo %s\\n' "$_vb_lang"
  } >"$_vb_dir/go.mod"
  printf 'package main\\n\\nfunc main() {\\n\\tprintln("%s")\\n}\\n' "$_vb_marker" >"$_vb_dir/main.go"
  _vb_out=$(
    cd "$_vb_dir" || exit 1
    GOFLAGS=-mod=mod GOPROXY=off GOSUMDB=off GOENV=off GOWORK=off GO111MODULE=on CGO_ENABLED=0
    GOPATH="$_vb_dir/gopath" GOCACHE="$_vb_dir/gocache" GOMODCACHE="$_vb_dir/gomodcache"
    export GOFLAGS GOPROXY GOSUMDB GOENV GOWORK GO111MODULE CGO_ENABLED GOPATH GOCACHE GOMODCACHE
    gf_capped "$CAP_BUILD" gf_go "$G_ROOT/bin/go" build -o hello . 2>&1
  )
  _vb_rc=$?
  if [ "$_vb_rc" -eq 124 ]; then
    gf_rm_verify_dir
    gf_fail verify VERIFY_FAILED "the hello-world build timed out after $CAP_BUILD s (stopped): $_vb_out"
    return 1
  fi
  if [ "$_vb_rc" -ne 0 ]; then
    gf_rm_verify_dir
    gf_fail verify VERIFY_FAILED "the hello-world build failed (exit $_vb_rc): $_vb_out"
    return 1
  fi
  _vb_run=$(gf_capped "$CAP_CMD" "$_vb_dir/hello" 2>&1 </dev/null)
  _vb_rc=$?
  gf_rm_verify_dir
  if [ "$_vb_rc" -eq 124 ]; then
    gf_fail verify VERIFY_FAILED "the hello-world program timed out after $CAP_CMD s (stopped)"
    return 1
  fi
  if [ "$_vb_rc" -ne 0 ]; then
    gf_fail verify VERIFY_FAILED "the hello-world program exited $_vb_rc: $_vb_run"
    return 1
  fi
  if [ "$_vb_run" != "$_vb_marker" ]; then
    gf_fail verify VERIFY_FAILED "the hello-world printed '$_vb_run', expected $_vb_marker"
    return 1
  fi
  return 0
}

# the module cache is read-only, but it stays empty (no dependencies): chmod (a walk of the whole build cache)
# only when rm could not remove everything
gf_rm_verify_dir() {
  rm -rf "$_vb_dir" 2>/dev/null && return 0
  chmod -R u+w "$_vb_dir" 2>/dev/null
  rm -rf "$_vb_dir"
}

# gf_verify_health: the user's health command, with goroot/bin first on PATH.
gf_verify_health() {
  _vh_out=$(
    cd / || exit 1
    PATH="$G_ROOT/bin:$PATH"
    export PATH
    gf_capped "$CAP_CMD" sh -c "$HEALTH" 2>&1 </dev/null
  )
  _vh_rc=$?
  if [ "$_vh_rc" -eq 124 ]; then
    gf_fail verify VERIFY_FAILED "the health command timed out after $CAP_CMD s (stopped): $_vh_out"
    return 1
  fi
  if [ "$_vh_rc" -ne 0 ]; then
    gf_fail verify VERIFY_FAILED "the health command exited $_vh_rc: $_vh_out"
    return 1
  fi
  return 0
}

# gf_rollback: put goroot back as it was (PREV_KIND/PREV_LINK), check the old go answers (unless goroot was an
# adopted link to something else than a toolchain: CUR_FOREIGN), restore state.
gf_rollback() {
  gf_step rollback start
  _rb_msg=
  case $PREV_KIND in
    link)
      gf_point "$PREV_LINK" || _rb_msg="cannot repoint $G_ROOT to $PREV_LINK"
      ;;
    missing)
      if [ -L "$G_ROOT" ]; then rm -f "$G_ROOT" 2>/dev/null || _rb_msg="cannot remove $G_ROOT"; fi
      ;;
    *)
      _rb_msg="nothing was recorded to roll back to; $G_ROOT still links to $VDIR/$TARGET"
      ;;
  esac
  ROLLBACK_ACTIVE=
  if [ -z "$_rb_msg" ] && [ "$PREV_KIND" = link ] && [ "$CUR_FOREIGN" != 1 ]; then
    _rb_out=$(gf_capped "$CAP_CMD" gf_go "$G_ROOT/bin/go" version 2>/dev/null)
    _rb_rc=$?
    ROLLBACK_ACTIVE=$(printf '%s\\n' "$_rb_out" | gf_version_field)
    if [ "$_rb_rc" -eq 124 ]; then
      _rb_msg="after rolling back, $G_ROOT/bin/go version timed out after $CAP_CMD s"
    elif [ -z "$ROLLBACK_ACTIVE" ] || { [ -n "$PREV_VERSION" ] && [ "$ROLLBACK_ACTIVE" != "$PREV_VERSION" ]; }; then
      _rb_msg="after rolling back, $G_ROOT/bin/go version answers '\${ROLLBACK_ACTIVE:-nothing}', expected \${PREV_VERSION:-a version}"
    fi
  fi
  if [ "$PREV_KIND" = link ] || [ "$PREV_KIND" = missing ]; then gf_state_settle "$PREV_ACTIVE" "$STATE_PREVIOUS" "$STATE_PREVIOUS_LINK"; fi
  if [ -n "$_rb_msg" ]; then
    gf_step rollback fail ROLLBACK_FAILED "$_rb_msg"
    ROLLBACK_MSG=$_rb_msg
    return 1
  fi
  gf_step rollback ok
  return 0
}
`;
