// The `upgrade` command line one reconcile rollout runs (also serve's): reconcile's own command line (inventory, sources,
// journal, verification, transport options pass through unchanged) with reconcile's flags taken out, and the
// rollout's hosts, target, shape and deadline put in. It is what the journal records for the rollout's run, so
// `gofleet resume RUN` (and a restarted `serve`) can finish it like any upgrade. Pure.

import { GofleetError } from '../../errors.ts';
import type { RolloutShape } from '../../policy/types.ts';

/** reconcile's and serve's own options that take a value (dropped with it); --limit and --deadline are replaced */
const WITH_VALUE = new Set(['--policy', '--limit', '-l', '--deadline', '--min-age', '--to', '--vulndb', '--listen', '--refresh', '--tls-cert', '--tls-key']);
/** reconcile's own flags (dropped); --yes and --json are put back as the rollout needs them; --pause (approval
 * between waves) is the policy's `pause: true`, which only serve answers */
const FLAGS = new Set(['--print-schedule', '--dry-run', '--yes', '-y', '--json', '--pause', '--insecure-http']);

export interface RolloutArgs {
  hosts: readonly string[];
  target: string;
  shape: RolloutShape;
  /** ms since the epoch: no host starts at or after it */
  deadline: number | null;
  json: boolean;
}

export function upgradeArgv(reconcileArgv: readonly string[], r: RolloutArgs): string[] {
  if (reconcileArgv[0] !== 'reconcile' && reconcileArgv[0] !== 'serve') {
    throw new GofleetError('BAD_OPTION', `internal: a reconcile command line must start with "reconcile" or "serve": ${reconcileArgv.join(' ')}`);
  }
  const out = ['upgrade'];
  for (let i = 1; i < reconcileArgv.length; i++) {
    const a = reconcileArgv[i] as string;
    if (a === '--') break;
    if (WITH_VALUE.has(a)) {
      i++;
      continue;
    }
    if (FLAGS.has(a)) continue;
    // --policy=FILE, --limit=PAT, -lPAT
    if ([...WITH_VALUE].some((o) => (o.startsWith('--') ? a.startsWith(`${o}=`) : a.startsWith(o) && a.length > o.length && !a.startsWith('--')))) continue;
    out.push(a);
  }
  const s = r.shape;
  out.push('--limit', r.hosts.join(','), '--to', r.target);
  if (s.canary !== undefined) out.push('--canary', String(s.canary));
  if (s.waves !== undefined) out.push('--waves', s.waves);
  if (s.maxFail !== undefined) out.push('--max-fail', s.maxFail);
  if (s.parallel !== undefined) out.push('--parallel', String(s.parallel));
  if (s.drainTimeout !== undefined) out.push('--drain-timeout', s.drainTimeout);
  if (s.pauseAfter !== undefined) out.push('--pause-after', s.pauseAfter);
  if (r.deadline !== null) out.push('--deadline', new Date(r.deadline).toISOString());
  out.push('--yes');
  if (r.json) out.push('--json');
  return out;
}
