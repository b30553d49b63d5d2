// Pull on a Windows host (--distribution pull|auto, issue 12): the host downloads the archive itself, in the step
// `pull` right before `stage` (under the host lock, goroot untouched), when the intent carries a PULL_URL, the
// target is not installed yet and the cache lacks the file. Windows PowerShell 5.1 only:
//   - System.Net.HttpWebRequest, not Invoke-WebRequest: 5.1's Invoke-WebRequest has no -Resume and reads the whole
//     body into memory; HttpWebRequest.AddRange([long]) asks for the rest of <cache>\<file>.partial (same name
//     across runs, under the host lock, so the next run resumes it). A server that ignores Range answers 200 with
//     the whole file: the partial is then written again from byte 0; 206 appends.
//   - not BITS (Start-BitsTransfer): BITS jobs belong to an interactive logon and fail in the non-interactive
//     logons of OpenSSH and WinRM sessions (0x800704DD "not logged on to the network"), so it is never used.
//   - TLS 1.2 is added to [Net.ServicePointManager]::SecurityProtocol (-bor): .NET Framework 4.x on older
//     builds offers only SSL3/TLS 1.0 by default, which go.dev and most mirrors refuse. SystemDefault (0, where
//     .NET 4.7+ lets Windows choose, TLS 1.3 included) is left alone: -bor would pin it to TLS 1.2 only.
//   - the system proxy (WinINET settings) with the logon's default credentials, so corporate proxies work.
//   - 30 s to connect and 30 s per read (a stalled server fails the pull rather than hanging the run).
// The download is checked for size and SHA-256 (gf_sha256, as an upload is): a mismatch deletes the partial
// (CHECKSUM_MISMATCH); a short file is kept for the next run to resume. It is then renamed into the cache with
// gf_move_dir's retries (antivirus holds a freshly written file open for a moment), where stage takes it as the
// archive without hashing it again ($script:PULLED). Before downloading, about 4x the size must be free (as
// stage needs), else DISK_FULL.
// Codes: PULL_FAILED with the .NET exception's message (refused, 404, TLS, proxy, timeout). PULL_NO_TOOL never
// happens here: HttpWebRequest is part of .NET Framework, which Windows PowerShell 5.1 always has.
// gf_http_request / gf_web_error are shared with the read-only reach probe (reach-script.ts).

export const PS_HTTP = String.raw`# --- http (HttpWebRequest; TLS 1.2, system proxy) ----------------------------
# gf_http_request URL METHOD TIMEOUT_MS: an HttpWebRequest through the system proxy with default credentials.
function gf_http_request([string]$Url, [string]$Method, [int]$TimeoutMs) {
  # SystemDefault (0, .NET 4.7+) lets the OS choose (TLS 1.2 and later): leave it; else add TLS 1.2 to the list
  $protocols = [Net.ServicePointManager]::SecurityProtocol
  if ([int]$protocols -ne 0) {
    [Net.ServicePointManager]::SecurityProtocol = $protocols -bor [Net.SecurityProtocolType]::Tls12
  }
  $req = [Net.HttpWebRequest]([Net.WebRequest]::Create($Url))
  $req.Method = $Method
  $req.Timeout = $TimeoutMs
  $req.ReadWriteTimeout = $TimeoutMs
  $req.AllowAutoRedirect = $true
  $req.UserAgent = 'gofleet'
  $proxy = [Net.WebRequest]::GetSystemWebProxy()
  $proxy.Credentials = [Net.CredentialCache]::DefaultCredentials
  $req.Proxy = $proxy
  return $req
}

# gf_web_error ERROR: @{ Status = HTTP status or ''; Message = the .NET exception's message } of a failed request.
function gf_web_error($Err) {
  $e = $Err.Exception
  while ($null -ne $e.InnerException -and -not ($e -is [Net.WebException])) { $e = $e.InnerException }
  $status = ''
  if ($e -is [Net.WebException] -and $null -ne $e.Response) {
    try { $status = [string][int]$e.Response.StatusCode } catch { $status = '' }
  }
  return @{ Status = $status; Message = [string]$e.Message }
}
`;

export const PS_PULL = String.raw`# --- pull (HttpWebRequest with Range into <cache>\<file>.partial) -----------
# gf_download PARTIAL FROM: GET PULL_URL into PARTIAL from byte FROM; '' on success, else why.
function gf_download([string]$Partial, [long]$From) {
  $resp = $null
  $in = $null
  $out = $null
  try {
    $req = gf_http_request $script:PULL_URL 'GET' 30000
    if ($From -gt 0) { $req.AddRange([long]$From) }
    $resp = [Net.HttpWebResponse]($req.GetResponse())
    $fileMode = [IO.FileMode]::Create
    if ($From -gt 0 -and [int]$resp.StatusCode -eq 206) { $fileMode = [IO.FileMode]::Append }
    $out = New-Object IO.FileStream -ArgumentList @($Partial, $fileMode, [IO.FileAccess]::Write, [IO.FileShare]::None)
    $in = $resp.GetResponseStream()
    $in.CopyTo($out, 1048576)
    return ''
  } catch {
    $w = gf_web_error $_
    # 416: the partial does not fit the file the server has now; start again next time
    if ($w.Status -eq '416') { try { [IO.File]::Delete($Partial) } catch { } }
    if ($w.Status -ne '') { return ('HTTP ' + $w.Status + ': ' + $w.Message) }
    return $w.Message
  } finally {
    if ($null -ne $out) { $out.Dispose() }
    if ($null -ne $in) { $in.Dispose() }
    if ($null -ne $resp) { $resp.Close() }
  }
}

# gf_file_length FILE: FILE's length in bytes, 0 when it is not there.
function gf_file_length([string]$File) {
  if (-not [IO.File]::Exists($File)) { return [long]0 }
  return [long](New-Object IO.FileInfo -ArgumentList $File).Length
}

# gf_pull: when PULL_URL is set and the target needs staging from an archive not in the cache, download it there
# (step pull, right before stage): resume <cache>\<file>.partial, check size and SHA-256, rename into the cache.
function gf_pull {
  $script:PULLED = $false
  if ($script:PULL_URL -eq '') { return $true }
  $dest = $script:CACHE_DIR + '\' + $script:ARCHIVE_NAME
  if ($script:MODE -eq 'upgrade' -and (gf_complete ($script:VDIR + '\' + $script:TARGET) $script:TARGET) -and -not [IO.File]::Exists($script:META + '\failed\' + $script:TARGET)) { return $true }
  if ([IO.File]::Exists($dest)) { return $true }
  gf_step 'pull' 'start'
  $partial = $dest + '.partial'
  $size = [long]$script:ARCHIVE_SIZE
  $free = gf_free_bytes $script:VDIR
  if ($free -ge 0 -and $free -lt $size * 4) {
    gf_fail 'pull' 'DISK_FULL' ($script:TARGET + ' needs about ' + [math]::Ceiling($size * 4 / 1024) + ' KiB under ' + $script:VDIR + '; ' + [math]::Floor($free / 1024) + ' KiB are free')
    return $false
  }
  try {
    [void][IO.Directory]::CreateDirectory($script:CACHE_DIR)
  } catch {
    gf_fail 'pull' 'PULL_FAILED' ('cannot create ' + $script:CACHE_DIR + ': ' + $_.Exception.Message)
    return $false
  }
  $from = gf_file_length $partial
  if ($from -gt $size) {
    try { [IO.File]::Delete($partial) } catch { }
    $from = [long]0
  }
  # a partial that is already whole needs no request (a server answers 416 to a range past the end)
  if ($from -lt $size) {
    $why = gf_download $partial $from
    if ($why -ne '') {
      gf_fail 'pull' 'PULL_FAILED' ('HttpWebRequest could not download ' + $script:PULL_URL + ': ' + $why)
      return $false
    }
  }
  $got = gf_file_length $partial
  if ($got -ne $size) {
    if ($got -gt $size) { try { [IO.File]::Delete($partial) } catch { } }
    gf_fail 'pull' 'PULL_FAILED' ($script:PULL_URL + ' gave ' + $got + ' bytes, ' + $size + ' expected (a shorter download is resumed by the next run)')
    return $false
  }
  $sum = gf_sha256 $partial
  if ($sum -cne $script:ARCHIVE_SHA) {
    try { [IO.File]::Delete($partial) } catch { }
    gf_fail 'pull' 'CHECKSUM_MISMATCH' ($script:ARCHIVE_NAME + ' from ' + $script:PULL_URL + ' has SHA-256 ' + $sum + ', expected ' + $script:ARCHIVE_SHA + '; the download was deleted')
    return $false
  }
  # [IO.Directory]::Move renames a file too; gf_move_dir retries while antivirus holds the new file open
  if (-not (gf_move_dir $partial $dest)) {
    gf_move_failed 'pull' 'PULL_FAILED' ('cannot rename ' + $partial + ' into the cache')
    return $false
  }
  $script:PULLED = $true
  $script:ARCHIVE = $dest
  $how = 'downloaded '
  if ($from -gt 0) { $how = 'resumed at byte ' + $from + ' and downloaded ' }
  gf_step 'pull' 'ok' '' ($how + $script:ARCHIVE_NAME + ' with HttpWebRequest')
  return $true
}
`;
