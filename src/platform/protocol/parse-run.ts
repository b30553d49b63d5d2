// Parses the output protocol of mutating scripts, shared by every dialect (POSIX: sh-protocol.ts; Windows
// scripts print exactly the same lines):
//   @@gofleet step <name> <start|ok|fail|skip> [code=<CODE>] [msg=<enc>]
//   @@gofleet outcome result=<..> active=<v|-> previous=<v|-> [code=..] [msg=..] [removed=v1,v2] [warn=<enc>]...
// Any other line is ignored. Only complete lines (ending in \n) count: a connection that died in
// the middle of a line leaves that line out, so a cut outcome line is never read as a result.
// Partial output gives the steps seen so far and `outcome: null`.
// Messages and warnings are host text cut to their last 2000 bytes by gf_enc: a secret straddling that cut
// arrives as its tail alone, which plain redaction would not recognise, so they go through redactCut here.

import { redactCut } from '../../errors.ts';
import type { ScriptOutcome, StepEvent, StepName } from '../types.ts';
import { percentDecode } from './percent.ts';

const STEPS: ReadonlySet<string> = new Set<StepName>(['lock', 'adopt', 'pull', 'stage', 'switch', 'verify', 'rollback', 'prune', 'unlock']);
const STATUSES: ReadonlySet<string> = new Set<StepEvent['status']>(['start', 'ok', 'fail', 'skip']);
const RESULTS: ReadonlySet<string> = new Set<ScriptOutcome['result']>([
  'switched',
  'unchanged',
  'rolled_back',
  'failed',
  'rollback_failed',
  'pruned',
]);

/** Split `k=v k=v` tokens; repeated keys keep every value in order. */
function fields(tokens: string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const token of tokens) {
    const eq = token.indexOf('=');
    if (eq <= 0) continue;
    const key = token.slice(0, eq);
    out.set(key, [...(out.get(key) ?? []), token.slice(eq + 1)]);
  }
  return out;
}

function first(map: Map<string, string[]>, key: string): string | undefined {
  const v = map.get(key)?.[0];
  return v === undefined ? undefined : percentDecode(v);
}

/** A message field: host text, possibly cut at its start. */
function hostText(map: Map<string, string[]>, key: string): string | undefined {
  const v = map.get(key)?.[0];
  return v === undefined ? undefined : redactCut(percentDecode(v));
}

function version(map: Map<string, string[]>, key: string): string | null {
  const v = first(map, key);
  return v === undefined || v === '' || v === '-' ? null : v;
}

function parseStep(tokens: string[]): StepEvent | null {
  const [step, status, ...rest] = tokens;
  if (step === undefined || status === undefined || !STEPS.has(step) || !STATUSES.has(status)) return null;
  const f = fields(rest);
  const event: StepEvent = { step: step as StepName, status: status as StepEvent['status'] };
  const code = first(f, 'code');
  const message = hostText(f, 'msg');
  if (code) event.code = code;
  if (message !== undefined) event.message = message;
  return event;
}

function parseOutcome(tokens: string[]): ScriptOutcome | null {
  const f = fields(tokens);
  const result = first(f, 'result');
  if (result === undefined || !RESULTS.has(result)) return null;
  const outcome: ScriptOutcome = {
    result: result as ScriptOutcome['result'],
    active: version(f, 'active'),
    previous: version(f, 'previous'),
    warnings: (f.get('warn') ?? []).map((w) => redactCut(percentDecode(w))),
  };
  const code = first(f, 'code');
  const message = hostText(f, 'msg');
  const removed = f.get('removed')?.[0];
  if (code) outcome.code = code;
  if (message !== undefined) outcome.message = message;
  if (removed !== undefined) outcome.removed = removed === '' ? [] : removed.split(',').map(percentDecode);
  else if (outcome.result === 'pruned') outcome.removed = [];
  return outcome;
}

/** Steps and outcome from (possibly partial) script output. The last outcome line wins. */
export function parseRun(stdout: string): { steps: StepEvent[]; outcome: ScriptOutcome | null } {
  const steps: StepEvent[] = [];
  let outcome: ScriptOutcome | null = null;
  const complete = stdout.slice(0, stdout.lastIndexOf('\n') + 1);
  for (const raw of complete.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const tokens = line.split(' ').filter((t) => t !== '');
    if (tokens[0] !== '@@gofleet') continue;
    if (tokens[1] === 'step') {
      const step = parseStep(tokens.slice(2));
      if (step) steps.push(step);
    } else if (tokens[1] === 'outcome') {
      outcome = parseOutcome(tokens.slice(2)) ?? outcome;
    }
  }
  return { steps, outcome };
}
