// Parses the reach probe's one line (issue 12 --distribution auto), the same for every dialect:
//   @@gofleet reach <ok|fail> <status|-> <tool|-> <detail|->
// status: the HTTP status of a HEAD of the source URL from the host ('-': none came back: refused, DNS, TLS,
// timeout, no tool); tool: what the host downloads with (curl, wget, busybox%20wget, HttpWebRequest; '-': none),
// percent-encoded;
// detail: percent-encoded like a msg= value (gf_enc), '-' when empty. No such line (a script that died, a
// shell that printed something else): not reachable, and the detail says why.

import { redactCut } from '../../errors.ts';
import type { Reach } from '../types.ts';
import { percentDecode } from './percent.ts';

const PREFIX = '@@gofleet reach ';

function field(token: string | undefined): string | null {
  return token === undefined || token === '' || token === '-' ? null : token;
}

/** The last complete reach line of `stdout`, or not-ok with the reason. */
export function parseReach(stdout: string): Reach {
  const lines = stdout.split('\n').slice(0, -1).map((l) => l.replace(/\r$/, ''));
  const line = lines.reverse().find((l) => l.startsWith(PREFIX));
  const [verdict, status, tool, detail] = (line ?? '').slice(PREFIX.length).trimEnd().split(' ');
  if (line === undefined || (verdict !== 'ok' && verdict !== 'fail')) {
    return { ok: false, status: null, tool: null, detail: 'the reach probe printed no result line' };
  }
  const t = field(tool);
  return {
    ok: verdict === 'ok',
    status: status !== undefined && /^\d{3}$/.test(status) ? Number(status) : null,
    tool: t === null ? null : percentDecode(t),
    detail: redactCut(percentDecode(field(detail) ?? '')).trim(),
  };
}
