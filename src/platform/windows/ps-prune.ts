// Pruning old managed versions, Windows side (the rule is posix/sh-prune.ts's): versions are the directories
// under versionsDir named like go versions, sorted newest first in go/version.Compare order; the newest KEEP are
// kept, and always the active one, the state's `previous` when KEEP >= 2, and, while the active version's switch
// is unverified, the version it would roll back to. A version marked failed does not count towards KEEP and is
// removed unless active or busy. A candidate a running process uses (an executable under it: Get-Process Path)
// is kept with a warning -- Windows would refuse to delete it anyway. Removal renames to .trash-<v>-<pid> first,
// then deletes (gf_rm_tree: never through a junction). Leftovers: every .trash-*, .tmp-* older than an hour,
// cache .part-* older than an hour, cached archives of removed versions, failed marks of versions that are gone.

export const PS_PRUNE = String.raw`# --- prune -------------------------------------------------------------------------
# gf_version_key NAME: a sort key in go/version.Compare order (src/version/go-version.ts): from 1.21 on
# go1.N < go1.NrcR < go1.N.0; before 1.21 go1.NrcR < go1.N = go1.N.0. Fields: major minor patch (-1 when
# absent) kind (none 0 < alpha 1 < beta 2 < rc 3) number, each zero-padded; non-versions sort last.
function gf_version_key([string]$Name) {
  $m = [regex]::Match($Name, '^go([0-9]+)(?:\.([0-9]+))?(?:\.([0-9]+))?(?:(alpha|beta|rc)([0-9]+))?$')
  if (-not $m.Success) { return '0' }
  $maj = [long]$m.Groups[1].Value
  $min = 0
  if ($m.Groups[2].Success) { $min = [long]$m.Groups[2].Value }
  $pre = $m.Groups[4].Value
  $pat = 0
  if ($m.Groups[3].Success) {
    $pat = [long]$m.Groups[3].Value
  } elseif ($m.Groups[2].Success -and ($pre -ne '' -or $maj -ne 1 -or $min -ge 21)) {
    $pat = -1
  }
  $kind = 0
  if ($pre -eq 'alpha') { $kind = 1 } elseif ($pre -eq 'beta') { $kind = 2 } elseif ($pre -eq 'rc') { $kind = 3 }
  $n = 0
  if ($m.Groups[5].Success) { $n = [long]$m.Groups[5].Value }
  return ('1' + ($maj + 1).ToString('D6') + ($min + 1).ToString('D6') + ($pat + 1).ToString('D6') + $kind.ToString('D1') + ($n + 1).ToString('D6'))
}

# gf_old PATH: last written more than an hour ago?
function gf_old([string]$Path) {
  try { return ([IO.Directory]::GetLastWriteTimeUtc($Path) -lt [DateTime]::UtcNow.AddHours(-1)) } catch { return $false }
}

# gf_prune_versions: remove the versions beyond the rule; sets REMOVED (v1,v2).
function gf_prune_versions {
  $script:REMOVED = ''
  $all = @([IO.Directory]::GetDirectories($script:VDIR) | ForEach-Object { [IO.Path]::GetFileName($_) } |
      Where-Object { (gf_valid_version $_) -and -not (gf_is_link ($script:VDIR + '\' + $_)) } |
      Sort-Object -Property @{ Expression = { gf_version_key $_ } } -Descending)
  $back = ''
  $pending = gf_state_read 'verify_pending'
  if ($pending -ne '' -and $pending -ceq $script:CUR_ACTIVE) { $back = gf_state_read 'rollback_active' }
  $i = 0
  $cands = New-Object System.Collections.Generic.List[string]
  foreach ($v in $all) {
    if (-not [IO.File]::Exists($script:META + '\failed\' + $v)) {
      $i++
      if ($i -le [int]$script:KEEP) { continue }
      if ([int]$script:KEEP -ge 2 -and $v -ceq $script:STATE_PREVIOUS) { continue }
    }
    if ($v -ceq $script:CUR_ACTIVE -or $v -ceq $back) { continue }
    $cands.Add($v)
  }
  foreach ($v in $cands) {
    if (gf_signal) { break }
    $dir = $script:VDIR + '\' + $v
    $users = gf_users_of $dir
    if ($users -ne '') {
      gf_warn ('kept ' + $v + ': ' + $users + ' runs from ' + $dir)
      continue
    }
    if (gf_trash $dir $v) {
      try { [IO.File]::Delete($script:META + '\failed\' + $v) } catch { }
      if ($script:REMOVED -ne '') { $script:REMOVED += ',' }
      $script:REMOVED += $v
    } else {
      gf_warn ('could not remove ' + $dir + ': ' + $script:MOVE_ERROR)
    }
  }
}

# gf_prune_leftovers: trash, old temporary trees, failed marks of versions that are gone, cached archives of
# removed versions.
function gf_prune_leftovers {
  foreach ($d in [IO.Directory]::GetFileSystemEntries($script:VDIR)) {
    $name = [IO.Path]::GetFileName($d)
    if ($name.StartsWith('.trash-') -or ($name.StartsWith('.tmp-') -and (gf_old $d))) {
      if (-not (gf_rm_tree $d)) { gf_warn ('could not remove ' + $d) }
    }
  }
  if ([IO.Directory]::Exists($script:META + '\failed')) {
    foreach ($f in [IO.Directory]::GetFiles($script:META + '\failed')) {
      if (-not [IO.Directory]::Exists($script:VDIR + '\' + [IO.Path]::GetFileName($f))) { try { [IO.File]::Delete($f) } catch { } }
    }
  }
  if (-not [IO.Directory]::Exists($script:CACHE_DIR)) { return }
  $gone = @($script:REMOVED.Split(',') | Where-Object { $_ -ne '' })
  foreach ($f in [IO.Directory]::GetFiles($script:CACHE_DIR)) {
    $name = [IO.Path]::GetFileName($f)
    if ($name -match '\.part-[0-9]+$') {
      if (gf_old $f) { try { [IO.File]::Delete($f) } catch { } }
      continue
    }
    $v = $name -replace '\.(tar\.gz|zip|msi|pkg)$', '' -replace '\.[A-Za-z0-9]+-[A-Za-z0-9]+$', ''
    if ($gone -ccontains $v) {
      try { [IO.File]::Delete($f) } catch { gf_warn ('could not remove ' + $f) }
    }
  }
}

function gf_prune_flow {
  gf_read_current
  if (-not [IO.Directory]::Exists($script:VDIR)) {
    gf_step 'prune' 'skip' '' ($script:VDIR + ' does not exist')
    gf_outcome 'pruned' $script:CUR_VERSION $script:CUR_VERSION
    return
  }
  gf_step 'lock' 'start'
  if (-not (gf_can_write $script:VDIR)) {
    gf_fail 'lock' 'NO_PRIVILEGE' ([Security.Principal.WindowsIdentity]::GetCurrent().Name + ' cannot write ' + $script:VDIR)
    gf_outcome 'failed' $script:CUR_VERSION $script:CUR_VERSION $script:FAIL_CODE $script:FAIL_MSG
    return
  }
  if (-not (gf_lock)) {
    gf_outcome 'failed' $script:CUR_VERSION $script:CUR_VERSION $script:FAIL_CODE $script:FAIL_MSG
    return
  }
  gf_repair_goroot
  gf_read_current
  gf_step 'prune' 'start'
  gf_prune_versions
  gf_prune_leftovers
  $what = $script:REMOVED
  if ($what -eq '') { $what = 'nothing' }
  gf_step 'prune' 'ok' '' ('removed: ' + $what)
  gf_release
  gf_outcome 'pruned' $script:CUR_VERSION $script:CUR_VERSION '' '' $script:REMOVED
}
`;
