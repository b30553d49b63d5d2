// `use VERSION` and `rollback`: switch among installed versions with the same verify-or-roll-back policy.

import { GofleetError } from '../errors.ts';
import type { HostSpec } from '../inventory/types.ts';
import type { ScriptOutcome } from '../platform/types.ts';
import { fenceOf, type EngineContext } from './context.ts';
import type { HostResult } from './events.ts';
import { checkGorootSafety } from './check-goroot-safety.ts';
import { drainHost } from './drain-host.ts';
import { failureResult } from './failure-result.ts';
import { HostRecorder } from './host-recorder.ts';
import { outcomeToResult } from './outcome.ts';
import { planMsiSwitch, type MsiSwitch } from './plan-msi-switch.ts';
import { awaitOtherRun, MAX_LOCK_WAITS, otherRunLock } from './other-run-lock.ts';
import { currentVersion, probeHost, type ProbedHost } from './probe-host.ts';
import { runHostScript } from './run-script.ts';
import type { Sessions } from './sessions.ts';
import { checkInterrupted } from './upgrade-host.ts';

/**
 * `version` null means "the version before the last switch" (rollback). A lock held by another gofleet run is
 * waited for as `upgrade` does (other-run-lock.ts: same bound, same messages); the host is then read again and
 * the switch decided from what it is now (at the target: unchanged; a rollback rolls back the last switch then).
 */
export async function switchHost(
  spec: HostSpec,
  version: string | null,
  ctx: EngineContext,
  sessions: Sessions,
): Promise<HostResult> {
  const rec = new HostRecorder(spec.name, ctx.run, ctx.emit, ctx.now);
  const at: Decided = { from: null, target: version };
  try {
    let host = await probeHost(spec, ctx, sessions, rec);
    for (let waits = 0; ; waits++) {
      const mayWait = waits < MAX_LOCK_WAITS;
      if (mayWait && otherRunLock(host.facts, ctx.run)) host = await awaitOtherRun(host, ctx, rec);
      const attempt = await switchAttempt(host, version, at, { ctx, rec, sessions });
      if (attempt.kind === 'done') return attempt.result;
      // the other run took the lock between our facts and our script (nothing was changed here): wait, decide again
      if (mayWait && attempt.outcome.result === 'failed' && attempt.outcome.code === 'HOST_LOCKED') {
        host = await awaitOtherRun(host, ctx, rec);
        continue;
      }
      return outcomeToResult(attempt.outcome, rec, at.from, attempt.reported, 'switched', host.transport.hostLimits);
    }
  } catch (err) {
    return failureResult(err, rec, at.from, at.target);
  }
}

/** What the last attempt decided (kept for the failure result). */
interface Decided {
  from: string | null;
  target: string | null;
}

interface SwitchDeps {
  ctx: EngineContext;
  rec: HostRecorder;
  sessions: Sessions;
}

type Attempt = { kind: 'done'; result: HostResult } | { kind: 'ran'; outcome: ScriptOutcome; reported: string };

/** Decide the switch from the host's facts and run its script (or find nothing to do). */
async function switchAttempt(host: ProbedHost, version: string | null, at: Decided, deps: SwitchDeps): Promise<Attempt> {
  const { ctx, rec } = deps;
  const spec = host.spec;
  at.from = currentVersion(host.facts);
  const from = at.from;
  const unsafe = checkGorootSafety({ facts: host.facts, host: spec.name, ...(ctx.adoptLink ? { adoptLink: true } : {}) });
  if (unsafe) throw unsafe;
  // goroot installed by the Go MSI: that version's MSI reinstalled from the host cache, never a junction over it
  const viaMsi = planMsiSwitch({ facts: host.facts, version, host: spec.name });
  if (viaMsi.kind !== 'none') return msiSwitch(host, viaMsi, at, deps);
  const target = version ?? host.facts.managed.previous;
  at.target = target;
  const link = host.facts.managed.previousLink;
  if (!target && link) return restoreLink(host, link, { ...deps, from });
  if (!target) throw new GofleetError('NO_PREVIOUS_VERSION', `${spec.name}: no earlier switch is recorded`, { host: spec.name });
  // at the target, unless its switch was never verified (the host script then verifies it, or rolls back)
  const unverified = host.facts.managed.unverified === target;
  if (from === target && host.facts.goroot.state === 'link' && !unverified) return { kind: 'done', result: rec.result('unchanged', from, target) };
  if (!host.facts.managed.versions.includes(target)) {
    const have = host.facts.managed.versions.join(', ') || 'none';
    throw new GofleetError('VERSION_NOT_INSTALLED', `${spec.name}: ${target} is not installed (installed: ${have})`, { host: spec.name });
  }
  checkInterrupted(ctx, spec);
  const busy = await drainHost(host, ctx, rec);
  if (busy) return { kind: 'done', result: rec.result('skipped', from, target, busy) };
  const script = host.dialect.switchTo({ paths: host.paths, target, verify: ctx.verify, run: ctx.run, ...(ctx.adoptLink ? { adoptLink: true } : {}), ...fenceOf(ctx) });
  checkInterrupted(ctx, spec);
  return { kind: 'ran', outcome: await runHostScript(host, script, ctx, rec, deps.sessions, { from, target }), reported: target };
}

/**
 * `use` / `rollback` on an MSI goroot (plan-msi-switch.ts): the MSI script (the one `upgrade --method msi` runs)
 * given the target's .msi where the host cached it, checked against its published SHA-256 (the release index is
 * read; nothing is downloaded or pushed), installed, verified, and on failure the current version's MSI
 * reinstalled from the cache.
 */
async function msiSwitch(host: ProbedHost, decided: Exclude<MsiSwitch, { kind: 'none' }>, at: Decided, deps: SwitchDeps): Promise<Attempt> {
  const { ctx, rec } = deps;
  const spec = host.spec;
  const from = at.from;
  at.target = decided.target;
  if (decided.kind === 'refuse') throw decided.error;
  if (decided.kind === 'unchanged') return { kind: 'done', result: rec.result('unchanged', from, decided.target) };
  const target = decided.target;
  // the published SHA-256 of decided.msi (the MSI script checks the cached copy against it; a wrong copy is deleted)
  const info = await ctx.archiveInfo(target, 'windows', host.facts.arch, 'msi');
  checkInterrupted(ctx, spec);
  const busy = await drainHost(host, ctx, rec);
  if (busy) return { kind: 'done', result: rec.result('skipped', from, target, busy) };
  rec.skip('upload', 'the MSI is in the host cache');
  const archive = { ...info, remotePath: host.dialect.cachedArchivePath(host.paths, info.filename) };
  const script = host.dialect.upgrade({ paths: host.paths, target, archive, verify: ctx.verify, run: ctx.run, method: 'msi', ...fenceOf(ctx) });
  checkInterrupted(ctx, spec);
  return { kind: 'ran', outcome: await runHostScript(host, script, ctx, rec, deps.sessions, { from, target }), reported: target };
}

/** `rollback` after a switch away from a link outside versions_dir (--adopt-link): goroot back to that link. */
async function restoreLink(
  host: ProbedHost,
  link: string,
  o: SwitchDeps & { from: string | null },
): Promise<Attempt> {
  checkInterrupted(o.ctx, host.spec);
  const busy = await drainHost(host, o.ctx, o.rec);
  if (busy) return { kind: 'done', result: o.rec.result('skipped', o.from, link, busy) };
  const script = host.dialect.restoreLink({ paths: host.paths, run: o.ctx.run, ...fenceOf(o.ctx) });
  checkInterrupted(o.ctx, host.spec);
  const outcome = await runHostScript(host, script, o.ctx, o.rec, o.sessions, { from: o.from, target: null });
  // the restored target has no version of its own: report the link
  return { kind: 'ran', outcome: { ...outcome, active: outcome.active ?? link }, reported: link };
}
