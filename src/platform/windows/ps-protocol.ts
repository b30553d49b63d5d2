// The output protocol of mutating scripts, Windows side: the same lines as posix/sh-protocol.ts, read by the
// same parser (parse-run.ts), one line each on stdout:
//   @@gofleet step <name> <start|ok|fail|skip> [code=<CODE>] [msg=<enc>]
//   @@gofleet outcome result=<..> active=<v|-> previous=<v|-> [code=..] [msg=..] [removed=v1,v2] [warn=<enc>]...
// Values are percent-encoded by gf_enc (ps-encode.ts). Lines go to [Console]::Out and are flushed at once, so
// a connection lost later still delivered every step that ended. gf_crashed turns an unexpected terminating
// error into the same lines (rolling back first when goroot had been switched).
// Interrupts: Windows has no SIGINT/SIGTERM to send across sessions, so the transport's interrupt creates a
// marker file, %TEMP%\gofleet-interrupt-<pid of this PowerShell> (platform/windows/remote-shell.ts, engineer
// seams: INTERRUPT_MARKER_PS). The scripts look for it where the POSIX scripts check GF_SIGNAL: before stage,
// adopt and switch (stop with goroot untouched, code INTERRUPTED), and after verifying (roll back, INTERRUPTED).
// The marker of this pid is removed when the script starts (a reused pid) and when it ends.

export const PS_PROTOCOL = String.raw`# --- output protocol (parsed by parse-run.ts) --------------------------------
function gf_out([string]$Line) {
  [Console]::Out.Write($Line + $script:LF)
  [Console]::Out.Flush()
}

# gf_step NAME STATUS [CODE] [MESSAGE]
function gf_step([string]$Name, [string]$Status, [string]$Code = '', [string]$Message = '') {
  $line = '@@gofleet step ' + $Name + ' ' + $Status
  if ($Code -ne '') { $line += ' code=' + $Code }
  if ($Message -ne '') { $line += ' msg=' + (gf_enc $Message) }
  gf_out $line
}

# gf_fail STEP CODE MESSAGE: report a failed step and remember why for the outcome line.
function gf_fail([string]$Step, [string]$Code, [string]$Message) {
  $script:FAIL_CODE = $Code
  $script:FAIL_MSG = $Message
  gf_step $Step 'fail' $Code $Message
}

# gf_warn MESSAGE: a warning carried on the outcome line.
function gf_warn([string]$Message) {
  $script:WARNS.Add(' warn=' + (gf_enc $Message))
}

# gf_interrupt_file: the marker path ('' when %TEMP% is not set).
function gf_interrupt_file {
  if ([string]$env:TEMP -eq '') { return '' }
  return ([string]$env:TEMP + '\gofleet-interrupt-' + $PID)
}

# gf_signal: did the controller ask this script to stop?
function gf_signal {
  $f = gf_interrupt_file
  return ($f -ne '' -and [IO.File]::Exists($f))
}

# gf_clear_interrupt: remove this pid's marker (at the start and the end of every script).
function gf_clear_interrupt {
  $f = gf_interrupt_file
  if ($f -ne '') { try { [IO.File]::Delete($f) } catch { } }
}

# gf_interrupted STEP: at a safe point, stop when the controller asked to (STEP fail INTERRUPTED).
function gf_interrupted([string]$Step) {
  if (-not (gf_signal)) { return $false }
  gf_fail $Step 'INTERRUPTED' ('stopped by the controller before ' + $Step + '; goroot was not changed')
  return $true
}

# gf_outcome RESULT ACTIVE PREVIOUS [CODE] [MESSAGE] [REMOVED]
function gf_outcome([string]$Result, [string]$Active, [string]$Previous, [string]$Code = '', [string]$Message = '', [string]$RemovedList = '') {
  if ($Active -eq '') { $Active = '-' }
  if ($Previous -eq '') { $Previous = '-' }
  $line = '@@gofleet outcome result=' + $Result + ' active=' + (gf_enc $Active) + ' previous=' + (gf_enc $Previous)
  if ($Code -ne '') { $line += ' code=' + $Code }
  if ($Message -ne '') { $line += ' msg=' + (gf_enc $Message) }
  if ($RemovedList -ne '') { $line += ' removed=' + $RemovedList }
  gf_out ($line + ($script:WARNS -join ''))
  if ($Result -ne 'switched' -and $Result -ne 'unchanged' -and $Result -ne 'pruned') { $script:RC = 1 }
}

# gf_crashed ERROR: an unexpected terminating error (a bug, or the host refusing something no step expected).
# When goroot had been switched and not yet verified, roll back first (UNDO names the flow's rollback function:
# gf_rollback, or gf_msi_rollback for the MSI method); then report it as REMOTE_FAILED.
function gf_crashed($Err) {
  $where = ''
  try { $where = ' (line ' + $Err.InvocationInfo.ScriptLineNumber + ')' } catch { $where = '' }
  $msg = 'unexpected error' + $where + ': ' + $Err.Exception.Message
  $script:RC = 1
  if ($script:SWITCHED) {
    $script:FAIL_MSG = $msg
    try {
      if (& $script:UNDO) {
        gf_outcome 'rolled_back' $script:PREV_VERSION $script:PREV_VERSION 'REMOTE_FAILED' $msg
        return
      }
    } catch {
      $script:ROLLBACK_MSG = $_.Exception.Message
    }
    gf_outcome 'rollback_failed' '' $script:PREV_VERSION 'ROLLBACK_FAILED' ($msg + '; rollback: ' + $script:ROLLBACK_MSG)
    return
  }
  gf_outcome 'failed' $script:CUR_VERSION $script:CUR_VERSION 'REMOTE_FAILED' $msg
}
`;
