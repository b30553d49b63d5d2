// What goroot is now, and small state-changing helpers shared by the switch and prune flows (the twin of
// posix/sh-current.ts). gf_read_current never changes anything. On Windows goroot is a directory junction
// ('link'), a real directory (a manual or MSI install: 'dir'), missing, or something else ('other').

export const PS_CURRENT = String.raw`# --- current state -------------------------------------------------------------
# gf_go_version GO: the version field of 'GO version' (go1.27.3), or '' (capped at CAP_CMD seconds).
function gf_go_version([string]$Go) {
  if (-not [IO.File]::Exists($Go)) { return '' }
  $r = gf_run $Go @('version') '' (gf_fresh_env) ([int]$script:CAP_CMD)
  if ($r.TimedOut -or $r.Code -ne 0) { return '' }
  return (gf_version_field $r.Out)
}

# gf_active: the version the goroot junction points at, when it points directly inside versionsDir.
function gf_active {
  if (-not (gf_is_link $script:G_ROOT)) { return '' }
  $t = gf_link_target $script:G_ROOT
  $v = gf_norm_path $script:VDIR
  if ($t.Length -le $v.Length + 1 -or -not $t.StartsWith($v + '\', [StringComparison]::OrdinalIgnoreCase)) { return '' }
  $name = $t.Substring($v.Length + 1)
  if ($name.Contains('\') -or -not (gf_valid_version $name)) { return '' }
  return $name
}

# gf_read_current: CUR_KIND (link|dir|missing|other), CUR_LINK, CUR_VERSION, CUR_ACTIVE, ADOPT_VERSION,
# STATE_PREVIOUS, STATE_PREVIOUS_LINK, CUR_FOREIGN (1: a junction to something that is neither a toolchain
# nor inside versionsDir).
function gf_read_current {
  $script:CUR_KIND = 'missing'
  $script:CUR_LINK = ''
  $script:CUR_VERSION = ''
  $script:CUR_ACTIVE = ''
  $script:ADOPT_VERSION = ''
  if (gf_is_link $script:G_ROOT) {
    $script:CUR_KIND = 'link'
    $script:CUR_LINK = gf_link_target $script:G_ROOT
    $script:CUR_VERSION = gf_read_first ($script:G_ROOT + '\VERSION')
    if ($script:CUR_VERSION -eq '') { $script:CUR_VERSION = gf_go_version ($script:G_ROOT + '\bin\go.exe') }
    $script:CUR_ACTIVE = gf_active
  } elseif ([IO.Directory]::Exists($script:G_ROOT)) {
    $script:CUR_KIND = 'dir'
    $script:ADOPT_VERSION = gf_read_first ($script:G_ROOT + '\VERSION')
    if ($script:ADOPT_VERSION -eq '') { $script:ADOPT_VERSION = gf_go_version ($script:G_ROOT + '\bin\go.exe') }
    $script:CUR_VERSION = $script:ADOPT_VERSION
  } elseif (gf_exists $script:G_ROOT) {
    $script:CUR_KIND = 'other'
  }
  $script:STATE_PREVIOUS = gf_state_read 'previous'
  if (-not (gf_valid_version $script:STATE_PREVIOUS)) { $script:STATE_PREVIOUS = '' }
  $script:STATE_PREVIOUS_LINK = gf_state_read 'previous_link'
  $script:CUR_FOREIGN = '0'
  if ($script:CUR_KIND -eq 'link' -and $script:CUR_ACTIVE -eq '' -and -not (gf_complete $script:G_ROOT $script:CUR_VERSION)) {
    if (-not $script:CUR_LINK.StartsWith((gf_norm_path $script:VDIR) + '\', [StringComparison]::OrdinalIgnoreCase)) { $script:CUR_FOREIGN = '1' }
  }
}

# gf_goroot_now: what goroot is right now, read back (never assumed), for messages.
function gf_goroot_now {
  if (gf_is_link $script:G_ROOT) {
    $t = gf_link_target $script:G_ROOT
    if ($t -ne '' -and [IO.Directory]::Exists($t)) { return 'a junction to ' + $t }
    return 'a junction to a missing directory (' + $t + ')'
  }
  if ([IO.Directory]::Exists($script:G_ROOT)) { return 'a directory' }
  if (gf_exists $script:G_ROOT) { return 'neither a junction nor a directory' }
  return 'missing'
}

# gf_trash PATH NAME: rename PATH to <versionsDir>\.trash-NAME-<pid> (a half-removed tree never keeps its
# name), then remove it.
function gf_trash([string]$Path, [string]$Name) {
  $aside = $script:VDIR + '\.trash-' + $Name + '-' + $PID
  [void](gf_rm_tree $aside)
  if (-not (gf_move_dir $Path $aside)) { return $false }
  if (-not (gf_rm_tree $aside)) { gf_warn ('could not remove ' + $aside) }
  return $true
}

# gf_move_dir FROM TO: rename a directory (or a junction itself: MoveFile renames the reparse point, not its
# target). A refusal because a file inside is open -- antivirus scanning freshly extracted files, a running
# go.exe or gopls -- is usually brief: retried with backoff (0.5, 1, 2, 4, 8 s). After the last try
# MOVE_ERROR says why and MOVE_USERS names processes running from FROM, when any can be seen.
function gf_move_dir([string]$From, [string]$To) {
  $script:MOVE_ERROR = ''
  $script:MOVE_USERS = ''
  $delay = 500
  for ($try = 1; $try -le 6; $try++) {
    try {
      [IO.Directory]::Move($From, $To)
      return $true
    } catch {
      $script:MOVE_ERROR = $_.Exception.Message
      # only a sharing violation or an access refusal is worth waiting for; a missing source or an
      # existing target will not change
      $e = $_.Exception
      while ($null -ne $e.InnerException) { $e = $e.InnerException }
      $locked = ($e -is [System.UnauthorizedAccessException]) -or ($e.HResult -band 0xFFFF) -in @(5, 32, 33)
      if (-not $locked -or $try -eq 6) { break }
      Start-Sleep -Milliseconds $delay
      $delay = $delay * 2
    }
  }
  if (-not (gf_is_link $From)) { $script:MOVE_USERS = gf_users_of $From }
  return $false
}

# gf_move_failed STEP WHAT: report a failed gf_move_dir: FILES_IN_USE when a process could be named or the
# error is a sharing violation, else CODE.
function gf_move_failed([string]$Step, [string]$Code, [string]$What) {
  if ($script:MOVE_USERS -ne '') {
    gf_fail $Step 'FILES_IN_USE' ($What + ': in use by ' + $script:MOVE_USERS + ' (' + $script:MOVE_ERROR + ')')
  } elseif ($script:MOVE_ERROR -match 'being used by another process|Access to the path .* is denied') {
    gf_fail $Step 'FILES_IN_USE' ($What + ': a file in it is open (antivirus, an indexer, or a process this user cannot see): ' + $script:MOVE_ERROR)
  } else {
    gf_fail $Step $Code ($What + ': ' + $script:MOVE_ERROR)
  }
}
`;
