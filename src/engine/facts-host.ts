// `facts`: one round trip per host, read-only. One bad host never fails the others.

import { asGofleetError } from '../errors.ts';
import type { HostSpec } from '../inventory/types.ts';
import type { HostFacts, HostPaths, PrivilegeDecision } from '../platform/types.ts';
import type { HostLimits } from '../transport/types.ts';
import type { EngineContext } from './context.ts';
import type { ErrorInfo } from './events.ts';
import { HostRecorder } from './host-recorder.ts';
import { probeHost } from './probe-host.ts';
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
}

export async function factsHost(spec: HostSpec, ctx: EngineContext, sessions: Sessions): Promise<HostFactsResult> {
  const rec = new HostRecorder(spec.name, ctx.run, ctx.emit, ctx.now);
  try {
    const host = await probeHost(spec, ctx, sessions, rec);
    const limits = host.transport.hostLimits;
    return { name: spec.name, reachable: true, facts: host.facts, paths: host.paths, become: host.become, privilege: host.privilege, error: null, warnings: rec.warnings,
      ...(limits ? { limits } : {}) };
  } catch (err) {
    const e = asGofleetError(err);
    const reachable = rec.steps.some((s) => s.step === 'connect' && s.status === 'ok');
    return { name: spec.name, reachable, facts: null, paths: null, become: false, privilege: null, error: e.toJSON(), warnings: rec.warnings };
  }
}
