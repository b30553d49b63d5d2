// Run a mutating platform script in one round trip, mirroring its step markers live as events.

import { GofleetError } from '../errors.ts';
import type { ScriptOutcome } from '../platform/types.ts';
import type { EngineContext } from './context.ts';
import type { HostRecorder } from './host-recorder.ts';
import type { ProbedHost } from './probe-host.ts';
import { tail } from './probe-host.ts';

export async function runHostScript(
  host: ProbedHost,
  script: string,
  ctx: EngineContext,
  rec: HostRecorder,
): Promise<ScriptOutcome> {
  const { transport, dialect } = host;
  let buffer = '';
  let seen = 0;
  const onStdout = (chunk: string): void => {
    buffer += chunk;
    const { steps } = dialect.parseRun(buffer);
    for (const s of steps.slice(seen)) rec.scriptStep(s);
    seen = steps.length;
  };
  let result;
  try {
    // The script itself ignores SIGHUP and finishes (or rolls back) if we die; we never abort it midway.
    result = await transport.exec(dialect.scriptCommand({ become: host.become }), {
      stdin: script,
      timeoutMs: ctx.stepTimeoutMs,
      onStdout,
    });
  } catch (err) {
    rec.abandonOpenSteps('connection lost while the host script was running');
    throw err;
  }
  const parsed = dialect.parseRun(result.stdout);
  for (const s of parsed.steps.slice(seen)) rec.scriptStep(s);
  if (parsed.outcome) return parsed.outcome;
  rec.abandonOpenSteps('the host script ended without an outcome');
  if (result.timedOut) {
    throw new GofleetError('EXEC_TIMEOUT', `${host.spec.name}: host script timed out after ${ctx.stepTimeoutMs} ms`, { host: host.spec.name });
  }
  if (host.become && /sudo|password/i.test(result.stderr)) {
    throw new GofleetError('BECOME_FAILED', `${host.spec.name}: ${tail(result.stderr, 2)}`, { host: host.spec.name });
  }
  throw new GofleetError(
    'REMOTE_FAILED',
    `${host.spec.name}: host script exited ${result.exitCode ?? result.signal} without an outcome: ${tail(result.stderr)}`,
    { host: host.spec.name },
  );
}
