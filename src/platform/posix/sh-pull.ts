// Pull delivery (--distribution pull|auto, issue 12): the host downloads the archive from the source URL
// itself, inside the upgrade script (under the host lock, before anything touches goroot). Host side of the
// `pull` step, which runs right before `stage`:
//   1. nothing to do when the target is installed already or the archive is in the cache (stage checks it);
//   2. download with curl (-fL --retry 2 -C -), else wget -c, else busybox wget -c into
//      <cache>/<filename>.partial — the same name on every run, so an interrupted download is resumed by the
//      next run (under the host lock, so one writer). A partial longer than the file is dropped first;
//   3. its size must be ARCHIVE_SIZE (shorter: PULL_FAILED, kept to resume), its SHA-256 ARCHIVE_SHA
//      (mismatch: the partial is deleted, CHECKSUM_MISMATCH), then it is renamed into the cache, where
//      stage takes it as a cached archive.
// Failures: PULL_NO_TOOL (none of the three tools), PULL_FAILED (the tool's own words: refused, 404, TLS,
// timeout). Proxies: curl, wget and busybox wget honour the host's own http_proxy / https_proxy / no_proxy
// from the environment the script runs in; gofleet sets none.
// The reach probe (auto) is in reach-script.ts.


export const SH_PULL = `# --- pull -------------------------------------------------------------------------
# gf_file_size FILE: its size in bytes (wc -c works on every userland), or nothing.
gf_file_size() {
  wc -c <"$1" 2>/dev/null | awk '{ print $1 }'
}

# gf_pull_fetch PART: download ARCHIVE_URL into PART, resuming it; sets _pl_tool, _pl_rc, _pl_err.
gf_pull_fetch() {
  if command -v curl >/dev/null 2>&1; then
    _pl_tool=curl
    _pl_err=$(curl -fsSL --retry 2 --connect-timeout 30 -C - -o "$1" "$ARCHIVE_URL" 2>&1 >/dev/null)
  elif command -v wget >/dev/null 2>&1; then
    _pl_tool=wget
    _pl_err=$(wget -c -O "$1" "$ARCHIVE_URL" 2>&1 >/dev/null)
  elif command -v busybox >/dev/null 2>&1 && busybox wget --help >/dev/null 2>&1; then
    _pl_tool='busybox wget'
    _pl_err=$(busybox wget -c -O "$1" "$ARCHIVE_URL" 2>&1 >/dev/null)
  else
    _pl_tool=
    _pl_rc=127
    return 1
  fi
  _pl_rc=$?
  # the last lines hold the error (wget prints progress before it)
  _pl_err=$(printf '%s\\n' "$_pl_err" | tail -n 3)
  return "$_pl_rc"
}

# gf_pull: when ARCHIVE_URL is set and the target needs staging from an archive not in the cache, download it there.
gf_pull() {
  [ -n "$ARCHIVE_URL" ] || return 0
  _pl_dest="$CACHE_DIR/$ARCHIVE_NAME"
  if gf_complete "$VDIR/$TARGET" "$TARGET" && [ ! -e "$META/failed/$TARGET" ]; then return 0; fi
  [ -f "$_pl_dest" ] && return 0
  gf_step pull start
  _pl_part="$_pl_dest.partial"
  mkdir -p "$CACHE_DIR" 2>/dev/null || { gf_fail pull PULL_FAILED "cannot create $CACHE_DIR"; return 1; }
  _pl_have=
  [ -f "$_pl_part" ] && _pl_have=$(gf_file_size "$_pl_part")
  if [ -n "$_pl_have" ] && [ "$_pl_have" -gt "$ARCHIVE_SIZE" ]; then rm -f "$_pl_part"; _pl_have=; fi
  # a partial that is already whole needs no request (a server answers 416 to a range past the end)
  if [ "$_pl_have" != "$ARCHIVE_SIZE" ] && ! gf_pull_fetch "$_pl_part"; then
    if [ -z "$_pl_tool" ]; then
      gf_fail pull PULL_NO_TOOL "no curl, wget or busybox wget on the host to download $ARCHIVE_URL"
      return 1
    fi
    gf_fail pull PULL_FAILED "$_pl_tool could not download $ARCHIVE_URL (exit $_pl_rc): $_pl_err"
    return 1
  fi
  _pl_got=$(gf_file_size "$_pl_part")
  if [ "$_pl_got" != "$ARCHIVE_SIZE" ]; then
    if [ -n "$_pl_got" ] && [ "$_pl_got" -gt "$ARCHIVE_SIZE" ]; then rm -f "$_pl_part"; fi
    gf_fail pull PULL_FAILED "$ARCHIVE_URL gave \${_pl_got:-0} bytes, $ARCHIVE_SIZE expected (a shorter download is resumed by the next run)"
    return 1
  fi
  _pl_sum=$(gf_sha256 "$_pl_part")
  if [ -z "$_pl_sum" ]; then
    gf_fail pull STAGE_FAILED "cannot compute a SHA-256 of $_pl_part (no sha256sum, shasum or openssl)"
    return 1
  fi
  if [ "$_pl_sum" != "$ARCHIVE_SHA" ]; then
    rm -f "$_pl_part"
    gf_fail pull CHECKSUM_MISMATCH "$ARCHIVE_NAME from $ARCHIVE_URL has SHA-256 $_pl_sum, expected $ARCHIVE_SHA; the download was deleted"
    return 1
  fi
  mv -f "$_pl_part" "$_pl_dest" 2>/dev/null || { gf_fail pull PULL_FAILED "cannot rename $_pl_part into the cache"; return 1; }
  GF_PULLED=1
  gf_step pull ok "" "downloaded $ARCHIVE_NAME with $_pl_tool"
  return 0
}
`;

export { checkPullUrl } from '../validate-values.ts';
