// One host's upgrade, as a list of named steps:
// probe (1 round trip) -> plan from fresh facts -> push the archive if the host lacks it ->
// stage + switch + verify (+ rollback) in one host script (1 round trip).

import type { HostSpec } from '../inventory/types.ts';
import type { ArchiveRef, HostFacts } from '../platform/types.ts';
import type { EngineContext } from './context.ts';
import type { HostResult } from './events.ts';
import { HostRecorder } from './host-recorder.ts';
import { outcomeToResult } from './outcome.ts';
import { planHost } from './plan-host.ts';
import { currentVersion, probeHost, type ProbedHost } from './probe-host.ts';
import { runHostScript } from './run-script.ts';
import type { Sessions } from './sessions.ts';
import { failureResult } from './failure-result.ts';

export async function upgradeHost(spec: HostSpec, target: string, ctx: EngineContext, sessions: Sessions): Promise<HostResult> {
  const rec = new HostRecorder(spec.name, ctx.run, ctx.emit, ctx.now);
  let from: string | null = null;
  try {
    const host = await probeHost(spec, ctx, sessions, rec);
    from = currentVersion(host.facts);
    const os = host.facts.os as 'linux' | 'darwin' | 'windows';
    const info = from === target ? undefined : await ctx.archiveInfo(target, os, host.facts.arch);
    const plan = planHost({ facts: host.facts, target, become: host.become, host: spec.name, ...(info ? { archive: info } : {}) });
    if (plan.unchanged) return rec.result('unchanged', from, target);
    if (plan.skip) throw plan.skip;
    const archive = plan.actions.includes('stage') && info ? await pushArchive(host, target, ctx, rec, plan.needsUpload) : null;
    const script = host.dialect.upgrade({ paths: host.paths, target, archive, verify: ctx.verify, run: ctx.run });
    const outcome = await runHostScript(host, script, ctx, rec);
    return outcomeToResult(outcome, rec, from, target);
  } catch (err) {
    return failureResult(err, rec, from, target);
  }
}

/** Make sure the archive is on the host: from its cache, or downloaded once on the controller and pushed. */
async function pushArchive(
  host: ProbedHost,
  target: string,
  ctx: EngineContext,
  rec: HostRecorder,
  needsUpload: boolean,
): Promise<ArchiveRef> {
  const facts: HostFacts = host.facts;
  const os = facts.os as 'linux' | 'darwin' | 'windows';
  const local = await rec.step('download', () => ctx.fetchArchive(target, os, facts.arch));
  const ref = { filename: local.filename, sha256: local.sha256, size: local.size };
  if (!needsUpload) {
    rec.skip('upload', 'archive already in the host cache');
    return { ...ref, remotePath: host.dialect.cachedArchivePath(host.paths, local.filename) };
  }
  const remotePath = host.dialect.uploadPath(host.paths, local.filename, { become: host.become, run: ctx.run });
  await rec.step('upload', () => host.transport.put(local.path, remotePath, { mode: 0o600 }));
  return { ...ref, remotePath };
}
