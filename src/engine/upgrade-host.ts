// One host's upgrade, as a list of named steps:
// probe (1 round trip) -> plan from fresh facts -> drain (wait for builds in flight) -> decide the delivery
// (decide-delivery.ts; under --distribution auto one more read-only round trip: the reach probe) -> push the
// archive if the host lacks it and does not pull it -> [pull +] stage + switch + verify (+ rollback) in one host
// script (1 round trip; a second one, after an upload, only when the archive the host had cached turns out not
// to be the published one, or when a pull under auto failed: then the archive is pushed).

import { GofleetError } from '../errors.ts';
import type { HostSpec } from '../inventory/types.ts';
import type { ArchiveRef, ScriptOutcome } from '../platform/types.ts';
import { fenceOf, type ArchiveInfo, type EngineContext } from './context.ts';
import type { HostResult } from './events.ts';
import { decideDelivery, needsReach } from './decide-delivery.ts';
import { reachHost } from './reach-host.ts';
import { drainHost } from './drain-host.ts';
import { failureResult } from './failure-result.ts';
import { HostRecorder } from './host-recorder.ts';
import { outcomeToResult } from './outcome.ts';
import { awaitOtherRun, MAX_LOCK_WAITS, otherRunLock } from './other-run-lock.ts';
import { ownLock } from './own-lock.ts';
import { planHost } from './plan-host.ts';
import { currentVersion, probeHost, type ProbedHost } from './probe-host.ts';
import { runHostScript } from './run-script.ts';
import type { Sessions } from './sessions.ts';

export async function upgradeHost(spec: HostSpec, target: string, ctx: EngineContext, sessions: Sessions): Promise<HostResult> {
  const rec = new HostRecorder(spec.name, ctx.run, ctx.emit, ctx.now);
  let from: string | null = null;
  try {
    let host = await probeHost(spec, ctx, sessions, rec);
    // the version the probe read: what the result says the host was on, even when the lock wait below fails
    from = currentVersion(host.facts);
    // a lock held by another run (two runs on the same hosts) is waited for, then the host is planned again
    for (let waits = 0; ; waits++) {
      const mayWait = waits < MAX_LOCK_WAITS;
      if (mayWait && otherRunLock(host.facts, ctx.run)) host = await awaitOtherRun(host, ctx, rec);
      from = currentVersion(host.facts);
      const attempt = await planAndRun(host, from, target, { ctx, rec, sessions });
      if (attempt.kind === 'done') return attempt.result;
      // the other run took the lock between our facts and our script (nothing was changed here): wait, re-plan
      if (mayWait && attempt.outcome.result === 'failed' && attempt.outcome.code === 'HOST_LOCKED') {
        host = await awaitOtherRun(host, ctx, rec);
        continue;
      }
      return outcomeToResult(attempt.outcome, rec, from, target, 'upgraded', host.transport.hostLimits);
    }
  } catch (err) {
    return failureResult(err, rec, from, target);
  }
}

interface AttemptDeps {
  ctx: EngineContext;
  rec: HostRecorder;
  sessions: Sessions;
}

type Attempt = { kind: 'done'; result: HostResult } | { kind: 'ran'; outcome: ScriptOutcome };

/** Plan from the host's facts, drain, push the archive if needed, and run the host script (once more after re-uploading a bad cached copy). */
async function planAndRun(host: ProbedHost, from: string | null, target: string, { ctx, rec, sessions }: AttemptDeps): Promise<Attempt> {
  const spec = host.spec;
  const os = host.facts.os as 'linux' | 'darwin' | 'windows';
  // a POSIX host under --method msi has no MSI to look up: planHost skips it
  const noFile = from === target || (ctx.method === 'msi' && os !== 'windows');
  const info = noFile ? undefined : await ctx.archiveInfo(target, os, host.facts.arch);
  const adopt = ctx.adoptLink ? { adoptLink: true } : {};
  const method = ctx.method === 'msi' ? { method: ctx.method } : {};
  const { facts } = ownLock(host.facts, ctx.run, ctx.fence !== undefined);
  const plan = planHost({ facts, target, privilege: host.privilege, host: spec.name, ...(info ? { archive: info } : {}), ...adopt, ...method });
  if (plan.unchanged) return { kind: 'done', result: rec.result('unchanged', from, target) };
  const distribution = ctx.distribution ?? 'push';
  // --method msi on a host it cannot apply to: left as it is, like a host not selected (nothing was tried)
  if (plan.skip?.code === 'MSI_NOT_APPLICABLE') return { kind: 'done', result: rec.result('skipped', from, target, plan.skip) };
  if (plan.skip) throw plan.skip;
  checkInterrupted(ctx, spec);
  const busy = await drainHost(host, ctx, rec);
  if (busy) return { kind: 'done', result: rec.result('skipped', from, target, busy) };
  const stages = plan.actions.includes('stage') && info !== undefined;
  // a dialect without a reach probe has no pull step either (until its scripts learn one): it is pushed to
  const given = { distribution, stages, cached: !plan.needsUpload, url: info?.url };
  const reach = needsReach(given) && info?.url ? await rec.step('reach', () => reachHost(host, info.url as string, ctx), (r) => ({ message: r.detail })) : undefined;
  const delivery = decideDelivery({ ...given, ...(reach ? { reach } : {}) });
  rec.delivery = delivery;
  const archive = !stages || !info ? null : delivery.delivery === 'pull' ? pullRef(host, info) : await pushArchive(host, target, info, ctx, rec, plan.needsUpload);
  const run = async (ref: ArchiveRef | null): Promise<ScriptOutcome> => {
    // last point where stopping leaves nothing behind: after this the host script owns the host
    checkInterrupted(ctx, spec);
    const script = host.dialect.upgrade({ paths: host.paths, target, archive: ref, verify: ctx.verify, run: ctx.run, ...adopt, ...method, ...fenceOf(ctx) });
    return runHostScript(host, script, ctx, rec, sessions, { from, target });
  };
  let outcome = await run(archive);
  if (archive && info && !plan.needsUpload && badCachedCopy(outcome)) {
    // the host's cached copy (found by name) failed its checksum and the script deleted it: push the
    // verified archive and run once more; goroot was not touched (staging comes first)
    rec.warnings.push(...outcome.warnings, `the archive cached on the host was not ${info.filename} as published; it was removed and uploaded again`);
    outcome = await run(await pushArchive(host, target, info, ctx, rec, true));
  } else if (archive?.pullUrl && info && distribution === 'auto' && outcome.result === 'failed' && outcome.code === 'PULL_FAILED') {
    // auto: the host answered the probe but could not download the file; goroot was not touched (pull comes
    // before stage): push it instead and run once more
    rec.warnings.push(...outcome.warnings, `the host could not download ${info.filename} itself (${outcome.message ?? 'PULL_FAILED'}); it was pushed instead`);
    rec.delivery = { delivery: 'push', reason: `auto: the pull failed, pushed instead: ${outcome.message ?? 'PULL_FAILED'}` };
    outcome = await run(await pushArchive(host, target, info, ctx, rec, true));
  }
  return { kind: 'ran', outcome };
}

/** --distribution pull/auto: the host downloads the file into its cache itself, inside the host script's `pull` step. */
function pullRef(host: ProbedHost, info: ArchiveInfo): ArchiveRef {
  return {
    filename: info.filename,
    sha256: info.sha256,
    size: info.size,
    remotePath: host.dialect.cachedArchivePath(host.paths, info.filename),
    pullUrl: info.url as string,
  };
}

/** The script stopped at `stage` because the archive it was given failed its checksum (and was deleted). */
function badCachedCopy(outcome: ScriptOutcome): boolean {
  return outcome.result === 'failed' && outcome.code === 'CHECKSUM_MISMATCH';
}

export function checkInterrupted(ctx: EngineContext, spec: HostSpec): void {
  if (ctx.signal?.aborted) {
    throw new GofleetError('INTERRUPTED', `${spec.name}: stopped before changing anything (interrupted)`, { host: spec.name });
  }
}

/**
 * Make sure the archive is on the host: already in its cache (nothing to download: the host script checks the
 * cached copy against the published SHA-256), or downloaded once on the controller and pushed.
 */
async function pushArchive(
  host: ProbedHost,
  target: string,
  info: ArchiveInfo,
  ctx: EngineContext,
  rec: HostRecorder,
  needsUpload: boolean,
): Promise<ArchiveRef> {
  if (!needsUpload) {
    rec.skip('upload', 'archive already in the host cache');
    return { ...info, remotePath: host.dialect.cachedArchivePath(host.paths, info.filename) };
  }
  const os = host.facts.os as 'linux' | 'darwin' | 'windows';
  const local = await rec.step('download', () => ctx.fetchArchive(target, os, host.facts.arch));
  const ref = { filename: local.filename, sha256: local.sha256, size: local.size };
  // unique per host too: several hosts may share one /tmp (local-transport hosts on one machine)
  const token = `${ctx.run}-${host.spec.name.replace(/[^A-Za-z0-9._-]/g, '_')}`;
  const remotePath = host.dialect.uploadPath(host.paths, local.filename, { become: host.become, run: token });
  await rec.step('upload', () => host.transport.put(local.path, remotePath, { mode: 0o600, ...(ctx.signal ? { signal: ctx.signal } : {}) }));
  return { ...ref, remotePath };
}
