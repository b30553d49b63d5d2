// The facts script, Windows host side (Windows PowerShell 5.1). Read-only: it creates, changes and removes
// nothing. Prints `key=value` lines, values percent-encoded by gf_enc (lists: items encoded, joined by ,);
// parse-facts.ts maps them to HostFacts. The keys shared with POSIX (posix/sh-facts.ts) mean the same:
//   user go_path go_version go_goroot go_gopath go_goversion
//   goroot_path goroot_state (link = a junction or symbolic link) goroot_target goroot_version goroot_go_version
//   managed_versions managed_active managed_previous managed_previous_link unverified failed_versions
//   free_kb writable lock lock_pid lock_run lock_since lock_stale cached busy
// Windows keys:
//   os_caption os_version os_build os_display arch_native arch_process elevated admin_member ps_version
//   ps_edition goroot_link_kind goroot_machine goroot_user gotoolchain_env has_tar
//   go_installs (items `source|path|version|detail`; | cannot occur in a Windows path)
// Which go a new logon resolves: sshd's children keep the environment sshd started with, so the login PATH is
// rebuilt from the registry (machine Path then user Path, expanded; the user's other variables over the
// machine's) and searched for go with the login PATHEXT. Every go command runs with that environment and
// GOTOOLCHAIN=local (never a download), capped at 10 s: go_version and goroot_go_version are empty when it
// does not answer. `writable` is judged from the directories' ACLs against this token (nothing is written).
// Written without running PowerShell here: each probe is in its own try/catch, so a failing one leaves its
// keys empty instead of stopping the facts.

export const PS_FACTS = String.raw`# --- facts ---------------------------------------------------------------------
$script:LF = [string][char]10

# gf_fact KEY VALUE: one line KEY=<VALUE percent-encoded>.
function gf_fact([string]$Key, [string]$Value) {
  [Console]::Out.Write($Key + '=' + (gf_enc $Value) + $script:LF)
}

# gf_fact_list KEY ITEMS: items encoded one by one, joined by commas.
function gf_fact_list([string]$Key, [object[]]$Items) {
  $enc = New-Object System.Collections.Generic.List[string]
  foreach ($i in @($Items)) {
    if ($null -ne $i -and [string]$i -ne '') { $enc.Add((gf_enc ([string]$i))) }
  }
  [Console]::Out.Write($Key + '=' + ($enc -join ',') + $script:LF)
}

# gf_bool VALUE: '1' or '0'.
function gf_bool($Value) {
  if ($Value) { return '1' }
  return '0'
}

# gf_link_info PATH: @(target, kind) of a junction or symbolic link (Get-Item's Target and LinkType), or @('', '').
function gf_link_info([string]$Path) {
  try {
    $item = Get-Item -LiteralPath $Path -Force -ErrorAction Stop
    $t = @($item.Target) | Select-Object -First 1
    if ($null -eq $t) { $t = '' }
    return @((gf_norm_path ([string]$t)), [string]$item.LinkType)
  } catch {
    return @('', '')
  }
}

$script:ENV_KEY = 'SYSTEM\CurrentControlSet\Control\Session Manager\Environment'

# gf_env_key HIVE: the environment registry key of 'machine' or 'user' (read-only), or $null.
function gf_env_key([string]$Hive) {
  try {
    if ($Hive -eq 'machine') { return [Microsoft.Win32.Registry]::LocalMachine.OpenSubKey($script:ENV_KEY) }
    return [Microsoft.Win32.Registry]::CurrentUser.OpenSubKey('Environment')
  } catch {
    return $null
  }
}

# gf_reg_raw HIVE NAME: the variable NAME of HIVE as stored (%SystemRoot% not expanded), or ''.
function gf_reg_raw([string]$Hive, [string]$Name) {
  $key = gf_env_key $Hive
  if ($null -eq $key) { return '' }
  try {
    return [string]$key.GetValue($Name, '', [Microsoft.Win32.RegistryValueOptions]::DoNotExpandEnvironmentNames)
  } catch {
    return ''
  } finally {
    $key.Close()
  }
}

# gf_reg_names HIVE: the names of HIVE's environment variables.
function gf_reg_names([string]$Hive) {
  $key = gf_env_key $Hive
  if ($null -eq $key) { return @() }
  try {
    return @($key.GetValueNames())
  } catch {
    return @()
  } finally {
    $key.Close()
  }
}

# gf_login_env: the environment a new logon of this user gets, over this process's own: the machine variables,
# the user's over them, and Path = machine Path;user Path, all expanded.
function gf_login_env {
  $vars = @{}
  foreach ($e in [Environment]::GetEnvironmentVariables().GetEnumerator()) { $vars[[string]$e.Key] = [string]$e.Value }
  foreach ($hive in @('machine', 'user')) {
    foreach ($n in (gf_reg_names $hive)) {
      if ($n -ne 'Path' -and $n -ne '') { $vars[$n] = [Environment]::ExpandEnvironmentVariables((gf_reg_raw $hive $n)) }
    }
  }
  $parts = @()
  foreach ($hive in @('machine', 'user')) {
    $p = [Environment]::ExpandEnvironmentVariables((gf_reg_raw $hive 'Path'))
    if ($p -ne '') { $parts += $p }
  }
  $vars['Path'] = $parts -join ';'
  return $vars
}

# gf_run EXE ARGUMENTS SECONDS VARS: the standard output (UTF-8) of EXE run with ARGUMENTS, the environment VARS
# (this process's own when VARS is empty) and GOTOOLCHAIN=local, stdin closed; '' when it does not start or does not end within SECONDS (then stopped).
function gf_run([string]$Exe, [string]$Arguments, [int]$Seconds, [hashtable]$Vars) {
  $p = $null
  try {
    $psi = New-Object System.Diagnostics.ProcessStartInfo
    $psi.FileName = $Exe
    $psi.Arguments = $Arguments
    $psi.UseShellExecute = $false
    $psi.CreateNoWindow = $true
    $psi.RedirectStandardInput = $true
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $psi.StandardOutputEncoding = New-Object System.Text.UTF8Encoding -ArgumentList $false
    $psi.WorkingDirectory = [Environment]::SystemDirectory
    if ($Vars.Count -gt 0) {
      $psi.EnvironmentVariables.Clear()
      foreach ($k in $Vars.Keys) { $psi.EnvironmentVariables[[string]$k] = [string]$Vars[$k] }
    }
    $psi.EnvironmentVariables['GOTOOLCHAIN'] = 'local'
    $p = [System.Diagnostics.Process]::Start($psi)
    $p.StandardInput.Close()
    $out = $p.StandardOutput.ReadToEndAsync()
    $null = $p.StandardError.ReadToEndAsync()
    if (-not $p.WaitForExit($Seconds * 1000)) {
      try { $p.Kill() } catch { $null = $_ }
      return ''
    }
    return [string]$out.Result
  } catch {
    return ''
  }
}

# gf_go_version GO VARS: the version field of 'GO version' (go1.27.3), or ''.
function gf_go_version([string]$Go, [hashtable]$Vars) {
  $out = gf_run $Go 'version' 10 $Vars
  if ($out -match '^go version (\S+)') { return $Matches[1] }
  return ''
}

# gf_login_go VARS: the go a new logon finds first on its Path (each directory tried with each PATHEXT
# extension, in order, as CreateProcess and cmd.exe do), or ''.
function gf_login_go([hashtable]$Vars) {
  $exts = @('.COM', '.EXE', '.BAT', '.CMD')
  $pe = [string]$Vars['PATHEXT']
  if ($pe -ne '') { $exts = @($pe.Split(';') | Where-Object { $_ -ne '' }) }
  foreach ($dir in ([string]$Vars['Path']).Split(';')) {
    $d = $dir.Trim().Trim('"').TrimEnd('\')
    if ($d -eq '') { continue }
    foreach ($x in $exts) {
      if ([IO.File]::Exists($d + '\go' + $x)) { return ($d + '\go' + $x) }
    }
  }
  return ''
}

# gf_nearest PATH: PATH or its nearest existing parent directory, or ''.
function gf_nearest([string]$Path) {
  $p = $Path
  while ($null -ne $p -and $p -ne '' -and -not [IO.Directory]::Exists($p)) { $p = [IO.Path]::GetDirectoryName($p) }
  if ($null -eq $p) { return '' }
  return $p
}

# gf_can_write DIR: this token may create files and directories in DIR, judged from DIR's ACL (nothing is
# written): allow entries for the user or an enabled group of the token (a UAC-filtered administrator's
# Administrators group is deny-only, so it does not count), any deny entry for them wins; entries that apply to
# children only (InheritOnly) are skipped; GENERIC_ALL / GENERIC_WRITE count as the rights they grant.
function gf_can_write([string]$Dir) {
  try {
    $id = [Security.Principal.WindowsIdentity]::GetCurrent()
    $sids = @($id.User.Value)
    foreach ($g in $id.Groups) { $sids += $g.Value }
    $need = [int]([Security.AccessControl.FileSystemRights]::CreateFiles -bor [Security.AccessControl.FileSystemRights]::CreateDirectories)
    $generic = 0x10000000 -bor 0x40000000
    $allowed = 0
    $acl = Get-Acl -LiteralPath $Dir -ErrorAction Stop
    foreach ($r in $acl.GetAccessRules($true, $true, [Security.Principal.SecurityIdentifier])) {
      if (($r.PropagationFlags -band [Security.AccessControl.PropagationFlags]::InheritOnly) -ne 0) { continue }
      if ($sids -notcontains $r.IdentityReference.Value) { continue }
      $bits = [int]$r.FileSystemRights
      if (($bits -band $generic) -ne 0) { $bits = $need }
      $bits = $bits -band $need
      if ([string]$r.AccessControlType -eq 'Deny') {
        if ($bits -ne 0) { return $false }
      } else {
        $allowed = $allowed -bor $bits
      }
    }
    return ($allowed -eq $need)
  } catch {
    return $false
  }
}

# gf_facts_system: OS, architecture, user and privilege.
function gf_facts_system {
  $caption = ''
  $version = ''
  $build = ''
  try {
    $os = Get-CimInstance -ClassName Win32_OperatingSystem -ErrorAction Stop
    $caption = [string]$os.Caption
    $version = [string]$os.Version
    $build = [string]$os.BuildNumber
  } catch {
    $null = $_
  }
  $display = ''
  try {
    $cv = Get-ItemProperty -LiteralPath 'HKLM:\SOFTWARE\Microsoft\Windows NT\CurrentVersion' -ErrorAction Stop
    if ($caption -eq '') { $caption = [string]$cv.ProductName }
    if ($build -eq '') { $build = [string]$cv.CurrentBuildNumber }
    if ($null -ne $cv.UBR) { $build = $build + '.' + [string]$cv.UBR }
    $display = [string]$cv.DisplayVersion
    if ($display -eq '') { $display = [string]$cv.ReleaseId }
  } catch {
    $null = $_
  }
  gf_fact os_caption $caption.Trim()
  gf_fact os_version $version
  gf_fact os_build $build
  gf_fact os_display $display
  # the machine's own architecture: a 32-bit or emulated PowerShell sees its own in $env:PROCESSOR_ARCHITECTURE
  gf_fact arch_native (gf_reg_raw 'machine' 'PROCESSOR_ARCHITECTURE')
  $proc = [string]$env:PROCESSOR_ARCHITEW6432
  if ($proc -eq '') { $proc = [string]$env:PROCESSOR_ARCHITECTURE }
  gf_fact arch_process $proc
  $id = [Security.Principal.WindowsIdentity]::GetCurrent()
  gf_fact user $id.Name
  $principal = New-Object Security.Principal.WindowsPrincipal -ArgumentList $id
  gf_fact elevated (gf_bool $principal.IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator))
  # member of Administrators even when UAC filtered the token (the group is then deny-only): whoami lists it
  $groups = gf_run ([Environment]::SystemDirectory + '\whoami.exe') '/groups /fo csv /nh' 10 @{}
  gf_fact admin_member (gf_bool ($groups.Contains('"S-1-5-32-544"') -or $principal.IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)))
  gf_fact ps_version ([string]$PSVersionTable.PSVersion)
  gf_fact ps_edition ([string]$PSVersionTable.PSEdition)
  gf_fact has_tar (gf_bool ([IO.File]::Exists([Environment]::SystemDirectory + '\tar.exe')))
}

# gf_facts_go VARS: the go a new logon resolves, and what it says.
function gf_facts_go([hashtable]$Vars) {
  $script:LOGIN_GO = gf_login_go $Vars
  $script:LOGIN_VERSION = ''
  gf_fact go_path $script:LOGIN_GO
  gf_fact goroot_machine (gf_reg_raw 'machine' 'GOROOT')
  gf_fact goroot_user (gf_reg_raw 'user' 'GOROOT')
  gf_fact gotoolchain_env ([string]$Vars['GOTOOLCHAIN'])
  if ($script:LOGIN_GO -eq '') { return }
  $script:LOGIN_VERSION = gf_go_version $script:LOGIN_GO $Vars
  gf_fact go_version $script:LOGIN_VERSION
  $lines = @((gf_run $script:LOGIN_GO 'env GOROOT GOPATH GOVERSION' 10 $Vars) -split '\r?\n') + @('', '', '')
  gf_fact go_goroot $lines[0]
  gf_fact go_gopath $lines[1]
  gf_fact go_goversion $lines[2]
}

# gf_facts_goroot VARS: what goroot is.
function gf_facts_goroot([hashtable]$Vars) {
  gf_fact goroot_path $script:G_ROOT
  $script:GOROOT_TARGET = ''
  if (gf_is_link $script:G_ROOT) {
    $info = gf_link_info $script:G_ROOT
    $script:GOROOT_TARGET = $info[0]
    gf_fact goroot_state 'link'
    gf_fact goroot_target $info[0]
    gf_fact goroot_link_kind $info[1]
  } elseif ([IO.Directory]::Exists($script:G_ROOT)) {
    gf_fact goroot_state 'dir'
  } elseif ([IO.File]::Exists($script:G_ROOT)) {
    gf_fact goroot_state 'other'
  } else {
    gf_fact goroot_state 'missing'
  }
  gf_fact goroot_version (gf_read_first ($script:G_ROOT + '\VERSION'))
  $go = $script:G_ROOT + '\bin\go.exe'
  if ($script:LOGIN_GO -ne '' -and $script:LOGIN_GO -eq $go) {
    gf_fact goroot_go_version $script:LOGIN_VERSION
  } elseif ([IO.File]::Exists($go)) {
    gf_fact goroot_go_version (gf_go_version $go $Vars)
  } else {
    gf_fact goroot_go_version ''
  }
}

# gf_facts_managed: the versions under versionsDir, the state file, free space, writability, lock and cache.
function gf_facts_managed {
  $script:MANAGED = @()
  if ([IO.Directory]::Exists($script:VDIR)) {
    foreach ($d in [IO.Directory]::GetDirectories($script:VDIR, 'go*')) {
      $n = [IO.Path]::GetFileName($d)
      if ((gf_valid_version $n) -and [IO.File]::Exists($d + '\bin\go.exe') -and [IO.File]::Exists($d + '\VERSION')) { $script:MANAGED += $n }
    }
  }
  gf_fact_list managed_versions $script:MANAGED
  $active = ''
  $v = gf_norm_path $script:VDIR
  $t = $script:GOROOT_TARGET
  if ($t.Length -gt $v.Length + 1 -and $t.StartsWith($v + '\', [StringComparison]::OrdinalIgnoreCase)) {
    $name = $t.Substring($v.Length + 1)
    if (-not $name.Contains('\') -and (gf_valid_version $name)) { $active = $name }
  }
  gf_fact managed_active $active
  $pending = gf_state_read 'verify_pending'
  if ($pending -ne '' -and $pending -ceq $active) { gf_fact unverified $pending } else { gf_fact unverified '' }
  $failed = @()
  if ([IO.Directory]::Exists($script:META + '\failed')) {
    foreach ($f in [IO.Directory]::GetFiles($script:META + '\failed', 'go*')) {
      $n = [IO.Path]::GetFileName($f)
      if (gf_valid_version $n) { $failed += $n }
    }
  }
  gf_fact_list failed_versions $failed
  $prev = gf_state_read 'previous'
  if (-not (gf_valid_version $prev)) { $prev = '' }
  gf_fact managed_previous $prev
  gf_fact managed_previous_link (gf_state_read 'previous_link')
  $free = ''
  try {
    $root = [IO.Path]::GetPathRoot((gf_nearest $script:VDIR))
    $drive = New-Object System.IO.DriveInfo -ArgumentList $root
    $free = [string][int64][math]::Floor($drive.AvailableFreeSpace / 1024)
  } catch {
    $null = $_
  }
  gf_fact free_kb $free
  $up = [IO.Path]::GetDirectoryName($script:G_ROOT)
  if ($null -eq $up) { $up = $script:G_ROOT }
  gf_fact writable (gf_bool ((gf_can_write (gf_nearest $script:VDIR)) -and (gf_can_write (gf_nearest $up))))
  $lock = $script:META + '\lock'
  if ([IO.Directory]::Exists($lock)) {
    $info = gf_read_text ($lock + '\info')
    gf_fact lock '1'
    gf_fact lock_pid (gf_field 'pid' $info)
    gf_fact lock_run (gf_field 'run' $info)
    gf_fact lock_since (gf_field 'since' $info)
    gf_fact lock_stale (gf_bool (gf_holder_gone $info))
  }
  $cached = @()
  if ([IO.Directory]::Exists($script:META + '\cache')) {
    foreach ($f in [IO.Directory]::GetFiles($script:META + '\cache')) {
      $n = [IO.Path]::GetFileName($f)
      if ($n.StartsWith('.') -or $n.Contains('.part-')) { continue }
      $cached += $n
    }
  }
  gf_fact_list cached $cached
}

# gf_install ITEMS SOURCE PATH VERSION DETAIL: add one 'source|path|version|detail' item.
function gf_install([System.Collections.Generic.List[string]]$Items, [string]$Source, [string]$Path, [string]$Version, [string]$Detail) {
  $Items.Add($Source + '|' + $Path + '|' + $Version + '|' + $Detail)
}

# gf_root_version DIR: the VERSION of the Go tree DIR, or of DIR's parent when DIR is its bin directory.
function gf_root_version([string]$Dir) {
  $d = [Environment]::ExpandEnvironmentVariables($Dir).Trim('"').TrimEnd('\')
  if ($d.EndsWith('\bin', [StringComparison]::OrdinalIgnoreCase)) { $d = $d.Substring(0, $d.Length - 4) }
  return (gf_read_first ($d + '\VERSION'))
}

# gf_facts_installs: every Go install found: machine and user Path entries that mention Go or hold go.exe (raw,
# as stored; detail: the go command the entry holds, go.exe / go.cmd / go.bat, '' for none: a GOPATH\bin runs no
# other go), the Go MSI's uninstall entries, the usual directories, and choco / scoop shims.
function gf_facts_installs {
  $items = New-Object System.Collections.Generic.List[string]
  foreach ($hive in @('machine', 'user')) {
    foreach ($e in (gf_reg_raw $hive 'Path').Split(';')) {
      if ($e.Trim() -eq '') { continue }
      $x = [Environment]::ExpandEnvironmentVariables($e).Trim('"').TrimEnd('\')
      $cmd = ''
      foreach ($n in @('go.exe', 'go.cmd', 'go.bat')) { if ($cmd -eq '' -and [IO.File]::Exists($x + '\' + $n)) { $cmd = $n } }
      if ($e -match '(^|\\)go(\\|$)|golang|\\go[0-9][^\\]*(\\|$)' -or $cmd -ne '') {
        gf_install $items ($hive + '_path') $e (gf_root_version $e) $cmd
      }
    }
  }
  foreach ($u in @('HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall', 'HKLM:\SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall')) {
    try {
      foreach ($k in (Get-ChildItem -LiteralPath $u -ErrorAction Stop)) {
        $p = Get-ItemProperty -LiteralPath $k.PSPath -ErrorAction SilentlyContinue
        if ($null -ne $p -and [string]$p.DisplayName -like 'Go Programming Language*') {
          gf_install $items 'msi' ([string]$p.InstallLocation) ([string]$p.DisplayVersion) $k.PSChildName
        }
      }
    } catch {
      $null = $_
    }
  }
  $dirs = @(([string]$env:ProgramFiles + '\Go'), ([string][Environment]::GetEnvironmentVariable('ProgramFiles(x86)') + '\Go'), ([string]$env:SystemDrive + '\Go'))
  foreach ($d in $dirs) {
    if ($d.StartsWith('\')) { continue }
    if ([IO.File]::Exists($d + '\bin\go.exe')) { gf_install $items 'dir' $d (gf_read_first ($d + '\VERSION')) '' }
  }
  $choco = [string]$env:ChocolateyInstall
  if ($choco -eq '') { $choco = [string]$env:ProgramData + '\chocolatey' }
  if ([IO.File]::Exists($choco + '\bin\go.exe')) { gf_install $items 'choco' ($choco + '\bin\go.exe') '' '' }
  $scoops = @()
  if ([string]$env:SCOOP -ne '') { $scoops += [string]$env:SCOOP } else { $scoops += ([string]$env:USERPROFILE + '\scoop') }
  if ([string]$env:SCOOP_GLOBAL -ne '') { $scoops += [string]$env:SCOOP_GLOBAL } else { $scoops += ([string]$env:ProgramData + '\scoop') }
  foreach ($s in $scoops) {
    foreach ($shim in @(($s + '\shims\go.exe'), ($s + '\shims\go.cmd'))) {
      if ([IO.File]::Exists($shim)) { gf_install $items 'scoop' $shim (gf_read_first ($s + '\apps\go\current\VERSION')) ($s + '\apps\go\current') }
    }
  }
  gf_fact_list go_installs $items.ToArray()
}

# gf_facts_busy: processes whose executable lies inside goroot (as named, and its junction target) or a managed
# version (best effort: without elevation the paths of other users' processes cannot be read).
function gf_facts_busy {
  $roots = @((gf_norm_path $script:G_ROOT))
  if ($script:GOROOT_TARGET -ne '') { $roots += $script:GOROOT_TARGET }
  foreach ($n in $script:MANAGED) { $roots += ((gf_norm_path $script:VDIR) + '\' + $n) }
  $busy = @()
  foreach ($p in (Get-Process -ErrorAction SilentlyContinue)) {
    if ($p.Id -eq $PID) { continue }
    $exe = ''
    try { $exe = [string]$p.Path } catch { $exe = '' }
    if ($exe -eq '') { continue }
    foreach ($r in $roots) {
      if ($exe.StartsWith($r + '\', [StringComparison]::OrdinalIgnoreCase)) {
        $busy += ([string]$p.Id + ':' + $exe)
        break
      }
    }
  }
  gf_fact_list busy $busy
}

# gf_facts: every section; one that fails is reported on stderr and leaves its keys out.
function gf_facts {
  $vars = @{}
  try { $vars = gf_login_env } catch { [Console]::Error.WriteLine('gofleet facts: login environment: ' + $_.Exception.Message) }
  $sections = @(
    @('system', { gf_facts_system }),
    @('go', { gf_facts_go $vars }),
    @('goroot', { gf_facts_goroot $vars }),
    @('managed', { gf_facts_managed }),
    @('installs', { gf_facts_installs }),
    @('busy', { gf_facts_busy })
  )
  foreach ($s in $sections) {
    try {
      & $s[1]
    } catch {
      [Console]::Error.WriteLine('gofleet facts: ' + $s[0] + ': ' + $_.Exception.Message)
    }
  }
}
`;
