// The Windows reach probe (--distribution auto, issue 12): a read-only script that HEADs the source URL from the
// host with the same HttpWebRequest settings the pull uses (ps-pull.ts gf_http_request: TLS 1.2, the system
// proxy with default credentials), 10 s, and prints one line for parse-reach.ts:
//   @@gofleet reach <ok|fail> <status|-> HttpWebRequest <detail|->
// ok: any 2xx/3xx answer (redirects are followed). Changes nothing on the host: no lock, no file.

import { PS_ENCODE } from './ps-encode.ts';
import { PS_HTTP } from './ps-pull.ts';
import { psQuote } from './quote.ts';
import { scriptKindLine } from './script-kind.ts';
import { checkPullUrl } from './validate.ts';

const PS_REACH = String.raw`# --- reach ------------------------------------------------------------------
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
`;

/** The reach probe for `url` (http or https; BAD_OPTION otherwise). */
export function windowsReachProbe(url: string): string {
  return [
    '# gofleet: reach (read-only: HEAD of the source URL from the host; changes nothing). Windows PowerShell 5.1.',
    scriptKindLine('reach'),
    "$ErrorActionPreference = 'Stop'",
    "$ProgressPreference = 'SilentlyContinue'",
    `$script:PULL_URL = ${psQuote(checkPullUrl(url))}`,
    '',
    PS_ENCODE,
    PS_HTTP,
    PS_REACH,
    'gf_reach',
    'exit 0',
    '',
  ].join('\n');
}
