// gofleet resume RUN [--yes] [--json] [--state FILE]: finish what an interrupted (Ctrl-C) or crashed (kill -9)
// controller left. Same run id, same command line, only the hosts that are not final; hosts the run had
// started are re-probed first (engine/resume-host.ts). The output and the exit code cover every host of the run.

import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { GofleetError } from '../../errors.ts';
import type { HostResult } from '../../engine/events.ts';
import type { PriorHost, PriorPlan, ResumeState } from '../../engine/resume-host.ts';
import { isFailure } from '../../engine/waves.ts';
import { wavesFromEvents } from '../../report/html-waves.ts';
import { isAbandoned, isFinalStatus, isPostgresUrl, thisMachine, type ControllerProbe, type JournalEvent, type Store, type StoredRun } from '../../store/index.ts';
import { EXIT, exitCodeForResults } from '../exit-code.ts';
import { printJson, type CliIo } from '../io.ts';
import type { RuntimeResume } from '../runtime.ts';
import { showJson } from './history.ts';

export const RESUMABLE_COMMANDS: readonly string[] = ['upgrade', 'use', 'rollback', 'prune'];

export interface ResumeOptions {
  yes: boolean;
  json: boolean;
  /** the journal the run was read from, handed on to the resumed command */
  state?: string;
}

/** Runs a command line in-process as the given resumed run (program.ts passes runCli). */
export type RunResumed = (argv: string[], io: CliIo, resume: RuntimeResume) => Promise<number>;

/** Refuse what cannot be resumed: a finished run, a live one, one run elsewhere, a read-only command. */
export function checkResumable(run: StoredRun, probe: ControllerProbe = thisMachine): void {
  const refuse = (why: string): never => {
    throw new GofleetError('RUN_NOT_RESUMABLE', `run ${run.id}: ${why}`);
  };
  if (!RESUMABLE_COMMANDS.includes(run.command)) refuse(`"${run.command}" changes no hosts; there is nothing to resume`);
  if (run.status === 'done') refuse('it finished; there is nothing left to do');
  if (run.status === 'running') {
    const abandoned = isAbandoned(run, probe);
    if (abandoned === false) refuse(`it is still running (controller pid ${run.pid} on ${run.controller} is alive)`);
    if (abandoned === null) refuse(`it is marked running by the controller ${run.controller}; resume it there (this machine cannot tell whether it is alive)`);
  }
}

/**
 * The stored command line made ready to run again: the output, confirmation and journal flags are the resume's
 * own, and `upgrade --to SPEC` is pinned to the version the run resolved (a `latest` must not move; its --min-age,
 * already applied, is dropped).
 */
export function resumeArgv(run: Pick<StoredRun, 'id' | 'argv' | 'command' | 'target'>, options: ResumeOptions): string[] {
  const out: string[] = [];
  const argv = run.argv;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--json' || a === '--yes' || a === '-y' || a.startsWith('--state=')) continue;
    if (a === '--state') {
      i++;
      continue;
    }
    if (run.command === 'upgrade' && run.target && (a === '--to' || a.startsWith('--to='))) {
      if (a === '--to') i++;
      out.push('--to', run.target);
      continue;
    }
    // the pinned version was chosen under --min-age when the run started: applied again it would only warn
    // that the exact version is younger than the policy
    if (run.command === 'upgrade' && run.target && (a === '--min-age' || a.startsWith('--min-age='))) {
      if (a === '--min-age') i++;
      continue;
    }
    out.push(a);
  }
  if (out[0] !== run.command) {
    throw new GofleetError('RUN_NOT_RESUMABLE', `run ${run.id}: its recorded command line does not start with "${run.command}": ${argv.join(' ')}`);
  }
  if (options.yes) out.push('--yes');
  if (options.json) out.push('--json');
  if (options.state !== undefined) out.push('--state', options.state);
  return out;
}

/**
 * The hosts to work on, in the run's order: those not final, plus those a Ctrl-C left `skipped` as INTERRUPTED
 * (never touched, by definition) or a second Ctrl-C `rolled_back` as INTERRUPTED (back where they were).
 * Every other final host keeps its result.
 */
export function hostsToResume(run: Pick<StoredRun, 'hosts'>, unfinished: readonly string[]): string[] {
  return run.hosts
    .filter((h) => unfinished.includes(h.name) || ((h.status === 'skipped' || h.status === 'rolled_back') && h.error?.code === 'INTERRUPTED'))
    .map((h) => h.name);
}

/** What the engine needs to know about the hosts the run had started (a pending host is simply run). */
export function resumeState(run: StoredRun, unfinished: readonly string[]): ResumeState {
  const prior = new Map<string, PriorHost>();
  for (const h of run.hosts) {
    if (!unfinished.includes(h.name) || h.steps.length === 0) continue;
    // a final host here was skipped or rolled back by an interrupt: nothing of the run is left on it
    prior.set(h.name, { steps: h.steps.map(({ seq: _seq, ...s }) => s), from: h.from, ...(isFinalStatus(h.status) ? { final: true } : {}) });
  }
  return { command: run.command, target: run.target, prior };
}

/**
 * The interrupted run's rollout as the journal tells it, for the resumed one to keep (issue 14): the run's hosts in
 * order, each started wave's hosts (its wave-start events) and the failures not done again.
 */
export function priorPlan(run: Pick<StoredRun, 'hosts'>, unfinished: readonly string[], events: JournalEvent[]): PriorPlan {
  return {
    hosts: run.hosts.map((h) => h.name),
    waves: wavesFromEvents(events),
    failed: run.hosts.filter((h) => !unfinished.includes(h.name) && isFinalStatus(h.status) && isFailure(h.status)).map((h) => h.name),
  };
}

/** chdir to the directory the run was started from, for the rerun; returns how to come back. */
export function enterRunDirectory(dir: string | null, io: Pick<CliIo, 'err'>): () => void {
  const here = process.cwd();
  if (dir === null || dir === here) return () => undefined;
  if (!existsSync(dir)) {
    io.err(`warning: the run was started in ${dir}, which is gone; relative paths of its command line are read from ${here}\n`);
    return () => undefined;
  }
  process.chdir(dir);
  return () => process.chdir(here);
}

export async function resumeCommand(
  store: Store,
  io: CliIo,
  id: string,
  options: ResumeOptions,
  rerun: RunResumed,
  probe: ControllerProbe = thisMachine,
): Promise<number> {
  const run = await store.getRun(id);
  if (!run) throw new GofleetError('RUN_NOT_FOUND', `no run ${id} in ${store.path}`);
  checkResumable(run, probe);
  // the stored command line may hold relative paths (-i fleet.yml): it runs from the run's own directory, and
  // the journal path the resume was given is made absolute first (a postgres:// URL stays as it is)
  const state = options.state === undefined || isPostgresUrl(options.state) ? options.state : resolve(options.state);
  const argv = resumeArgv(run, { ...options, ...(state !== undefined ? { state } : {}) });
  if (!(await store.claimRun(id, { status: run.status, pid: run.pid }))) {
    throw new GofleetError('RUN_NOT_RESUMABLE', `run ${id}: another gofleet process took it over while this one was starting`, {
      hint: 'See `gofleet history`; resume it later if that process stops before the run is done.',
    });
  }
  const unfinished = hostsToResume(run, (await store.unfinishedHosts(id)).map((h) => h.name));
  const earlier = run.hosts.filter((h) => !unfinished.includes(h.name));

  let code: number = EXIT.ok;
  let captured = '';
  if (unfinished.length === 0) {
    // every host was final (the controller died between the last host and the end of the run): close the run
    const sink = store.recorder({ run: id, argv: run.argv, command: run.command, target: run.target, policy: run.policy });
    sink({ kind: 'run-start', run: id, command: run.command, target: run.target, hosts: [], at: Date.now() });
    sink({ kind: 'run-end', run: id, results: [], at: Date.now() });
    await store.flush();
  } else {
    io.err(`resuming run ${id} (${run.command}${run.target ? ` → ${run.target}` : ''}): ${unfinished.join(', ')}` +
      (earlier.length > 0 ? `; already final: ${earlier.map((h) => `${h.name} ${h.status}`).join(', ')}` : '') + '\n');
    // the resumed command prints its own hosts only; the document printed below covers the whole run
    const inner: CliIo = { ...io, out: (t) => void (captured += t) };
    const leave = enterRunDirectory(run.cwd, io);
    try {
      code = await rerun(argv, inner, { run: id, hosts: unfinished, state: { ...resumeState(run, unfinished), plan: priorPlan(run, unfinished, await store.runEvents(id)) } });
    } finally {
      leave();
    }
  }

  const after = (await store.getRun(id)) ?? run;
  const wholeRun = code === EXIT.ok || code === EXIT.failed || code === EXIT.unreachable || code === EXIT.interrupted;
  if (!wholeRun) {
    // the command could not run (bad inventory, unreachable release source, ...): its own error output stands,
    // and the run is left for another resume
    if ((await store.getRun(id))?.status === 'running') await store.markInterrupted(id);
    io.out(captured);
    return code;
  }
  if (options.json) printJson(io, showJson(after, probe));
  else {
    io.out(captured);
    if (earlier.length > 0) {
      io.out(`from the first attempt:\n${earlier.map((h) => `  ${h.name}: ${h.status}${h.to ? ` (${h.from ?? 'no Go'} → ${h.to})` : ''}\n`).join('')}`);
    }
  }
  if (code === EXIT.interrupted) return code;
  // exit codes as for the original command, over every host of the run (one never finished counts as skipped)
  const all: Pick<HostResult, 'status' | 'error'>[] = after.hosts.map((h) => ({ status: isFinalStatus(h.status) ? h.status : 'skipped', error: h.error }));
  return exitCodeForResults(all);
}
