// Connect to a host and read its facts: the first (and for read-only commands the only) round trip.

import { GofleetError } from '../errors.ts';
import type { HostSpec } from '../inventory/types.ts';
import { OS_DEFAULTS, type HostFacts, type HostOs, type HostPaths, type PlatformDialect, type PrivilegeDecision } from '../platform/types.ts';
import { DETECT_SHELL_COMMAND, dialectOsOf, parseDetectShell, type LoginShell } from '../platform/detect-shell.ts';
import type { Transport } from '../transport/types.ts';
import type { EngineContext } from './context.ts';
import type { HostRecorder } from './host-recorder.ts';
import type { Sessions } from './sessions.ts';

export interface ProbedHost {
  spec: HostSpec;
  transport: Transport;
  dialect: PlatformDialect;
  paths: HostPaths;
  facts: HostFacts;
  /** how mutating scripts run, or why they cannot (the dialect's decision) */
  privilege: PrivilegeDecision;
  /** whether mutating scripts run elevated (privilege.elevate) */
  become: boolean;
  /** the become password, when the dialect elevates with it (sent on stdin before the script) */
  becomePassword?: string;
}

/** Below this WinRM MaxMemoryPerShellMB (150 on Server 2008 R2 / WinRM 2.0; 1024 since 2012), a Go build may die. */
export const MIN_SHELL_MEMORY_MB = 1024;

/** WinRM caps the memory of a shell and everything it runs: a verification build killed by that cap must not
 *  look like a broken toolchain, so a low cap is said up front (0 means no cap). */
export function shellMemoryWarning(transport: Pick<Transport, 'hostLimits'>): string | undefined {
  const mb = transport.hostLimits?.maxMemoryPerShellMB;
  if (mb === undefined || mb === 0 || mb >= MIN_SHELL_MEMORY_MB) return undefined;
  return `WinRM lets a shell use ${mb} MB at most (winrm/config/Winrs MaxMemoryPerShellMB): the verification build may be `
    + `killed by that cap and read as a failed toolchain; raise it to ${MIN_SHELL_MEMORY_MB} or more `
    + `(winrm set winrm/config/winrs @{MaxMemoryPerShellMB="${MIN_SHELL_MEMORY_MB}"})`;
}

export function hostPaths(spec: HostSpec, os: HostOs): HostPaths {
  const d = OS_DEFAULTS[os];
  return { goroot: spec.goroot ?? d.goroot, versionsDir: spec.versionsDir ?? d.versionsDir };
}

export async function probeHost(
  spec: HostSpec,
  ctx: EngineContext,
  sessions: Sessions,
  rec: HostRecorder,
): Promise<ProbedHost> {
  const transport = await rec.step('connect', () => sessions.get(spec));
  // the dialect comes from the shell that answers (one more exec on the same connection) unless the inventory
  // says linux or darwin (trusted; the facts check it); part of learning the host, so inside its facts step
  const probed = await rec.step('facts', async () => {
    const login = spec.os === undefined || spec.os === 'windows' ? await detectLoginShell(spec, transport, ctx) : undefined;
    const os = login ? dialectOsOf(login) : (spec.os ?? 'linux');
    const dialect = login ? ctx.dialectFor(os, login) : ctx.dialectFor(os);
    const facts = await readFacts({ spec, transport, dialect, paths: hostPaths(spec, os) }, ctx);
    return { dialect, facts };
  }, (p) => ({ version: currentVersion(p.facts) }));
  const { dialect, facts } = probed;
  if (facts.os === 'unknown') {
    throw new GofleetError('UNSUPPORTED_PLATFORM', `${spec.name}: unsupported operating system`, { host: spec.name });
  }
  if (spec.os && spec.os !== facts.os) {
    rec.warnings.push(`inventory says os=${spec.os} but the host reports ${facts.os}`);
  }
  const shellMemory = shellMemoryWarning(transport);
  if (shellMemory) rec.warnings.push(shellMemory);
  // the become password is looked up only when the dialect would use one (sudo asks for it): first decide as if
  // it were known, then, when it is not, decide again without it
  const request = { host: spec.name, become: spec.become };
  const withPassword = dialect.privilege(facts, { ...request, becomePassword: true });
  const becomePassword = withPassword.how === 'sudo-password' ? ctx.becomePassword?.(spec.name) : undefined;
  const privilege = withPassword.how !== 'sudo-password' || becomePassword !== undefined ? withPassword : dialect.privilege(facts, { ...request, becomePassword: false });
  return { spec, transport, dialect, paths: hostPaths(spec, facts.os), facts, privilege, become: privilege.elevate,
    ...(becomePassword !== undefined ? { becomePassword } : {}) };
}

/** Ask the shell that answers on the host what it is (platform/detect-shell.ts): it decides the dialect. */
export async function detectLoginShell(spec: HostSpec, transport: Transport, ctx: Pick<EngineContext, 'signal'>): Promise<LoginShell> {
  const r = await transport.exec(DETECT_SHELL_COMMAND, { timeoutMs: FACTS_TIMEOUT_MS, ...(ctx.signal ? { signal: ctx.signal } : {}) });
  const detected = parseDetectShell(r.stdout);
  if (detected.shell !== 'unknown') return detected.shell;
  const answer = detected.shell === 'unknown' && detected.answer !== '' ? detected.answer : tail(r.stderr, 2) || `exit ${r.exitCode ?? r.signal}`;
  throw new GofleetError('SHELL_UNRECOGNISED', `${spec.name}: the login shell answered neither like sh, cmd.exe nor PowerShell: ${answer}`, { host: spec.name });
}

/** Run the facts script (read-only, one round trip). */
export async function readFacts(
  host: Pick<ProbedHost, 'spec' | 'transport' | 'dialect' | 'paths'>,
  ctx: Pick<EngineContext, 'signal'>,
): Promise<HostFacts> {
  const { spec, transport, dialect, paths } = host;
  transport.useShell(dialect.remoteShell); // a reopened connection is handed it again
  const r = await transport.exec(dialect.scriptCommand({ become: false }), {
    stdin: dialect.facts(paths),
    timeoutMs: FACTS_TIMEOUT_MS,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  });
  if (r.timedOut) {
    throw new GofleetError('EXEC_TIMEOUT', `gathering facts timed out after ${FACTS_TIMEOUT_MS / 1000} s`, {
      host: spec.name,
      hint: 'The host is overloaded or a login profile hangs (the facts step runs through the login shell); check the host.',
    });
  }
  if (r.exitCode !== 0) {
    throw new GofleetError('REMOTE_FAILED', `facts script exited ${r.exitCode}: ${tail(dialect.stderrText(r.stderr))}`, { host: spec.name });
  }
  return dialect.parseFacts(r.stdout);
}

const FACTS_TIMEOUT_MS = 60_000;

/** The version a host's goroot provides now, as users think of it. */
export function currentVersion(facts: HostFacts): string | null {
  return facts.managed.active ?? facts.goroot.version ?? null;
}

export function tail(text: string, lines = 5): string {
  return text.trim().split('\n').slice(-lines).join('\n');
}
