// The standalone script's own parts (`gofleet script --os windows`): around the very flow the remote path runs
// (gf_switch_flow, ps-switch-flow.ts; gf_msi_flow, ps-msi.ts) a prologue that gets the archive to where that flow
// expects it (ARCHIVE = <versions_dir>\.gofleet\cache\<file>) and an epilogue that turns the protocol lines into a
// readable log and an exit code. The twin of posix/sh-standalone.ts. Layout of a run:
//   gf_sa_main       -Help / unknown arguments (exit 5), the log file, then the steps; the outcome -> exit code
//   gf_sa_steps      gf_read_current; the archive only when the flow will need it (gf_sa_need_archive); the flow
//   gf_sa_fetch      cache hit, -Archive FILE, <file> beside the script, or Invoke-WebRequest from URL (TLS 1.2
//                    enabled, -UseBasicParsing, the system proxy with the logon's credentials); the SHA-256
//                    (Get-FileHash) checked before anything under goroot or versions_dir changes; then moved or
//                    copied into the cache, where the flow's stage step checks it once more before extracting it
//   gf_sa_exit       the outcome line -> the exit code table in the script header
// How the protocol lines become log lines: this snippet defines gf_out again. It comes after ps-protocol.ts's in
// the script and PowerShell runs function definitions in order, so this one is what gf_step / gf_outcome call:
// no transcript (Start-Transcript would also log what is not ours), one line per step, UTC time first, on
// stdout and appended to the log file.
// Interrupts: the remote interrupt marker (%TEMP%\gofleet-interrupt-<pid>) is honoured at the same safe points
// (exit 99). Ctrl+C in a console stops the pipeline: catch blocks do not run, finally blocks do, so gf_sa_main's
// finally rolls back a switched goroot and logs the outcome; PowerShell then ends with its own exit code (the
// `exit` line after gf_main does not run). A process killed outright (taskkill /F) leaves what the next run
// repairs under the lock (render-script.ts).
// The detection script (gf_detect) is separate and tiny: one line on stdout when goroot's go.exe answers the
// target (and no unverified switch to it is recorded); nothing otherwise, whatever goes wrong.

export const PS_STANDALONE = String.raw`# --- standalone script (gofleet script) -------------------------------------------------
# gf_out LINE: replaces the remote scripts' gf_out (defined above): a protocol line becomes a log line.
function gf_out([string]$Line) {
  gf_sa_line $Line
}

# gf_sa_err TEXT: one line on stderr.
function gf_sa_err([string]$Text) {
  [Console]::Error.WriteLine('gofleet script: ' + $Text)
}

# gf_sa_me: the script's file name for messages.
function gf_sa_me {
  if ([string]$PSCommandPath -eq '') { return 'THIS_FILE.ps1' }
  return [IO.Path]::GetFileName($PSCommandPath)
}

function gf_sa_usage {
  $lines = @(
    ('usage: powershell -NoProfile -ExecutionPolicy Bypass -File ' + (gf_sa_me) + ' [-Archive FILE] [-Log FILE]'),
    ('Installs ' + $script:TARGET + ' under ' + $script:VDIR + ', points ' + $script:G_ROOT + ' at it, verifies it, and rolls back on failure.'),
    ('  -Archive FILE  take ' + $script:ARCHIVE_NAME + ' from FILE instead of beside this script or the URL'),
    ('  -Log FILE      append the log to FILE; default ' + $script:META + '\logs\script.log, else this file + .log'),
    'Exit codes are listed at the top of this file.')
  foreach ($l in $lines) { [Console]::Out.WriteLine($l) }
}

# gf_sa_full PATH: PATH made absolute against PowerShell's current location (not the process directory).
function gf_sa_full([string]$Path) {
  if ($Path -eq '') { return '' }
  return $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($Path)
}

# gf_sa_append FILE TEXT: append TEXT (UTF-8, no BOM) to FILE; false when it cannot.
function gf_sa_append([string]$File, [string]$Text) {
  try {
    [IO.File]::AppendAllText($File, $Text, (New-Object System.Text.UTF8Encoding $false))
    return $true
  } catch {
    return $false
  }
}

# gf_sa_log_open: SA_LOG = a file we can append to (-Log, <versions_dir>\.gofleet\logs\script.log, <script>.log),
# or '' (then stdout only, said on stderr).
function gf_sa_log_open {
  if ($script:SA_LOG -ne '') {
    if (gf_sa_append $script:SA_LOG '') { return }
    gf_sa_err ('cannot append to the log ' + $script:SA_LOG + '; logging to stdout only')
    $script:SA_LOG = ''
    return
  }
  $usual = $script:META + '\logs\script.log'
  try { [void][IO.Directory]::CreateDirectory($script:META + '\logs') } catch { }
  if (gf_sa_append $usual '') {
    $script:SA_LOG = $usual
    return
  }
  if ([string]$PSCommandPath -ne '' -and (gf_sa_append ($PSCommandPath + '.log') '')) {
    $script:SA_LOG = $PSCommandPath + '.log'
    return
  }
  gf_sa_err ('no writable log file (' + $script:META + '\logs, ' + (gf_sa_me) + '.log); logging to stdout only')
}

# gf_sa_say TEXT: one log line, UTC time first, on stdout and appended to the log file.
function gf_sa_say([string]$Text) {
  $l = (gf_now) + ' ' + $Text
  [Console]::Out.WriteLine($l)
  [Console]::Out.Flush()
  if ($script:SA_LOG -ne '') { [void](gf_sa_append $script:SA_LOG ($l + [Environment]::NewLine)) }
}

# gf_sa_decode VALUE: a percent-encoded protocol value as text (control characters shown as blanks).
function gf_sa_decode([string]$Value) {
  $t = $Value
  try { $t = [Uri]::UnescapeDataString($Value) } catch { $t = $Value }
  return ($t -replace '[\x00-\x1f\x7f]', ' ')
}

# gf_sa_line LINE: one line the flow printed, as a log line (protocol lines made readable).
function gf_sa_line([string]$Line) {
  $step = '@@gofleet step '
  $outcome = '@@gofleet outcome '
  if ($Line.StartsWith($step, [StringComparison]::Ordinal)) {
    gf_sa_step_line $Line.Substring($step.Length)
  } elseif ($Line.StartsWith($outcome, [StringComparison]::Ordinal)) {
    $script:SA_OUTCOME = $Line
    gf_sa_outcome_line $Line.Substring($outcome.Length)
  } elseif ($Line -ne '') {
    gf_sa_say $Line
  }
}

# gf_sa_step_line "NAME STATUS [code=C] [msg=M]" -> "step NAME STATUS [C]: message"
function gf_sa_step_line([string]$Fields) {
  $w = @($Fields.Split(' '))
  $t = 'step ' + $Fields
  if ($w.Length -ge 2) { $t = 'step ' + $w[0] + ' ' + $w[1] }
  $code = gf_field 'code' $Fields
  if ($code -ne '') { $t += ' ' + $code }
  $msg = gf_field 'msg' $Fields
  if ($msg -ne '') { $t += ': ' + (gf_sa_decode $msg) }
  gf_sa_say $t
}

# gf_sa_outcome_line "result=R active=A previous=P [code=C] [msg=M] [warn=W]..." -> warnings, then one line.
function gf_sa_outcome_line([string]$Fields) {
  foreach ($f in $Fields.Split(' ')) {
    if ($f.StartsWith('warn=', [StringComparison]::Ordinal)) { gf_sa_say ('warning: ' + (gf_sa_decode $f.Substring(5))) }
  }
  $result = gf_field 'result' $Fields
  $active = gf_sa_decode (gf_field 'active' $Fields)
  if ($active -eq '' -or $active -eq '-') { $active = 'none' }
  $previous = gf_sa_decode (gf_field 'previous' $Fields)
  if ($previous -eq '' -or $previous -eq '-') { $previous = 'none' }
  $code = gf_field 'code' $Fields
  if ($code -ne '') { $code = ' ' + $code }
  $msg = gf_field 'msg' $Fields
  if ($msg -ne '') { $msg = ': ' + (gf_sa_decode $msg) }
  if ($result -eq 'switched') {
    gf_sa_say ('outcome switched ' + $previous + ' -> ' + $active)
  } elseif ($result -eq 'unchanged') {
    gf_sa_say ('outcome unchanged: ' + $active + ' is already the active, working toolchain')
  } elseif ($result -eq 'rolled_back') {
    gf_sa_say ('outcome rolled_back' + $code + ': ' + $script:TARGET + ' was not kept, ' + $active + ' is active again' + $msg)
  } elseif ($result -eq 'failed') {
    gf_sa_say ('outcome failed' + $code + ': ' + $script:G_ROOT + ' was not changed (active: ' + $active + ')' + $msg)
  } elseif ($result -eq 'rollback_failed') {
    gf_sa_say ('outcome rollback_failed' + $code + ': inspect ' + $script:G_ROOT + ' now (it answers: ' + $active + ')' + $msg)
  } else {
    gf_sa_say ('outcome ' + $result + $code + $msg)
  }
}

# gf_sa_need_archive: will the flow stage TARGET? Not when goroot already answers it or it is installed (not failed).
function gf_sa_need_archive {
  if ($script:SA_METHOD -eq 'msi') {
    # a junction or something else at goroot: the MSI flow refuses it before it needs the file
    if ($script:CUR_KIND -eq 'link' -or $script:CUR_KIND -eq 'other') { return $false }
    $installed = ($script:CUR_KIND -eq 'dir' -and $script:CUR_VERSION -ceq $script:TARGET -and (gf_msi_entry $script:G_ROOT) -ne '' -and
      (gf_go_version ($script:G_ROOT + '\bin\go.exe')) -ceq $script:TARGET)
    return (-not $installed)
  }
  if (gf_at_target) { return $false }
  if ((gf_complete ($script:VDIR + '\' + $script:TARGET) $script:TARGET) -and -not [IO.File]::Exists($script:META + '\failed\' + $script:TARGET)) { return $false }
  return $true
}

# gf_sa_drop FILE: delete FILE if it is set and there.
function gf_sa_drop([string]$File) {
  if ($File -eq '') { return }
  try { if ([IO.File]::Exists($File)) { [IO.File]::Delete($File) } } catch { }
}

# gf_sa_download URL FILE: Invoke-WebRequest, 3 tries; a failure is SOURCE_UNAVAILABLE (FILE removed).
# Windows PowerShell 5.1 offers TLS 1.0/1.1 only unless told (.NET Framework defaults): TLS 1.2 is added.
function gf_sa_download([string]$Url, [string]$File) {
  [Net.ServicePointManager]::SecurityProtocol = [Net.ServicePointManager]::SecurityProtocol -bor [Net.SecurityProtocolType]::Tls12
  # the system proxy (Invoke-WebRequest uses it by default); an authenticating one gets the logon's credentials
  $proxy = [Net.WebRequest]::DefaultWebProxy
  if ($null -ne $proxy) { $proxy.Credentials = [Net.CredentialCache]::DefaultNetworkCredentials }
  $why = ''
  for ($try = 1; $try -le 3; $try++) {
    try {
      Invoke-WebRequest -Uri $Url -OutFile $File -UseBasicParsing -TimeoutSec 1800 -ErrorAction Stop
      if ([IO.File]::Exists($File)) { return $true }
      $why = 'no file was written'
    } catch {
      $why = $_.Exception.Message
    }
    gf_sa_drop $File
    if ($try -lt 3) { Start-Sleep -Seconds (5 * $try) }
  }
  gf_fail 'fetch' 'SOURCE_UNAVAILABLE' ('downloading ' + $Url + ' failed (3 tries): ' + $why)
  return $false
}

# gf_sa_fetch: put a copy of the archive whose SHA-256 is ARCHIVE_SHA at ARCHIVE (the cache); refuse a wrong one
# before anything under goroot or versions_dir changes. A file given by the user is read, never moved or deleted.
function gf_sa_fetch {
  gf_step 'fetch' 'start'
  if ([IO.File]::Exists($script:ARCHIVE) -and -not (gf_is_link $script:ARCHIVE) -and (gf_sha256 $script:ARCHIVE) -ceq $script:ARCHIVE_SHA) {
    gf_step 'fetch' 'skip' '' ($script:ARCHIVE + ' is already in the cache (SHA-256 checked)')
    return $true
  }
  $download = ''
  $file = $script:SA_ARCHIVE
  if ($file -eq '' -and [string]$PSScriptRoot -ne '' -and [IO.File]::Exists($PSScriptRoot + '\' + $script:ARCHIVE_NAME)) {
    $file = $PSScriptRoot + '\' + $script:ARCHIVE_NAME
  }
  if ($file -ne '') {
    if (-not [IO.File]::Exists($file)) {
      gf_fail 'fetch' 'RELEASE_FILE_MISSING' ('the archive ' + $file + ' is not a readable file')
      return $false
    }
    $from = $file
  } elseif ($script:SA_URL -ne '') {
    $download = [IO.Path]::GetTempPath() + 'gofleet-script-' + $PID + '-' + $script:ARCHIVE_NAME
    if (-not (gf_sa_download $script:SA_URL $download)) { return $false }
    $file = $download
    $from = $script:SA_URL
  } else {
    gf_fail 'fetch' 'RELEASE_FILE_MISSING' ($script:ARCHIVE_NAME + ' is not beside this script and no URL was built in (the release source was a directory): put the file beside the script or pass -Archive FILE')
    return $false
  }
  if (gf_interrupted 'fetch') {
    gf_sa_drop $download
    return $false
  }
  $sum = gf_sha256 $file
  if ($sum -eq '') {
    gf_sa_drop $download
    gf_fail 'fetch' 'STAGE_FAILED' ('cannot compute the SHA-256 of ' + $file + ' (unreadable?)')
    return $false
  }
  if ($sum -cne $script:ARCHIVE_SHA) {
    gf_sa_drop $download
    gf_fail 'fetch' 'CHECKSUM_MISMATCH' ($script:ARCHIVE_NAME + ' from ' + $from + ' has SHA-256 ' + $sum + ', expected ' + $script:ARCHIVE_SHA + '; it was not used and nothing was changed')
    return $false
  }
  $part = $script:ARCHIVE + '.part-' + $PID
  try {
    [void][IO.Directory]::CreateDirectory($script:CACHE_DIR)
    if ($download -ne '') { [IO.File]::Move($download, $part) } else { [IO.File]::Copy($file, $part, $true) }
    if ([IO.File]::Exists($script:ARCHIVE)) { [IO.File]::Delete($script:ARCHIVE) }
    [IO.File]::Move($part, $script:ARCHIVE)
  } catch {
    $why = $_.Exception.Message
    gf_sa_drop $part
    gf_sa_drop $download
    $code = 'NO_PRIVILEGE'
    if ($why -match 'not enough space|disk is full') { $code = 'DISK_FULL' }
    gf_fail 'fetch' $code ('cannot put ' + $script:ARCHIVE_NAME + ' into ' + $script:CACHE_DIR + ': ' + $why)
    return $false
  }
  gf_step 'fetch' 'ok' '' ($script:ARCHIVE_NAME + ' from ' + $from + ' (SHA-256 checked)')
  return $true
}

# gf_sa_steps: the archive when the flow needs it, then the flow itself (the same as a remote upgrade).
function gf_sa_steps {
  gf_read_current
  if (gf_sa_need_archive) {
    if ((gf_interrupted 'fetch') -or -not (gf_sa_fetch)) {
      gf_end_failed
      return
    }
  }
  & $script:SA_FLOW
}

# gf_sa_exit: RC from the outcome line (table in the header); no outcome line: 1.
function gf_sa_exit {
  $line = $script:SA_OUTCOME
  $result = gf_field 'result' $line
  if ($line -eq '') {
    gf_sa_say 'error: the upgrade ended without an outcome (see the lines above)'
    $script:RC = 1
  } elseif ((gf_field 'code' $line) -ceq 'INTERRUPTED') {
    $script:RC = 99
  } elseif ($result -eq 'switched' -or $result -eq 'unchanged') {
    $script:RC = 0
  } elseif ($result -eq 'failed') {
    $script:RC = 2
  } elseif ($result -eq 'rolled_back') {
    $script:RC = 3
  } elseif ($result -eq 'rollback_failed') {
    $script:RC = 4
  } else {
    $script:RC = 1
  }
}

# gf_sa_stopped: the steps were stopped (Ctrl+C) without an outcome: roll back a switched goroot, log the outcome.
function gf_sa_stopped {
  if ($script:SWITCHED) {
    $script:FAIL_MSG = 'stopped (Ctrl+C) after the switch to ' + $script:TARGET + '; rolled back'
    if (& $script:UNDO) {
      gf_outcome 'rolled_back' $script:PREV_VERSION $script:PREV_VERSION 'INTERRUPTED' $script:FAIL_MSG
    } else {
      gf_outcome 'rollback_failed' '' $script:PREV_VERSION 'ROLLBACK_FAILED' ('stopped (Ctrl+C) after the switch; rollback: ' + $script:ROLLBACK_MSG)
    }
    return
  }
  gf_outcome 'failed' $script:CUR_VERSION $script:CUR_VERSION 'INTERRUPTED' ('stopped (Ctrl+C) before the switch; ' + $script:G_ROOT + ' was not changed')
}

# gf_sa_main REST: the standalone run (the exit codes are in the header of this file).
function gf_sa_main([object[]]$Rest) {
  if ($Help) {
    gf_sa_usage
    $script:RC = 0
    return
  }
  if ($null -ne $Rest -and $Rest.Length -gt 0) {
    gf_sa_err ('unknown argument: ' + [string]$Rest[0])
    gf_sa_err ('usage: ' + (gf_sa_me) + ' [-Archive FILE] [-Log FILE] [-Help]')
    $script:RC = 5
    return
  }
  $script:SA_ARCHIVE = gf_sa_full ([string]$ArchiveFile)
  $script:SA_LOG = gf_sa_full ([string]$LogFile)
  gf_sa_log_open
  $who = [Security.Principal.WindowsIdentity]::GetCurrent().Name
  $logName = $script:SA_LOG
  if ($logName -eq '') { $logName = 'none' }
  gf_sa_say ('gofleet script ' + $script:RUN + ': ' + $script:TARGET + ' (' + $script:SA_METHOD + ') into ' + $script:G_ROOT + ' (user ' + $who + ', pid ' + $PID + ', log ' + $logName + ')')
  $done = $false
  try {
    gf_sa_steps
    $done = $true
  } catch {
    $done = $true
    gf_crashed $_
  } finally {
    if (-not $done -and $script:SA_OUTCOME -eq '') { gf_sa_stopped }
  }
  gf_sa_exit
}
`;

export const PS_DETECT = String.raw`# --- detection (Intune / SCCM) ------------------------------------------------------------
# gf_detect: one line on stdout when goroot's go.exe answers TARGET (run as a new logon would) and the state
# file does not hold an unverified switch to it (a script stopped between switch and verify: the upgrade must
# run again); nothing otherwise.
function gf_detect {
  $v = gf_go_version ($script:G_ROOT + '\bin\go.exe')
  if ($v -cne $script:TARGET) { return }
  if ((gf_state_read 'verify_pending') -ceq $script:TARGET) { return }
  [Console]::Out.WriteLine($script:TARGET + ' is the active toolchain at ' + $script:G_ROOT)
}
`;
