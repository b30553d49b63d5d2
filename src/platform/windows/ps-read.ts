// PowerShell helpers that only read, shared by the facts script (facts-script.ts) and every mutating script
// (through PS_COMMON): one definition each, so that the facts and the scripts that act on them judge alike —
// a VERSION file's first line, a path compared with another, and above all whether a lock's holder is gone
// (the facts' `lock_stale` must mean exactly what gf_lock takes over).
// Windows PowerShell 5.1; a String.raw template (backslashes are literal, no backtick escapes). Each helper
// `return`s its answer and prints nothing. gf_state_read reads $script:META, which both kinds of script set.

export const PS_READ = String.raw`# --- read helpers (shared by the facts script and the mutating scripts) --------
# gf_norm_path PATH: without the \\?\ or \??\ prefix and trailing backslashes (for comparisons, with -ieq).
function gf_norm_path([string]$Path) {
  $p = $Path
  if ($p.StartsWith('\\?\') -or $p.StartsWith('\??\')) { $p = $p.Substring(4) }
  return $p.TrimEnd('\')
}

# gf_read_text FILE: the whole file, or '' when it cannot be read.
function gf_read_text([string]$File) {
  try { return [IO.File]::ReadAllText($File) } catch { return '' }
}

# gf_read_first FILE: the first line of FILE (CRLF or LF), blanks trimmed at both ends, or ''. Every caller reads
# a VERSION file, whose first line is the version (go1.27.3): an editor's stray blank must not make it differ.
function gf_read_first([string]$File) {
  $t = gf_read_text $File
  if ($t -eq '') { return '' }
  return ($t -split '\r?\n')[0].Trim()
}

# gf_valid_version NAME: a plausible toolchain directory name (go1.27.3, go1.21rc2, ...).
function gf_valid_version([string]$Name) {
  return ($Name -cmatch '^go[0-9][A-Za-z0-9.+-]*$')
}

# gf_field KEY TEXT: the value of KEY=... among whitespace-separated fields, or ''.
function gf_field([string]$Key, [string]$Text) {
  foreach ($w in ($Text -split '\s+')) {
    if ($w.StartsWith($Key + '=', [StringComparison]::Ordinal)) { return $w.Substring($Key.Length + 1) }
  }
  return ''
}

# gf_is_link PATH: PATH is a reparse point (a junction or a directory symlink), dangling or not: never recurse into it.
function gf_is_link([string]$Path) {
  try {
    return (([IO.File]::GetAttributes($Path) -band [IO.FileAttributes]::ReparsePoint) -ne 0)
  } catch {
    return $false
  }
}

# gf_proc_start ID: when process ID started (UTC, to the millisecond), '' when gone or not readable.
# With the pid it tells a lock holder from a later process that got the same pid (after a reboot).
function gf_proc_start([int]$Id) {
  try {
    $p = Get-Process -Id $Id -ErrorAction Stop
    return $p.StartTime.ToUniversalTime().ToString('yyyyMMddHHmmssfff', [Globalization.CultureInfo]::InvariantCulture)
  } catch {
    return ''
  }
}

# gf_alive ID: is process ID running?
function gf_alive([string]$Id) {
  if ($Id -notmatch '^[0-9]+$') { return $false }
  return ($null -ne (Get-Process -Id ([int]$Id) -ErrorAction SilentlyContinue))
}

# gf_holder_gone INFO: the lock holder INFO names is gone, or its pid now belongs to a process started at another
# time. A start that is not gf_proc_start's 17 digits is not compared (the holder counts as alive while its pid runs).
function gf_holder_gone([string]$Info) {
  $id = gf_field 'pid' $Info
  if (-not (gf_alive $id)) { return $true }
  $start = gf_field 'start' $Info
  if ($start -match '^[0-9]{17}$') {
    $now = gf_proc_start ([int]$id)
    if ($now -ne '' -and $now -cne $start) { return $true }
  }
  return $false
}

# gf_state_read KEY: the first value of KEY= in <versionsDir>\.gofleet\state, or ''.
function gf_state_read([string]$Key) {
  foreach ($l in ((gf_read_text ($script:META + '\state')) -split '\r?\n')) {
    if ($l.StartsWith($Key + '=', [StringComparison]::Ordinal)) { return $l.Substring($Key.Length + 1) }
  }
  return ''
}
`;
