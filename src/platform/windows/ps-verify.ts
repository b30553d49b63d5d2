// Verification after a switch, and rollback, Windows side (the twin of posix/sh-verify.ts). Every command
// runs in a FRESH process whose environment is what a new logon gets (gf_fresh_env, ps-run.ts), capped: the
// hello-world build at CAP_BUILD seconds, everything else at CAP_CMD. In order, a failure is
// `step verify fail code=VERIFY_FAILED` saying what was seen:
//   1. <goroot>\bin\go.exe version prints the target;
//   2. go env GOROOT is <goroot> or <versionsDir>\<target> (a stale machine/user GOROOT variable fails here,
//      as it would break that user's builds);
//   3. the go a new logon resolves (machine Path + user Path, PATHEXT order) is <goroot>\bin\go.exe;
//      another go fails when requirePath, none is a warning;
//   4. if build: a println hello-world (compiler, linker and runtime, without fmt's packages: see sh-verify.ts)
//      built offline in <versionsDir>\.gofleet\verify-cache\<run>-<pid> with GOTOOLCHAIN=local GOPROXY=off
//      GOFLAGS=-mod=mod CGO_ENABLED=0 and GOPATH, GOCACHE, GOMODCACHE and GOTMPDIR set explicitly under it:
//      a remote logon often has no %LocalAppData% (no loaded profile), and then the go command refuses to build
//      ("GOCACHE is not defined and %LocalAppData% is not defined"). The binary must run and print the marker.
//      A binary that vanished right after the build, or that Windows refused to start ("Access is denied",
//      "Operation did not complete successfully because the file contains a virus") is VERIFY_BLOCKED:
//      antivirus, not a broken toolchain. A build that died because an allocation failed (gf_out_of_memory: Go's
//      "fatal error: out of memory", exit 0xC0000017) is VERIFY_OUT_OF_MEMORY, the host's fault too (over WinRM
//      the controller names the shell's MaxMemoryPerShellMB cap: WINRM_SHELL_MEMORY);
//   5. the health command, through cmd.exe /d /s /c, with <goroot>\bin first on Path.
// Rollback puts the junction back (or removes it when there was no goroot), puts the machine PATH back when
// this run changed it, and checks that the old go answers `go version` (fresh environment, CAP_CMD).

export const PS_VERIFY = String.raw`# --- verify and rollback ------------------------------------------------------------
# gf_same_dir A B: the same directory, as text (case-insensitive, no trailing backslash, junctions followed once).
function gf_same_dir([string]$A, [string]$B) {
  $a1 = gf_norm_path $A.Trim()
  $b1 = gf_norm_path $B.Trim()
  if ($a1 -ieq $b1) { return $true }
  if ((gf_is_link $a1) -and (gf_link_target $a1) -ieq $b1) { return $true }
  if ((gf_is_link $b1) -and (gf_link_target $b1) -ieq $a1) { return $true }
  return $false
}

# gf_verify: check the toolchain behind goroot is TARGET and works (BUILD, REQUIRE_PATH, HEALTH).
function gf_verify {
  gf_step 'verify' 'start'
  # whose failure it is: the toolchain's (version, GOROOT, build) or the host's (PATH, health, antivirus)
  $script:VERIFY_BLAME = 'toolchain'
  $env0 = gf_fresh_env
  $go = $script:G_ROOT + '\bin\go.exe'
  $r = gf_run $go @('version') '' $env0 ([int]$script:CAP_CMD)
  if ($r.TimedOut) {
    gf_fail 'verify' 'VERIFY_FAILED' ($go + ' version timed out after ' + $script:CAP_CMD + ' s')
    return $false
  }
  $ver = gf_version_field $r.Out
  if ($ver -cne $script:TARGET) {
    gf_fail 'verify' 'VERIFY_FAILED' ($go + " version printed '" + ($r.Out + $r.Err + $r.StartError).Trim() + "', expected " + $script:TARGET)
    return $false
  }
  $r = gf_run $go @('env', 'GOROOT') '' $env0 ([int]$script:CAP_CMD)
  if ($r.TimedOut) {
    gf_fail 'verify' 'VERIFY_FAILED' ($go + ' env GOROOT timed out after ' + $script:CAP_CMD + ' s')
    return $false
  }
  $root = $r.Out.Trim()
  if (-not ((gf_same_dir $root $script:G_ROOT) -or (gf_same_dir $root ($script:VDIR + '\' + $script:TARGET)))) {
    $why = ''
    if ($env0.ContainsKey('GOROOT')) { $why = ' (a GOROOT variable is set for new logons: ' + $env0['GOROOT'] + '; remove it, Go finds its root itself)' }
    gf_fail 'verify' 'VERIFY_FAILED' ("go env GOROOT printed '" + ($r.Out + $r.Err).Trim() + "', expected " + $script:G_ROOT + $why)
    return $false
  }
  $script:VERIFY_BLAME = 'host'
  if (-not (gf_verify_path $env0)) { return $false }
  $script:VERIFY_BLAME = 'toolchain'
  if ($script:BUILD -eq '1' -and -not (gf_verify_build $env0)) { return $false }
  $script:VERIFY_BLAME = 'host'
  if ($script:HEALTH -ne '' -and -not (gf_verify_health $env0)) { return $false }
  gf_step 'verify' 'ok'
  return $true
}

# gf_verify_path ENV: a new logon finds this go (or none: a warning).
function gf_verify_path($EnvMap) {
  $found = gf_login_go $EnvMap
  $mine = $script:G_ROOT + '\bin\go.exe'
  if ($found -eq '') {
    gf_warn ('a new logon finds no go on PATH; add ' + $script:G_ROOT + '\bin to the machine PATH')
    return $true
  }
  if ((gf_same_dir ([IO.Path]::GetDirectoryName($found)) ($script:G_ROOT + '\bin')) -and [IO.Path]::GetFileName($found) -ieq 'go.exe') { return $true }
  $msg = 'a new logon finds go at ' + $found + ', not ' + $mine
  if ($script:REQUIRE_PATH -eq '1') {
    gf_fail 'verify' 'VERIFY_FAILED' $msg
    return $false
  }
  gf_warn $msg
  return $true
}

# gf_blocked TEXT: does TEXT say Windows refused to run or keep a file (antivirus, application control)?
function gf_blocked([string]$Text) {
  return ($Text -match 'Access is denied|contains a virus|potentially unwanted software|blocked by (your|group) policy|Application Control|0x800700E1|0x80070005')
}

# gf_out_of_memory TEXT CODE: did a process die because an allocation failed? Go prints "fatal error: out of
# memory" after "VirtualAlloc ... failed with errno=1455" (ERROR_COMMITMENT_LIMIT, "The paging file is too small"),
# which is what a job object's memory cap (WinRM's MaxMemoryPerShellMB) answers; a native process that dies of it
# exits 0xC0000017 (STATUS_NO_MEMORY) or 0xC000012D (STATUS_COMMITMENT_LIMIT), and go build reports a compiler or
# linker that did as "exit status 0xc0000017".
function gf_out_of_memory([string]$Text, [int]$Code) {
  if ($Code -eq -1073741801 -or $Code -eq -1073741523) { return $true }
  return ($Text -match 'fatal error: out of memory|errno=1455|paging file is too small|Not enough quota is available|Not enough memory resources|insufficient memory|cannot allocate memory|0xc0000017|0xc000012d|OutOfMemoryException')
}

# gf_verify_build ENV: build and run a hello-world offline; the program must print the marker.
function gf_verify_build($EnvMap) {
  $dir = $script:META + '\verify-cache\' + $script:RUN + '-' + $PID
  [void](gf_rm_tree $dir)
  try {
    foreach ($d in @($dir, ($dir + '\gotmp'))) { [void][IO.Directory]::CreateDirectory($d) }
  } catch {
    gf_fail 'verify' 'VERIFY_FAILED' ('cannot create ' + $dir + ' for the hello-world build: ' + $_.Exception.Message)
    return $false
  }
  $marker = 'gofleet-verify-' + $script:RUN + '-' + $PID
  $lang = ''
  if ($script:TARGET -match '^go([0-9]+)\.([0-9]+)') { $lang = $Matches[1] + '.' + $Matches[2] }
  $mod = 'module gofleetcheck' + $script:LF
  if ($lang -ne '') { $mod += $script:LF + 'go ' + $lang + $script:LF }
  $src = 'package main' + $script:LF + $script:LF + 'func main() {' + $script:LF + [char]9 + 'println("' + $marker + '")' + $script:LF + '}' + $script:LF
  [IO.File]::WriteAllText($dir + '\go.mod', $mod)
  [IO.File]::WriteAllText($dir + '\main.go', $src)
  $e = $EnvMap.Clone()
  $e['GOPATH'] = $dir + '\gopath'
  $e['GOCACHE'] = $dir + '\gocache'
  $e['GOMODCACHE'] = $dir + '\gomodcache'
  $e['GOTMPDIR'] = $dir + '\gotmp'
  foreach ($kv in @(@('GOFLAGS', '-mod=mod'), @('GOPROXY', 'off'), @('GOSUMDB', 'off'), @('GOENV', 'off'), @('GOWORK', 'off'), @('GO111MODULE', 'on'), @('CGO_ENABLED', '0'), @('GOTOOLCHAIN', 'local'))) {
    $e[$kv[0]] = $kv[1]
  }
  $e.Remove('GOROOT')
  $r = gf_run ($script:G_ROOT + '\bin\go.exe') @('build', '-o', 'hello.exe', '.') $dir $e ([int]$script:CAP_BUILD)
  $out = ($r.Out + $r.Err + $r.StartError).Trim()
  if ($r.TimedOut) {
    [void](gf_rm_tree $dir)
    gf_fail 'verify' 'VERIFY_FAILED' ('the hello-world build timed out after ' + $script:CAP_BUILD + ' s (stopped): ' + $out)
    return $false
  }
  if ($r.Code -ne 0) {
    [void](gf_rm_tree $dir)
    if (gf_blocked $out) {
      $script:VERIFY_BLAME = 'host'
      gf_fail 'verify' 'VERIFY_BLOCKED' ('the hello-world build was refused by Windows (antivirus?): ' + $out)
      return $false
    }
    if (gf_out_of_memory $out $r.Code) {
      # the host's memory (or the WinRM shell's cap), not the toolchain: not marked failed
      $script:VERIFY_BLAME = 'host'
      gf_fail 'verify' 'VERIFY_OUT_OF_MEMORY' ('the hello-world build ran out of memory (exit ' + $r.Code + '): ' + $out)
      return $false
    }
    gf_fail 'verify' 'VERIFY_FAILED' ('the hello-world build failed (exit ' + $r.Code + '): ' + $out)
    return $false
  }
  $exe = $dir + '\hello.exe'
  if (-not [IO.File]::Exists($exe)) {
    [void](gf_rm_tree $dir)
    $script:VERIFY_BLAME = 'host'
    gf_fail 'verify' 'VERIFY_BLOCKED' ('the hello-world build succeeded but ' + $exe + ' vanished right after it (antivirus quarantine?)')
    return $false
  }
  $r = gf_run $exe @() $dir $EnvMap ([int]$script:CAP_CMD)
  [void](gf_rm_tree $dir)
  $ran = ($r.Out + $r.Err).Trim()
  if ($r.StartError -ne '' -or (($r.Code -ne 0) -and (gf_blocked $ran))) {
    $script:VERIFY_BLAME = 'host'
    gf_fail 'verify' 'VERIFY_BLOCKED' ('Windows refused to run the hello-world program (antivirus?): ' + $r.StartError + $ran)
    return $false
  }
  if ($r.TimedOut) {
    gf_fail 'verify' 'VERIFY_FAILED' ('the hello-world program timed out after ' + $script:CAP_CMD + ' s (stopped)')
    return $false
  }
  if ($r.Code -ne 0) {
    gf_fail 'verify' 'VERIFY_FAILED' ('the hello-world program exited ' + $r.Code + ': ' + $ran)
    return $false
  }
  if ($ran -cne $marker) {
    gf_fail 'verify' 'VERIFY_FAILED' ("the hello-world printed '" + $ran + "', expected " + $marker)
    return $false
  }
  return $true
}

# gf_verify_health ENV: the user's health command (cmd.exe syntax), with <goroot>\bin first on Path.
function gf_verify_health($EnvMap) {
  $e = $EnvMap.Clone()
  $e['Path'] = $script:G_ROOT + '\bin;' + $e['Path']
  $cmd = [Environment]::GetFolderPath('System') + '\cmd.exe'
  $r = gf_run $cmd @() ([IO.Path]::GetPathRoot($script:VDIR)) $e ([int]$script:CAP_CMD) ('/d /s /c "' + $script:HEALTH + '"')
  $out = ($r.Out + $r.Err + $r.StartError).Trim()
  if ($r.TimedOut) {
    gf_fail 'verify' 'VERIFY_FAILED' ('the health command timed out after ' + $script:CAP_CMD + ' s (stopped): ' + $out)
    return $false
  }
  if ($r.Code -ne 0) {
    gf_fail 'verify' 'VERIFY_FAILED' ('the health command exited ' + $r.Code + ': ' + $out)
    return $false
  }
  return $true
}

# gf_rollback: put goroot (PREV_KIND/PREV_LINK) and the machine PATH back, check the old go answers.
function gf_rollback {
  gf_step 'rollback' 'start'
  $msg = ''
  if ($script:PREV_KIND -eq 'link') {
    if (-not (gf_point $script:PREV_LINK)) { $msg = 'cannot repoint ' + $script:G_ROOT + ' to ' + $script:PREV_LINK + ': ' + $script:LINK_ERROR }
  } elseif ($script:PREV_KIND -eq 'missing') {
    if (-not (gf_drop_link $script:G_ROOT)) { $msg = 'cannot remove the junction ' + $script:G_ROOT }
  } else {
    $msg = 'nothing was recorded to roll back to; ' + $script:G_ROOT + ' still points to ' + $script:VDIR + '\' + $script:TARGET
  }
  if (-not (gf_path_restore) -and $msg -eq '') { $msg = $script:ROLLBACK_MSG }
  $script:ROLLBACK_ACTIVE = ''
  if ($msg -eq '' -and $script:PREV_KIND -eq 'link' -and $script:CUR_FOREIGN -ne '1') {
    $r = gf_run ($script:G_ROOT + '\bin\go.exe') @('version') '' (gf_fresh_env) ([int]$script:CAP_CMD)
    $script:ROLLBACK_ACTIVE = gf_version_field $r.Out
    if ($r.TimedOut) {
      $msg = 'after rolling back, ' + $script:G_ROOT + '\bin\go.exe version timed out after ' + $script:CAP_CMD + ' s'
    } elseif ($script:ROLLBACK_ACTIVE -eq '' -or ($script:PREV_VERSION -ne '' -and $script:ROLLBACK_ACTIVE -cne $script:PREV_VERSION)) {
      $msg = 'after rolling back, ' + $script:G_ROOT + "\bin\go.exe version answers '" + $script:ROLLBACK_ACTIVE + "', expected " + $script:PREV_VERSION
    }
  }
  if ($script:PREV_KIND -eq 'link' -or $script:PREV_KIND -eq 'missing') { gf_state_settle $script:PREV_ACTIVE $script:STATE_PREVIOUS $script:STATE_PREVIOUS_LINK }
  $script:SWITCHED = $false
  if ($msg -ne '') {
    gf_step 'rollback' 'fail' 'ROLLBACK_FAILED' $msg
    $script:ROLLBACK_MSG = $msg
    return $false
  }
  gf_step 'rollback' 'ok'
  return $true
}
`;
