# gofleet: reach (read-only: HEAD of the source URL from the host; changes nothing). Windows PowerShell 5.1.
# gofleet-script: reach
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
$script:PULL_URL = 'https://mirrors.example.com/golang/go1.27.3.windows-amd64.zip'

function gf_enc([string]$Text) {
  if ($null -eq $Text) { $Text = '' }
  $bytes = [System.Text.Encoding]::UTF8.GetBytes($Text)
  $start = 0
  if ($bytes.Length -gt 2000) { $start = $bytes.Length - 2000 }
  $sb = New-Object System.Text.StringBuilder
  for ($i = $start; $i -lt $bytes.Length; $i++) {
    $b = [int]$bytes[$i]
    if (($b -ge 48 -and $b -le 57) -or ($b -ge 65 -and $b -le 90) -or ($b -ge 97 -and $b -le 122) -or $b -eq 45 -or $b -eq 46 -or $b -eq 95 -or $b -eq 126 -or $b -eq 47 -or $b -eq 58 -or $b -eq 64 -or $b -eq 43) {
      [void]$sb.Append([char]$b)
    } else {
      [void]$sb.Append('%').Append($b.ToString('X2'))
    }
  }
  return $sb.ToString()
}

# --- http (HttpWebRequest; TLS 1.2, system proxy) ----------------------------
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

# --- reach ------------------------------------------------------------------
# gf_reach: HEAD PULL_URL (10 s) and print the reach line.
function gf_reach {
  $resp = $null
  $line = ''
  try {
    $req = gf_http_request $script:PULL_URL 'HEAD' 10000
    $resp = [Net.HttpWebResponse]($req.GetResponse())
    $line = 'ok ' + [int]$resp.StatusCode + ' HttpWebRequest ' + (gf_enc ([string]$resp.StatusDescription))
  } catch {
    $w = gf_web_error $_
    $status = $w.Status
    if ($status -eq '') { $status = '-' }
    $line = 'fail ' + $status + ' HttpWebRequest ' + (gf_enc $w.Message)
  } finally {
    if ($null -ne $resp) { $resp.Close() }
  }
  if ($line.EndsWith(' ')) { $line += '-' }
  [Console]::Out.Write('@@gofleet reach ' + $line + [string][char]10)
  [Console]::Out.Flush()
}

gf_reach
exit 0
