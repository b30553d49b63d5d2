// Running a program with a time cap and a chosen environment (the twin of posix/sh-capped.ts), and the
// environment a NEW logon would get (for verification).
//
// Why System.Diagnostics.Process and not `& go.exe ... 2>&1`: in Windows PowerShell 5.1 a native command's
// stderr line under $ErrorActionPreference = 'Stop' becomes a terminating NativeCommandError (the go command
// writes progress and println output to stderr); Process also gives a real time cap (WaitForExit(ms)), the
// exit code, and a clean environment block. A program that runs out of time is stopped with its children
// (taskkill /T /F: `go build` runs compile and link as children). stdout and stderr are read asynchronously so
// that neither pipe can fill up and block the program.
//
// Why a fresh environment: sshd's children keep the environment sshd started with, so the session's own PATH
// does not show what a machine PATH edit did. gf_fresh_env builds what a new logon sees from the registry:
// machine variables, then the user's (HKCU\Environment), Path = machine Path + user Path, REG_EXPAND_SZ values
// expanded. Variables that steer the go command from outside (GOFLAGS, GOOS, GOARCH, GOBIN, GOEXPERIMENT,
// GOTOOLCHAIN) are dropped, as the POSIX scripts unset them; a machine or user GOROOT is KEPT: it is what a new
// logon gets, and a stale one breaks the toolchain (verification then says so).

export const PS_RUN = String.raw`# --- capped programs, fresh environment ------------------------------------------
# gf_arg ARG: one argument quoted for the Windows command line (CommandLineToArgvW / MSVCRT rules).
function gf_arg([string]$Arg) {
  if ($Arg -ne '' -and $Arg -notmatch '[\s"]') { return $Arg }
  $sb = New-Object System.Text.StringBuilder
  [void]$sb.Append('"')
  $slashes = 0
  foreach ($c in $Arg.ToCharArray()) {
    if ($c -eq '\') { $slashes++; continue }
    if ($c -eq '"') {
      [void]$sb.Append([char]92, 2 * $slashes + 1)
    } elseif ($slashes -gt 0) {
      [void]$sb.Append([char]92, $slashes)
    }
    [void]$sb.Append($c)
    $slashes = 0
  }
  if ($slashes -gt 0) { [void]$sb.Append([char]92, 2 * $slashes) }
  [void]$sb.Append('"')
  return $sb.ToString()
}

# gf_run EXE ARGS DIR ENV SECONDS [RAWARGS]: run EXE capped at SECONDS, stdin closed; ENV (a hashtable) replaces
# the environment when given. Answers @{ Code; Out; Err; TimedOut; StartError } (StartError: why it did not start).
function gf_run([string]$Exe, [string[]]$ArgList, [string]$Dir, $EnvMap, [int]$Seconds, [string]$RawArgs = '') {
  $psi = New-Object System.Diagnostics.ProcessStartInfo
  $psi.FileName = $Exe
  if ($RawArgs -ne '') {
    $psi.Arguments = $RawArgs
  } else {
    $psi.Arguments = (@($ArgList | ForEach-Object { gf_arg $_ }) -join ' ')
  }
  $psi.UseShellExecute = $false
  $psi.CreateNoWindow = $true
  $psi.RedirectStandardInput = $true
  $psi.RedirectStandardOutput = $true
  $psi.RedirectStandardError = $true
  if ($Dir -ne '') { $psi.WorkingDirectory = $Dir }
  if ($null -ne $EnvMap) {
    $psi.EnvironmentVariables.Clear()
    foreach ($k in $EnvMap.Keys) { $psi.EnvironmentVariables[$k] = [string]$EnvMap[$k] }
  }
  $p = New-Object System.Diagnostics.Process
  $p.StartInfo = $psi
  try {
    [void]$p.Start()
  } catch {
    return @{ Code = -1; Out = ''; Err = ''; TimedOut = $false; StartError = $_.Exception.Message }
  }
  $p.StandardInput.Close()
  $out = $p.StandardOutput.ReadToEndAsync()
  $err = $p.StandardError.ReadToEndAsync()
  $timedOut = $false
  if (-not $p.WaitForExit($Seconds * 1000)) {
    $timedOut = $true
    gf_kill_tree $p.Id
    [void]$p.WaitForExit(10000)
  }
  if (-not $timedOut) { $p.WaitForExit() }
  $o = ''
  $e = ''
  if ($out.Wait(5000)) { $o = $out.Result }
  if ($err.Wait(5000)) { $e = $err.Result }
  $code = -1
  if ($p.HasExited) { $code = $p.ExitCode }
  return @{ Code = $code; Out = $o; Err = $e; TimedOut = $timedOut; StartError = '' }
}

# gf_kill_tree ID: stop process ID and its children (taskkill /T /F), then the process itself if still there.
function gf_kill_tree([int]$Id) {
  try {
    $k = [Diagnostics.Process]::Start('taskkill.exe', '/T /F /PID ' + $Id)
    [void]$k.WaitForExit(10000)
  } catch { }
  try { (Get-Process -Id $Id -ErrorAction Stop).Kill() } catch { }
}

# gf_fresh_env: the environment of a new logon of this user, as a hashtable (see above).
function gf_fresh_env {
  $map = @{}
  # process-level variables a logon session has that the registry does not hold
  foreach ($k in @('SystemRoot', 'SystemDrive', 'windir', 'ComSpec', 'USERPROFILE', 'USERNAME', 'USERDOMAIN',
      'COMPUTERNAME', 'HOMEDRIVE', 'HOMEPATH', 'ALLUSERSPROFILE', 'PUBLIC', 'ProgramData', 'ProgramFiles',
      'ProgramFiles(x86)', 'ProgramW6432', 'CommonProgramFiles', 'APPDATA', 'LOCALAPPDATA', 'TEMP', 'TMP')) {
    $v = [Environment]::GetEnvironmentVariable($k, 'Process')
    if ($null -ne $v -and $v -ne '') { $map[$k] = $v }
  }
  $paths = @('', '')
  $i = 0
  foreach ($scope in @('Machine', 'User')) {
    # values read from the registry with REG_EXPAND_SZ expanded
    $vars = [Environment]::GetEnvironmentVariables($scope)
    foreach ($k in $vars.Keys) {
      if ([string]$k -ieq 'Path') { $paths[$i] = [string]$vars[$k] } else { $map[[string]$k] = [string]$vars[$k] }
    }
    $i++
  }
  $map['Path'] = (@($paths | Where-Object { $_ -ne '' }) -join ';')
  foreach ($k in @('GOFLAGS', 'GOOS', 'GOARCH', 'GOBIN', 'GOEXPERIMENT', 'GOTOOLCHAIN')) { $map.Remove($k) }
  $map['GOTOOLCHAIN'] = 'local'
  return $map
}

# gf_login_go ENV: the go a new logon resolves from ENV's Path (PATHEXT order, as cmd.exe searches), or ''.
function gf_login_go($EnvMap) {
  $exts = @('.COM', '.EXE', '.BAT', '.CMD')
  if ($EnvMap.ContainsKey('PATHEXT') -and [string]$EnvMap['PATHEXT'] -ne '') { $exts = ([string]$EnvMap['PATHEXT']).Split(';') }
  foreach ($dir in ([string]$EnvMap['Path']).Split(';')) {
    $d = $dir.Replace('"', '').Trim()
    if ($d -eq '') { continue }
    foreach ($ext in $exts) {
      if ($ext -eq '') { continue }
      try {
        $candidate = [IO.Path]::Combine($d, 'go' + $ext)
        if ([IO.File]::Exists($candidate)) { return $candidate }
      } catch { }
    }
  }
  return ''
}
`;
