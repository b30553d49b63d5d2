// The reach probe (--distribution auto): a read-only script that asks, from the host, whether the source URL
// answers — a HEAD with curl (-sSI -L --max-time 10), else a spider request with wget or busybox wget (capped at
// 15 s: neither has one timeout option both understand; busybox's spider is a GET that hangs up after the headers). It goes through the host's own network and its
// http_proxy / https_proxy / no_proxy, exactly as the pull itself would. Changes nothing on the host.
// Prints one line (SOURCES-API.md "Reach line"), read by parse-reach.ts; ok = a 2xx or 3xx answer:
//   @@gofleet reach <ok|fail> <status|-> <tool|-> <detail|->

import { checkPullUrl } from './sh-pull.ts';
import { renderScript } from './render-script.ts';
import { SH_CAPPED } from './sh-capped.ts';
import { SH_COMMON } from './sh-common.ts';

const SH_REACH = `# --- reach ------------------------------------------------------------------------
# gf_reach: HEAD REACH_URL with the first tool the host has; print the reach line.
gf_reach() {
  _r_status=
  if command -v curl >/dev/null 2>&1; then
    _r_tool=curl
    _r_out=$(curl -sSI -L --max-time 10 -o /dev/null -w ' gofleet-status=%{http_code}' "$REACH_URL" 2>&1)
    _r_rc=$?
    # (a -w format starting with @ would name a file)
    _r_status=\${_r_out##* gofleet-status=}
    _r_msg=\${_r_out% gofleet-status=*}
  elif command -v wget >/dev/null 2>&1; then
    _r_tool=wget
    _r_out=$(gf_capped 15 wget --spider -S "$REACH_URL" 2>&1)
    _r_rc=$?
  elif command -v busybox >/dev/null 2>&1 && busybox wget --help >/dev/null 2>&1; then
    _r_tool=busybox-wget
    # busybox's spider request is a GET that hangs up after the headers (it refuses a 206, so no Range)
    _r_out=$(gf_capped 15 busybox wget --spider -S "$REACH_URL" 2>&1)
    _r_rc=$?
  else
    printf '@@gofleet reach fail - - %s\\n' "$(gf_enc 'no curl, wget or busybox wget on the host')"
    return 0
  fi
  if [ "$_r_tool" != curl ]; then
    _r_status=$(printf '%s\\n' "$_r_out" | awk '$1 ~ /^HTTP\\// { s = $2 } END { print s }')
    _r_msg=$(printf '%s\\n' "$_r_out" | grep -v '^ ' | tail -n 2)
    [ "$_r_rc" = 124 ] && _r_msg="no answer within 15 s \${_r_msg}"
  fi
  case $_r_status in [0-9][0-9][0-9]) ;; *) _r_status= ;; esac
  [ "$_r_status" = 000 ] && _r_status=
  _r_ok=fail
  case $_r_status in [23][0-9][0-9]) [ "$_r_rc" = 0 ] && _r_ok=ok ;; esac
  if [ -n "$_r_status" ] && { [ "$_r_ok" = ok ] || [ -z "$_r_msg" ]; }; then _r_msg="HTTP $_r_status from $_r_tool"; fi
  [ -n "$_r_msg" ] || _r_msg="$_r_tool exit $_r_rc"
  printf '@@gofleet reach %s %s %s %s\\n' "$_r_ok" "\${_r_status:--}" "$_r_tool" "$(gf_enc "$_r_msg")"
}
`;

export function reachScript(url: string): string {
  return renderScript({
    title: 'reach probe (read-only: asks whether the release source answers from this host)',
    vars: [
      ['REACH_URL', checkPullUrl(url)],
      // renderScript derives META from VDIR; the probe touches neither
      ['VDIR', '/nonexistent'],
    ],
    library: [SH_COMMON, SH_CAPPED, SH_REACH],
    entry: 'gf_reach',
    lockTraps: false,
  });
}
