// Parses the reach probe's line (--distribution auto), as agreed in SOURCES-API.md "Reach line":
//   @@gofleet reach <ok|fail> <status|-> <tool|-> <detail|->
// detail percent-encoded like a msg= value; the last complete line wins; no line (a script cut short) reads as
// not reached. Branch winpull adds the dialect-neutral protocol/parse-reach.ts for this same line: once merged,
// posix/index.ts should use that one and this file goes.

import { redactCut } from '../../errors.ts';
import type { Reach } from '../types.ts';
import { percentDecode } from '../protocol/percent.ts';

const NONE: Reach = { ok: false, status: null, tool: null, detail: 'the reach probe printed no result line' };

export function parseReach(stdout: string): Reach {
  // only complete lines count: a cut line is never read as an answer
  const lines = stdout.split('\n').slice(0, -1).filter((l) => l.startsWith('@@gofleet reach '));
  const line = lines[lines.length - 1];
  if (line === undefined) return NONE;
  const [verdict, status, tool, detail] = line.slice('@@gofleet reach '.length).trimEnd().split(' ');
  if (verdict !== 'ok' && verdict !== 'fail') return NONE;
  return {
    ok: verdict === 'ok',
    status: status !== undefined && /^\d{3}$/.test(status) ? Number(status) : null,
    tool: tool === undefined || tool === '-' ? null : percentDecode(tool),
    detail: detail === undefined || detail === '-' ? '' : redactCut(percentDecode(detail)).trim(),
  };
}
