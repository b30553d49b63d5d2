// Run a mutating platform script in one round trip, mirroring its step markers live as events.
//
// Two rules keep a host from being left half-switched:
// - The step timeout only ever kills a script that has not started to switch. Once the script reports
//   `switch start`, we wait for its outcome: its own verify is capped and it rolls back on failure.
// - If the connection drops while the script runs, the script carries on (it ignores SIGHUP). We reconnect,
//   wait for its lock to be released and read the outcome back from the host's facts.

import { GofleetError, asGofleetError } from '../errors.ts';
import type { ScriptOutcome } from '../platform/types.ts';
import type { ExecResult } from '../transport/types.ts';
import { DEFAULT_POLL_MS, type EngineContext } from './context.ts';
import type { HostRecorder } from './host-recorder.ts';
import { awaitOwnLockRelease } from './own-lock.ts';
import { readFacts, tail, type ProbedHost } from './probe-host.ts';
import type { Sessions } from './sessions.ts';

export interface ScriptExpectation {
  /** version active before the script */
  from: string | null;
  /** version the script switches to (null for prune) */
  target: string | null;
}

export async function runHostScript(
  host: ProbedHost,
  script: string,
  ctx: EngineContext,
  rec: HostRecorder,
  sessions: Sessions,
  expect: ScriptExpectation,
): Promise<ScriptOutcome> {
  const { dialect } = host;
  let buffer = '';
  let seen = 0;
  let switching = false;
  const stop = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    if (!switching) stop.abort();
  }, ctx.stepTimeoutMs);
  const onStdout = (chunk: string): void => {
    buffer += chunk;
    const { steps } = dialect.parseRun(buffer);
    for (const s of steps.slice(seen)) {
      if (s.step === 'switch') switching = true;
      rec.scriptStep(s);
    }
    seen = steps.length;
  };
  let result: ExecResult;
  try {
    const becomePassword = host.becomePassword !== undefined;
    host.transport.useShell(dialect.remoteShell);
    result = await host.transport.exec(dialect.scriptCommand({ become: host.become, becomePassword }), {
      // the become password precedes the script in the same stdin stream (the dialect's scriptCommand reads it
      // first, e.g. posix/sudo-command.ts): never in argv
      stdin: becomePassword ? `${host.becomePassword}\n${script}` : script,
      onStdout,
      signal: stop.signal,
      ...(ctx.abortHosts ? { interrupt: ctx.abortHosts } : {}),
    });
  } catch (err) {
    const e = asGofleetError(err);
    if (stop.signal.aborted) {
      rec.abandonOpenSteps('stopped: step timeout');
      throw new GofleetError('EXEC_TIMEOUT', `${host.spec.name}: the host script did not finish within ${ctx.stepTimeoutMs / 1000} s and was stopped before switching`, { host: host.spec.name, hint: 'Nothing was switched. Raise --step-timeout for slow hosts.' });
    }
    if (e.code !== 'CONNECTION_LOST') throw e;
    rec.abandonOpenSteps('connection lost while the host script was running');
    return recoverOutcome(host, ctx, rec, sessions, expect, switching);
  } finally {
    clearTimeout(timer);
  }
  const parsed = dialect.parseRun(result.stdout);
  for (const s of parsed.steps.slice(seen)) rec.scriptStep(s);
  if (parsed.outcome) {
    if (timedOut) parsed.outcome.warnings.push(`the host script ran past --step-timeout (${ctx.stepTimeoutMs / 1000} s) while switching; it was left to finish`);
    return parsed.outcome;
  }
  rec.abandonOpenSteps('the host script ended without an outcome');
  const stderr = dialect.stderrText(result.stderr);
  if (host.privilege.elevate && host.privilege.failedElevation?.test(stderr)) {
    throw new GofleetError('BECOME_FAILED', `${host.spec.name}: ${tail(stderr, 2)}`, { host: host.spec.name });
  }
  throw new GofleetError(
    'REMOTE_FAILED',
    `${host.spec.name}: host script exited ${result.exitCode ?? result.signal} without an outcome: ${tail(stderr)}`,
    { host: host.spec.name },
  );
}

/** After a lost connection: reconnect, wait until this run's lock is gone, and read where the host stands. */
async function recoverOutcome(
  host: ProbedHost,
  ctx: EngineContext,
  rec: HostRecorder,
  sessions: Sessions,
  expect: ScriptExpectation,
  switching: boolean,
): Promise<ScriptOutcome> {
  const deadline = ctx.now() + Math.max(ctx.stepTimeoutMs, 60_000);
  const record = rec.start('recover');
  try {
    // each read on a fresh connection: the one that dropped may drop again
    const facts = await awaitOwnLockRelease(async () => readFacts({ ...host, transport: await sessions.reopen(host.spec) }, ctx), {
      run: ctx.run,
      deadline,
      now: ctx.now,
      pollMs: ctx.pollMs ?? DEFAULT_POLL_MS,
      waitFirst: false,
      timedOut: () => new GofleetError('CONNECTION_LOST', `${host.spec.name}: the host script is still running after the connection dropped`, { host: host.spec.name }),
    });
    const active = facts.managed.active ?? facts.goroot.version;
    const base = { active, previous: expect.from, code: 'CONNECTION_LOST', warnings: ['the connection dropped during the host script; the outcome was read back from the host'] };
    rec.end(record, 'ok', { message: `host is on ${active ?? 'no Go'}` });
    if (expect.target !== null && active === expect.target && facts.managed.unverified === expect.target) {
      // the script died after the switch, before its verification ended: not a success; the next run verifies it
      return { ...base, result: 'failed', code: 'VERIFY_FAILED', message: `the host script stopped after switching to ${expect.target}, before verifying it; the next upgrade verifies it and rolls back on failure` };
    }
    if (expect.target !== null && active === expect.target) return { ...base, result: 'switched', code: undefined } as ScriptOutcome;
    if (switching) return { ...base, result: 'rolled_back', message: 'connection lost after the switch; the host rolled back' };
    return { ...base, result: 'failed', message: 'connection lost before the switch; the host kept its Go' };
  } catch (err) {
    const e = asGofleetError(err, 'CONNECTION_LOST');
    rec.end(record, 'fail', { code: e.code, message: e.message });
    throw new GofleetError('CONNECTION_LOST', `${host.spec.name}: connection lost during the host script and could not be re-established: ${e.message}`, { host: host.spec.name, cause: e });
  }
}
