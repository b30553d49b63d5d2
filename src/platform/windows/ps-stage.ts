// Staging a zip on a Windows host (the twin of posix/sh-stage.ts): free space, cache copy with its SHA-256
// re-checked on the host, extraction beside the final directory, checks, rename into place. Nothing in PATH
// or goroot changes. Host side of the "stage" step.
//   1. about 4x the archive size must be free on versionsDir's drive, else DISK_FULL;
//   2. the upload is copied to .gofleet\cache\<file>.part-<pid> and that copy's SHA-256 (Get-FileHash) must
//      equal the intent's: a mismatch deletes the copy and the upload (CHECKSUM_MISMATCH). The copy is renamed
//      into the cache; a re-run may pass the cache path itself (checked in place);
//   3. extracted into a fresh <versionsDir>\.tmp-<version>-<pid> with tar.exe (bsdtar reads zip; in-box since
//      Windows 10 1803 / Server 2019, and much faster than Expand-Archive), else with
//      [IO.Compression.ZipFile]::ExtractToDirectory (.NET Framework 4.5; it has no overwrite option, which is
//      why the directory is always fresh);
//   4. the zip's top folder go\ must hold bin\go.exe and a VERSION whose first line is the target;
//   5. .tmp-...\go is renamed to <versionsDir>\<version>. Antivirus scans freshly extracted files and holds
//      them open for a moment, so a refused rename is retried with backoff (gf_move_dir) and, if it still
//      fails, reported as FILES_IN_USE naming the processes running from there when it can.
// A complete <versionsDir>\<version> is reused unless marked failed (<meta>\failed\<version>).
// Pull (--distribution pull|auto): gf_pull (ps-pull.ts, step `pull` right before this one) has put the archive
// into the cache and checked its SHA-256 ($script:PULLED), so gf_cache_archive does not hash it a second time.

export const PS_STAGE = String.raw`# --- stage -------------------------------------------------------------------------
# gf_sha256 FILE: lowercase hex SHA-256 of FILE, or '' when it cannot be read.
function gf_sha256([string]$File) {
  try { return (Get-FileHash -LiteralPath $File -Algorithm SHA256 -ErrorAction Stop).Hash.ToLowerInvariant() } catch { return '' }
}

# gf_drop_upload: remove the uploaded archive when it is not the cached copy.
function gf_drop_upload {
  if ($script:ARCHIVE -eq '' -or $script:ARCHIVE -ieq ($script:CACHE_DIR + '\' + $script:ARCHIVE_NAME)) { return }
  try { if ([IO.File]::Exists($script:ARCHIVE)) { [IO.File]::Delete($script:ARCHIVE) } } catch { }
}

# gf_check_sha FILE: FILE's SHA-256 is ARCHIVE_SHA, else fail the stage (FILE is deleted: wrong bytes).
function gf_check_sha([string]$File) {
  $sum = gf_sha256 $File
  if ($sum -eq '') {
    gf_fail 'stage' 'STAGE_FAILED' ('cannot compute the SHA-256 of ' + $File)
    return $false
  }
  if ($sum -cne $script:ARCHIVE_SHA) {
    try { [IO.File]::Delete($File) } catch { }
    gf_drop_upload
    gf_fail 'stage' 'CHECKSUM_MISMATCH' ($script:ARCHIVE_NAME + ' has SHA-256 ' + $sum + ' on the host, expected ' + $script:ARCHIVE_SHA + '; the file was deleted')
    return $false
  }
  return $true
}

# gf_cache_archive CACHED [CHECKED]: copy the upload into the cache, check the copy's SHA-256, drop the upload.
# CHECKED: the archive is the cached copy and its SHA-256 was just checked (gf_pull downloaded it).
function gf_cache_archive([string]$Cached, [bool]$Checked = $false) {
  if ($script:ARCHIVE -ieq $Cached) {
    if ($Checked) { return $true }
    return (gf_check_sha $Cached)
  }
  $part = $Cached + '.part-' + $PID
  try {
    [void][IO.Directory]::CreateDirectory($script:CACHE_DIR)
    [IO.File]::Copy($script:ARCHIVE, $part, $true)
  } catch {
    try { [IO.File]::Delete($part) } catch { }
    $code = 'STAGE_FAILED'
    if ($_.Exception.Message -match 'not enough space|disk is full') { $code = 'DISK_FULL' }
    gf_fail 'stage' $code ('cannot copy the archive into ' + $script:CACHE_DIR + ': ' + $_.Exception.Message)
    return $false
  }
  if (-not (gf_check_sha $part)) { return $false }
  gf_drop_upload
  try {
    if ([IO.File]::Exists($Cached)) { [IO.File]::Delete($Cached) }
    [IO.File]::Move($part, $Cached)
  } catch {
    try { [IO.File]::Delete($part) } catch { }
    gf_fail 'stage' 'STAGE_FAILED' ('cannot rename ' + $part + ': ' + $_.Exception.Message)
    return $false
  }
  return $true
}

# gf_extract ZIP DIR: extract ZIP into the existing empty DIR; '' on success, else why.
function gf_extract([string]$Zip, [string]$Dir) {
  $tar = [Environment]::GetFolderPath('System') + '\tar.exe'
  if ([IO.File]::Exists($tar)) {
    $r = gf_run $tar @('-xf', $Zip, '-C', $Dir) '' $null 1800
    if ($r.TimedOut) { return 'tar.exe timed out after 1800 s' }
    if ($r.Code -eq 0) { return '' }
    return ('tar.exe exit ' + $r.Code + ': ' + $r.Err + $r.StartError)
  }
  try {
    Add-Type -AssemblyName System.IO.Compression.FileSystem
    [IO.Compression.ZipFile]::ExtractToDirectory($Zip, $Dir)
    return ''
  } catch {
    return $_.Exception.Message
  }
}

# gf_stage: make <versionsDir>\<target> a complete toolchain from the archive (or skip).
function gf_stage {
  gf_step 'stage' 'start'
  $dest = $script:VDIR + '\' + $script:TARGET
  $script:STAGED_NOW = $false
  $failedMark = $script:META + '\failed\' + $script:TARGET
  if ((gf_complete $dest $script:TARGET) -and -not [IO.File]::Exists($failedMark)) {
    gf_drop_upload
    gf_step 'stage' 'skip' '' ($script:TARGET + ' is already installed in ' + $dest)
    return $true
  }
  if ($script:ARCHIVE -eq '') {
    if ($script:CUR_KIND -eq 'dir' -and $script:ADOPT_VERSION -ceq $script:TARGET) {
      gf_step 'stage' 'skip' '' ($script:G_ROOT + ' already holds ' + $script:TARGET + '; it is adopted')
      return $true
    }
    gf_fail 'stage' 'VERSION_NOT_INSTALLED' ($script:TARGET + ' is not installed in ' + $script:VDIR + ' and no archive was given')
    return $false
  }
  if (-not [IO.File]::Exists($script:ARCHIVE)) {
    gf_fail 'stage' 'STAGE_FAILED' ('the archive is not a file on the host: ' + $script:ARCHIVE)
    return $false
  }
  $need = [long]$script:ARCHIVE_SIZE * 4
  $free = gf_free_bytes $script:VDIR
  if ($free -ge 0 -and $free -lt $need) {
    gf_drop_upload
    gf_fail 'stage' 'DISK_FULL' ($script:TARGET + ' needs about ' + [math]::Ceiling($need / 1024) + ' KiB under ' + $script:VDIR + '; ' + [math]::Floor($free / 1024) + ' KiB are free')
    return $false
  }
  $cached = $script:CACHE_DIR + '\' + $script:ARCHIVE_NAME
  if (-not (gf_cache_archive $cached $script:PULLED)) { return $false }
  $tmp = $script:VDIR + '\.tmp-' + $script:TARGET + '-' + $PID
  [void](gf_rm_tree $tmp)
  try {
    [void][IO.Directory]::CreateDirectory($tmp)
  } catch {
    gf_fail 'stage' 'STAGE_FAILED' ('cannot create ' + $tmp + ': ' + $_.Exception.Message)
    return $false
  }
  $why = gf_extract $cached $tmp
  if ($why -ne '') {
    $free = gf_free_bytes $script:VDIR
    [void](gf_rm_tree $tmp)
    try { [IO.File]::Delete($cached) } catch { gf_warn ('could not remove ' + $cached) }
    $code = 'STAGE_FAILED'
    if ($why -match 'not enough space|disk is full|No space' -or ($free -ge 0 -and $free -lt 1048576)) { $code = 'DISK_FULL' }
    gf_fail 'stage' $code ('extracting ' + $script:ARCHIVE_NAME + ' failed (' + [math]::Floor($free / 1024) + ' KiB free): ' + $why)
    return $false
  }
  $ver = gf_read_first ($tmp + '\go\VERSION')
  if (-not [IO.File]::Exists($tmp + '\go\bin\go.exe') -or $ver -cne $script:TARGET) {
    [void](gf_rm_tree $tmp)
    try { [IO.File]::Delete($cached) } catch { }
    gf_fail 'stage' 'STAGE_FAILED' ($script:ARCHIVE_NAME + ' does not hold ' + $script:TARGET + " (go\VERSION says '" + $ver + "', go\bin\go.exe is needed)")
    return $false
  }
  if (gf_exists $dest) {
    if (-not (gf_trash $dest $script:TARGET)) {
      [void](gf_rm_tree $tmp)
      gf_move_failed 'stage' 'STAGE_FAILED' ('cannot move the incomplete ' + $dest + ' away')
      return $false
    }
  }
  if (-not (gf_move_dir ($tmp + '\go') $dest)) {
    gf_move_failed 'stage' 'STAGE_FAILED' ('cannot rename the extracted tree to ' + $dest)
    [void](gf_rm_tree $tmp)
    return $false
  }
  [void](gf_rm_tree $tmp)
  try { if ([IO.File]::Exists($failedMark)) { [IO.File]::Delete($failedMark) } } catch { }
  $script:STAGED_NOW = $true
  gf_step 'stage' 'ok' '' ('installed ' + $dest)
  return $true
}
`;
