// `facts`: one round trip per host, read-only. One bad host never fails the others.

import { asGofleetError } from '../errors.ts';
import type { HostSpec } from '../inventory/types.ts';
import type { HostFacts, HostPaths, PrivilegeDecision, Reach } from '../platform/types.ts';
import type { HostLimits } from '../transport/types.ts';
import type { EngineContext } from './context.ts';
import type { ErrorInfo } from './events.ts';
import { HostRecorder } from './host-recorder.ts';
import { probeHost } from './probe-host.ts';
import { reachHost } from './reach-host.ts';
import type { Sessions } from './sessions.ts';

export interface HostFactsResult {
  name: string;
  reachable: boolean;
  facts: HostFacts | null;
  paths: HostPaths | null;
  become: boolean;
  /** the dialect's privilege decision (null when the facts could not be read) */
  privilege: PrivilegeDecision | null;
  error: ErrorInfo | null;
  warnings: string[];
  /** WinRM hosts: the session limits read from winrm/config at connect (MaxMemoryPerShellMB, ...) */
  limits?: HostLimits;
  /** `plan --distribution auto`: what the host's reach probe found (only for hosts that would need the archive) */
  reach?: Reach;
}

export interface FactsOptions {
  /** the URL to probe from this host (plan under --distribution auto), or null for none */
  reachUrl?: (facts: HostFacts) => string | null;
}

export async function factsHost(spec: HostSpec, ctx: EngineContext, sessions: Sessions, options: FactsOptions = {}): Promise<HostFactsResult> {
  const rec = new HostRecorder(spec.name, ctx.run, ctx.emit, ctx.now);
  try {
    const host = await probeHost(spec, ctx, sessions, rec);
    const limits = host.transport.hostLimits;
    const url = options.reachUrl?.(host.facts);
    const reach = url ? await reachHost(host, url, ctx) : undefined;
    return { name: spec.name, reachable: true, facts: host.facts, paths: host.paths, become: host.become, privilege: host.privilege, error: null, warnings: rec.warnings,
      ...(limits ? { limits } : {}), ...(reach ? { reach } : {}) };
  } catch (err) {
    const e = asGofleetError(err);
    const reachable = rec.steps.some((s) => s.step === 'connect' && s.status === 'ok');
    return { name: spec.name, reachable, facts: null, paths: null, become: false, privilege: null, error: e.toJSON(), warnings: rec.warnings };
  }
}
