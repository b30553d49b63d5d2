// `use VERSION` and `rollback`: switch among installed versions with the same verify-or-roll-back policy.

import { GofleetError } from '../errors.ts';
import type { HostSpec } from '../inventory/types.ts';
import type { EngineContext } from './context.ts';
import type { HostResult } from './events.ts';
import { checkGorootSafety } from './check-goroot-safety.ts';
import { drainHost } from './drain-host.ts';
import { failureResult } from './failure-result.ts';
import { HostRecorder } from './host-recorder.ts';
import { outcomeToResult } from './outcome.ts';
import { currentVersion, probeHost, type ProbedHost } from './probe-host.ts';
import { runHostScript } from './run-script.ts';
import type { Sessions } from './sessions.ts';
import { checkInterrupted } from './upgrade-host.ts';

/** `version` null means "the version before the last switch" (rollback). */
export async function switchHost(
  spec: HostSpec,
  version: string | null,
  ctx: EngineContext,
  sessions: Sessions,
): Promise<HostResult> {
  const rec = new HostRecorder(spec.name, ctx.run, ctx.emit, ctx.now);
  let from: string | null = null;
  let target: string | null = version;
  try {
    const host = await probeHost(spec, ctx, sessions, rec);
    from = currentVersion(host.facts);
    const unsafe = checkGorootSafety({ facts: host.facts, host: spec.name, ...(ctx.adoptLink ? { adoptLink: true } : {}) });
    if (unsafe) throw unsafe;
    target = version ?? host.facts.managed.previous;
    const link = host.facts.managed.previousLink;
    if (!target && link) return await restoreLink(host, link, { ctx, rec, sessions, from });
    if (!target) throw new GofleetError('NO_PREVIOUS_VERSION', `${spec.name}: no earlier switch is recorded`, { host: spec.name });
    // at the target, unless its switch was never verified (the host script then verifies it, or rolls back)
    const unverified = host.facts.managed.unverified === target;
    if (from === target && host.facts.goroot.state === 'link' && !unverified) return rec.result('unchanged', from, target);
    if (!host.facts.managed.versions.includes(target)) {
      const have = host.facts.managed.versions.join(', ') || 'none';
      throw new GofleetError('VERSION_NOT_INSTALLED', `${spec.name}: ${target} is not installed (installed: ${have})`, { host: spec.name });
    }
    checkInterrupted(ctx, spec);
    const busy = await drainHost(host, ctx, rec);
    if (busy) return rec.result('skipped', from, target, busy);
    const script = host.dialect.switchTo({ paths: host.paths, target, verify: ctx.verify, run: ctx.run, ...(ctx.adoptLink ? { adoptLink: true } : {}) });
    checkInterrupted(ctx, spec);
    const outcome = await runHostScript(host, script, ctx, rec, sessions, { from, target });
    return outcomeToResult(outcome, rec, from, target, 'switched');
  } catch (err) {
    return failureResult(err, rec, from, target);
  }
}

/** `rollback` after a switch away from a link outside versions_dir (--adopt-link): goroot back to that link. */
async function restoreLink(
  host: ProbedHost,
  link: string,
  o: { ctx: EngineContext; rec: HostRecorder; sessions: Sessions; from: string | null },
): Promise<HostResult> {
  checkInterrupted(o.ctx, host.spec);
  const busy = await drainHost(host, o.ctx, o.rec);
  if (busy) return o.rec.result('skipped', o.from, link, busy);
  const script = host.dialect.restoreLink({ paths: host.paths, run: o.ctx.run });
  checkInterrupted(o.ctx, host.spec);
  const outcome = await runHostScript(host, script, o.ctx, o.rec, o.sessions, { from: o.from, target: null });
  // the restored target has no version of its own: report the link
  return outcomeToResult({ ...outcome, active: outcome.active ?? link }, o.rec, o.from, link, 'switched');
}
