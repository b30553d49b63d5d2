// Test support (never shipped): a PlatformDialect whose builders write the intent they were given as one JSON
// line, so a test reads back exactly what the engine asked the host to do, and whose parsers read what a fake
// host answers (facts as JSON, step markers and the outcome as JSON lines). No shell, no quoting rules to
// mirror: what the engine decides is all that shows.
//
// Builders this file does not know yet (the PlatformDialect interface grows) can be given as overrides.

import { posixPrivilege } from '../../platform/posix/privilege.ts';
import { posixRemoteShell } from '../../platform/posix/remote-shell.ts';
import { GofleetError } from '../../errors.ts';
import { parseReach } from '../../platform/protocol/parse-reach.ts';
import type { HostFacts, HostPaths, PlatformDialect, ScriptOutcome, StepEvent, StepName } from '../../platform/types.ts';

/** What a script builder was asked for: the builder's name and its argument(s). */
export interface FakeScript {
  kind: string;
  intent: unknown;
}

const SCRIPT = '#fake-script ';
const COMMAND = 'fake-shell ';
const STEP = '@step ';
const OUTCOME = '@outcome ';

function script(kind: string, intent: unknown): string {
  return `${SCRIPT}${JSON.stringify({ kind, intent })}\n`;
}

/** The script a fake dialect built, found in an exec's stdin (a become password line may precede it); null if none. */
export function readScript(stdin: string | Buffer | undefined): FakeScript | null {
  const text = stdin === undefined ? '' : stdin.toString();
  const line = text.split('\n').reverse().find((l) => l.startsWith(SCRIPT));
  return line ? (JSON.parse(line.slice(SCRIPT.length)) as FakeScript) : null;
}

/** The options scriptCommand was called with, from the command line it built; null for another command. */
export function readCommand(command: string): Record<string, unknown> | null {
  return command.startsWith(COMMAND) ? (JSON.parse(command.slice(COMMAND.length)) as Record<string, unknown>) : null;
}

/** A step marker line as the fake dialect's parseRun reads it. */
export function stepLine(step: StepName, status: StepEvent['status'], detail: { code?: string; message?: string } = {}): string {
  return `${STEP}${JSON.stringify({ step, status, ...detail })}\n`;
}

/** An outcome line; `active`, `previous` and `warnings` default to null, null and []. */
export function outcomeLine(outcome: Partial<ScriptOutcome> & Pick<ScriptOutcome, 'result'>): string {
  return `${OUTCOME}${JSON.stringify({ active: null, previous: null, warnings: [], ...outcome })}\n`;
}

/** Steps and outcome from complete lines only (a partial last line is not read yet), as the real dialects do. */
export function parseFakeRun(stdout: string): { steps: StepEvent[]; outcome: ScriptOutcome | null } {
  const steps: StepEvent[] = [];
  let outcome: ScriptOutcome | null = null;
  const complete = stdout.slice(0, stdout.lastIndexOf('\n') + 1);
  for (const line of complete.split('\n')) {
    if (line.startsWith(STEP)) steps.push(JSON.parse(line.slice(STEP.length)) as StepEvent);
    else if (line.startsWith(OUTCOME)) outcome = JSON.parse(line.slice(OUTCOME.length)) as ScriptOutcome;
  }
  return { steps, outcome };
}

export function parseFakeFacts(stdout: string): HostFacts {
  try {
    return JSON.parse(stdout) as HostFacts;
  } catch (err) {
    throw new GofleetError('REMOTE_FAILED', `fake dialect: the facts answer is not JSON: ${stdout.slice(0, 80)}`, { cause: err });
  }
}

export function fakeDialect(overrides: Partial<PlatformDialect> = {}): PlatformDialect {
  return {
    // the POSIX adapter and privilege rules: the fake host speaks no shell, but the decisions the engine takes
    // from them (sudo or not, a password on stdin) are the ones under test
    remoteShell: posixRemoteShell,
    privilege: posixPrivilege,
    scriptCommand: (options) => `${COMMAND}${JSON.stringify(options)}`,
    facts: (paths) => script('facts', paths),
    parseFacts: parseFakeFacts,
    upgrade: (intent) => script('upgrade', intent),
    // the reach line every dialect prints (protocol/parse-reach.ts); a fake host answers it like a real one
    reachProbe: (url) => script('reach', url),
    parseReach,
    switchTo: (intent) => script('switchTo', intent),
    restoreLink: (intent) => script('restoreLink', intent),
    prune: (intent) => script('prune', intent),
    parseRun: parseFakeRun,
    uploadPath: (paths: HostPaths, filename, { become, run }) => `/upload/${become ? 'become' : 'user'}/${run}/${filename}`,
    cachedArchivePath: (paths: HostPaths, filename) => `${paths.versionsDir}/.gofleet/cache/${filename}`,
    quote: (value) => JSON.stringify(value),
    stderrText: (stderr) => stderr,
    ...overrides,
  };
}
