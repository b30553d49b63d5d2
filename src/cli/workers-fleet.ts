// `upgrade|use|rollback --workers` (issue 14): the checks made before anything is asked or any host contacted
// (the journal must be the shared PostgreSQL one; a job may carry secret references only), the dispatch opened on
// the runtime's own open journal (its pool: one per coordinator), and each host's job payload: the command line
// made ready for a worker (the target pinned as `resume` pins it, the coordinator's own flags dropped) and the host,
// their local paths made absolute against the directory the command was typed in (job-paths.ts).

import { GofleetError } from '../errors.ts';
import type { FleetRunOptions } from '../engine/run-fleet.ts';
import type { HostSpec } from '../inventory/types.ts';
import { defaultStatePath, isPostgresUrl, type Store } from '../store/index.ts';
import { resumeArgv } from './commands/resume.ts';
import { coordinateFleet, type FleetRunner } from './coordinate-fleet.ts';
import { openDispatchOn, type DispatchPort } from './dispatch-port.ts';
import { absoluteArgv, absoluteHost } from './job-paths.ts';
import type { Runtime } from './runtime.ts';
import type { WorkerPayload } from './worker-job.ts';

export interface WorkersFleet {
  run: FleetRunner;
  close(): Promise<void>;
}

/** Flags of the coordinator's own that a worker must not see: [flag, takes a value]. */
const COORDINATOR_FLAGS: readonly [string, boolean][] = [['--workers', false], ['--limit', true], ['-l', true], ['--pause', false], ['--pause-after', true]];

/** The coordinator's command line as each worker runs it (before the worker adds --limit HOST --yes --state). */
export function workerArgv(argv: readonly string[], command: string, target: string | null): string[] {
  const pinned = resumeArgv({ id: '(workers)', argv: [...argv], command, target }, { yes: false, json: false });
  const out: string[] = [];
  for (let i = 0; i < pinned.length; i++) {
    const a = pinned[i] as string;
    const flag = COORDINATOR_FLAGS.find(([f]) => a === f || a.startsWith(`${f}=`));
    if (!flag) out.push(a);
    else if (flag[1] && a === flag[0]) i++;
  }
  return out;
}

/** WORKER_SECRET_UNSHIPPABLE when a host's password is a value (or a prompt) rather than a reference. */
export function checkShippable(hosts: readonly HostSpec[]): void {
  for (const h of hosts) {
    for (const [field, ref] of [['password', h.password], ['become_password', h.becomePassword]] as const) {
      if (ref?.from === 'literal' || ref?.from === 'prompt') {
        const what = ref.from === 'literal' ? 'is written in the inventory' : 'is asked at a prompt';
        throw new GofleetError('WORKER_SECRET_UNSHIPPABLE', `${h.name}: its ${field} ${what}; a worker's job carries secret references only`, { host: h.name });
      }
    }
  }
}

/** The checks of --workers, made before the journal is opened. */
export function checkWorkersOptions(rt: Pick<Runtime, 'options' | 'hosts'>): string {
  const state = rt.options.state ?? defaultStatePath();
  if (!isPostgresUrl(state)) {
    throw new GofleetError('WORKERS_NEED_POSTGRES', `--workers: the run journal must be the shared one on PostgreSQL (--state postgres://…), got "${state}"`);
  }
  if (!rt.options.journal) throw new GofleetError('BAD_OPTION', '--workers and --no-journal: workers report each host into the journal; drop --no-journal');
  checkShippable(rt.hosts);
  return state;
}

/** What workersFleet opens the dispatch with (a test may look at what it is given). */
export interface WorkersFleetDeps {
  openDispatch?: (store: Store) => Promise<DispatchPort>;
}

/**
 * The coordinator of a --workers run: the checks first (before the journal is opened), then the dispatch on the
 * runtime's own journal (one pool for the journal, the queue and the waits). `close` stops the dispatch only: the
 * journal is the runtime's, closed by its dispose once the run's last events are written.
 */
export async function workersFleet(rt: Pick<Runtime, 'options' | 'hosts' | 'argv' | 'openJournal'>, deps: WorkersFleetDeps = {}): Promise<WorkersFleet> {
  const state = checkWorkersOptions(rt);
  const store = await rt.openJournal();
  if (!store) throw new GofleetError('WORKERS_NEED_POSTGRES', `--workers: the run journal ${state} is not open`);
  const dispatch = await (deps.openDispatch ?? openDispatchOn)(store);
  const cwd = process.cwd();
  const payloadFor = (host: HostSpec, options: FleetRunOptions): WorkerPayload => ({ argv: absoluteArgv(workerArgv(rt.argv, options.command, options.target), cwd), host: absoluteHost(host, cwd) });
  return {
    run: coordinateFleet({ dispatch, payloadFor }),
    close: () => dispatch.stop(),
  };
}
