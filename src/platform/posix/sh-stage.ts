// Staging an archive on the host: checksum, cache, free space, extract beside the final directory,
// check, rename into place. Nothing in PATH changes. Host side of the "stage" step.
//   1. about 4x the archive size must be free under versionsDir (df -Pk), else DISK_FULL;
//   2. the upload is copied to .gofleet/cache/<filename>.part-<pid> (a copy this user owns) and that copy's
//      SHA-256 (sha256sum | shasum -a 256 | openssl) must equal the intent's: a mismatch deletes the copy and
//      the upload and touches nothing else (CHECKSUM_MISMATCH). The archive is hashed once (issue 9: it was
//      hashed as uploaded and again as copied), on the file that gets extracted. Then the upload is removed
//      and the copy renamed into the cache; re-runs may pass the cache path itself (checked in place);
//   4. tar -xozf into <versionsDir>/.tmp-<version>-$$ (-o: do not restore archive owners);
//      a failure is DISK_FULL when it says so or df shows the disk full, else STAGE_FAILED;
//   5. .tmp-.../go/bin/go and go/VERSION (first line = target) must exist; rename to <versionsDir>/<version>.
// When 4 or 5 fails the cached copy is removed too (its checksum matched what the source said, yet it does
// not hold a working tree: a lying index); a cached copy that fails step 1 is deleted there, and the engine
// then uploads the archive and runs the script once more (engine/upgrade-host.ts).
// A complete <versionsDir>/<version> is reused unless it is marked failed (<meta>/failed/<version>, see
// sh-verify-state.ts): a marked tree is staged again from the archive, which clears the mark.

export const SH_STAGE = `# --- stage ------------------------------------------------------------------------
# gf_sha256 FILE: lowercase hex SHA-256 of FILE, or nothing when no tool can compute it.
gf_sha256() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum <"$1" 2>/dev/null | awk '{ print tolower($1) }'
  elif command -v shasum >/dev/null 2>&1; then
    shasum -a 256 <"$1" 2>/dev/null | awk '{ print tolower($1) }'
  elif command -v openssl >/dev/null 2>&1; then
    openssl dgst -sha256 <"$1" 2>/dev/null | awk '{ print tolower($NF) }'
  fi
}

# gf_drop_upload: remove the uploaded archive when it is not the cached copy.
gf_drop_upload() {
  [ -n "$ARCHIVE" ] && [ "$ARCHIVE" != "$CACHE_DIR/$ARCHIVE_NAME" ] || return 0
  if [ -f "$ARCHIVE" ] || [ -L "$ARCHIVE" ]; then rm -f "$ARCHIVE" 2>/dev/null; fi
  return 0
}

# gf_stage: make <versionsDir>/<target> a complete toolchain from the archive (or skip).
gf_stage() {
  gf_step stage start
  _st_dest="$VDIR/$TARGET"
  STAGED_NOW=0
  if gf_complete "$_st_dest" "$TARGET" && [ ! -e "$META/failed/$TARGET" ]; then
    gf_drop_upload
    gf_step stage skip "" "$TARGET is already installed in $_st_dest"
    return 0
  fi
  if [ -z "$ARCHIVE" ]; then
    if [ "$CUR_KIND" = dir ] && [ "$ADOPT_VERSION" = "$TARGET" ]; then
      gf_step stage skip "" "$G_ROOT already holds $TARGET; it is adopted"
      return 0
    fi
    if [ -e "$META/failed/$TARGET" ]; then
      gf_fail stage VERSION_NOT_INSTALLED "$_st_dest failed verification before and no archive was given to stage it again"
      return 1
    fi
    gf_fail stage VERSION_NOT_INSTALLED "$TARGET is not installed in $VDIR and no archive was given"
    return 1
  fi
  _st_cache="$CACHE_DIR/$ARCHIVE_NAME"
  if [ -L "$ARCHIVE" ] || [ ! -f "$ARCHIVE" ]; then
    gf_fail stage STAGE_FAILED "the archive is not a regular file on the host: $ARCHIVE"
    return 1
  fi
  _st_need=$(((ARCHIVE_SIZE * 4 + 1023) / 1024))
  _st_free=$(gf_free_kb "$VDIR")
  if [ -n "$_st_free" ] && [ "$_st_free" -lt "$_st_need" ]; then
    gf_drop_upload
    gf_fail stage DISK_FULL "$TARGET needs about $_st_need KiB under $VDIR; $_st_free KiB are free"
    return 1
  fi
  gf_cache_archive || return 1
  _st_tmp="$VDIR/.tmp-$TARGET-$$"
  rm -rf "$_st_tmp"
  mkdir -p "$_st_tmp" 2>/dev/null || { gf_fail stage STAGE_FAILED "cannot create $_st_tmp"; return 1; }
  _st_err=$(cd "$_st_tmp" && tar -xozf "$_st_cache" 2>&1 >/dev/null)
  _st_rc=$?
  if [ "$_st_rc" -ne 0 ]; then
    _st_free=$(gf_free_kb "$VDIR")
    rm -rf "$_st_tmp"
    gf_uncache
    if gf_nospace "$_st_err" || { [ -n "$_st_free" ] && [ "$_st_free" -lt 1024 ]; }; then _st_code=DISK_FULL; else _st_code=STAGE_FAILED; fi
    gf_fail stage "$_st_code" "extracting $ARCHIVE_NAME failed (tar exit $_st_rc, \${_st_free:-?} KiB free): $_st_err"
    return 1
  fi
  gf_read_first "$_st_tmp/go/VERSION"
  _st_ver=$FIRST_LINE
  if [ ! -f "$_st_tmp/go/bin/go" ] || [ "$_st_ver" != "$TARGET" ]; then
    rm -rf "$_st_tmp"
    gf_uncache
    gf_fail stage STAGE_FAILED "$ARCHIVE_NAME does not hold $TARGET (go/VERSION says '\${_st_ver:-nothing}', go/bin/go is needed)"
    return 1
  fi
  if [ -e "$_st_dest" ] || [ -L "$_st_dest" ]; then
    gf_trash "$_st_dest" "$TARGET" || { rm -rf "$_st_tmp"; gf_fail stage STAGE_FAILED "cannot move the incomplete $_st_dest away"; return 1; }
  fi
  if ! mv "$_st_tmp/go" "$_st_dest" 2>/dev/null; then
    rm -rf "$_st_tmp"
    gf_fail stage STAGE_FAILED "cannot rename the extracted tree to $_st_dest"
    return 1
  fi
  rm -rf "$_st_tmp"
  rm -f "$META/failed/$TARGET"
  STAGED_NOW=1
  gf_step stage ok "" "installed $_st_dest"
  return 0
}

# gf_uncache: drop the cached copy of an archive whose stage failed on what it holds (tar error, wrong
# content): a later run must not find it by name and skip the upload of a good one.
gf_uncache() {
  rm -f "$_st_cache" 2>/dev/null || gf_warn "could not remove $_st_cache"
  return 0
}

# gf_cache_archive: copy the upload into the cache (a copy this user owns), check the copy's SHA-256, drop the
# upload. Only the copy is hashed (once): it is what gets extracted, and nobody else can change it afterwards.
# A cached archive given as the archive itself is checked in place.
gf_cache_archive() {
  if [ "$ARCHIVE" = "$_st_cache" ]; then
    # just downloaded by gf_pull, which checked this very file (sh-pull.ts)
    [ "\${GF_PULLED:-}" = 1 ] && return 0
    gf_check_sha "$ARCHIVE" "$ARCHIVE"
    return
  fi
  _ca_part="$_st_cache.part-$$"
  # a cache dir made for a copy that then fails its check goes again: a refused archive changes nothing
  _ca_new=0
  [ -d "$CACHE_DIR" ] || _ca_new=1
  if ! mkdir -p "$CACHE_DIR" 2>/dev/null || ! _ca_err=$(cp "$ARCHIVE" "$_ca_part" 2>&1); then
    rm -f "$_ca_part"
    if gf_nospace "$_ca_err"; then _ca_code=DISK_FULL; else _ca_code=STAGE_FAILED; fi
    gf_fail stage "$_ca_code" "cannot copy the archive into $CACHE_DIR: $_ca_err"
    return 1
  fi
  if ! gf_check_sha "$_ca_part" "$_ca_part" "$ARCHIVE"; then
    rm -f "$_ca_part"
    [ "$_ca_new" = 1 ] && rmdir "$CACHE_DIR" 2>/dev/null
    return 1
  fi
  gf_drop_upload
  mv -f "$_ca_part" "$_st_cache" 2>/dev/null || { rm -f "$_ca_part"; gf_fail stage STAGE_FAILED "cannot rename $_ca_part"; return 1; }
  return 0
}

# gf_check_sha FILE DELETE...: FILE's SHA-256 is ARCHIVE_SHA, else fail the stage: CHECKSUM_MISMATCH (the
# DELETE files are removed: they hold the wrong bytes), or STAGE_FAILED when no tool can compute one.
gf_check_sha() {
  _cs_sum=$(gf_sha256 "$1")
  shift
  if [ -z "$_cs_sum" ]; then
    gf_fail stage STAGE_FAILED "cannot compute a SHA-256 of $ARCHIVE (no sha256sum, shasum or openssl, or unreadable)"
    return 1
  fi
  if [ "$_cs_sum" != "$ARCHIVE_SHA" ]; then
    rm -f "$@" 2>/dev/null
    gf_fail stage CHECKSUM_MISMATCH "$ARCHIVE_NAME has SHA-256 $_cs_sum on the host, expected $ARCHIVE_SHA; the file was deleted"
    return 1
  fi
  return 0
}
`;
