import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { EngineEvent, HostResult } from '../engine/events.ts';
import type { HostSpec } from '../inventory/types.ts';
import { freePort } from '../../test/harness/sshd.ts';
import type { CliIo } from './io.ts';
import { runCli } from './program.ts';
import { openStore } from '../store/index.ts';
import type { RunHooks, RuntimeResume } from './runtime.ts';
import { jobArgv, parsePayload, runWorkerJob, type WorkerJobDeps } from './worker-job.ts';

const dir = mkdtempSync(join(tmpdir(), 'gofleet-worker-job-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function spec(name: string, port = 22): HostSpec {
  return { name, address: '127.0.0.1', port, transport: 'ssh', knownHosts: join(dir, 'known_hosts'), become: false, tags: [], groups: ['web'], vars: {}, source: { file: 'fleet.yml', line: 3 } };
}

const lease = { token: 42, attempt: 1, lost: new AbortController().signal };
const job = (host: HostSpec, argv = ['use', 'go1.2.3', '-i', 'fleet.yml']) => ({ run: 'R7', host: host.name, payload: { argv, host } });
const done = (name: string): HostResult => ({ name, status: 'switched', from: 'go1.2.2', to: 'go1.2.3', error: null, warnings: [], startedAt: 1, durationMs: 2, steps: [] });

describe('runWorkerJob', () => {
  it("runs the coordinator's command for its host, unattended, on the worker's journal, with the lease's token", async () => {
    const seen: { argv: string[]; hooks: RunHooks; resume: RuntimeResume | undefined }[] = [];
    const deps: WorkerJobDeps = {
      state: 'postgres://w@db/j',
      priorOf: async () => ({ kind: 'run' }),
      runCli: async (argv, _io, resume, hooks) => {
        seen.push({ argv, hooks, resume });
        hooks.sink?.({ kind: 'host-done', run: 'R7', result: { ...done('h1'), wave: 1 } as HostResult, at: 3 });
        return 0;
      },
    };
    const result = await runWorkerJob(job(spec('h1')), lease, deps);
    assert.deepEqual(result, done('h1'), "the worker's own wave number is not the coordinator's: left out");
    const [call] = seen;
    assert.deepEqual(call?.argv, ['use', 'go1.2.3', '-i', 'fleet.yml', '--limit', 'h1', '--yes', '--state', 'postgres://w@db/j']);
    assert.deepEqual([call?.hooks.hosts?.map((h) => h.name), call?.hooks.run, call?.hooks.journalHostsOnly, call?.hooks.fence], [['h1'], 'R7', true, { token: 42 }]);
    assert.equal(call?.hooks.signal, lease.lost, 'a lost lease stops the job as a first Ctrl-C');
    assert.equal(call?.resume, undefined);
  });

  it('resumes a host the journal shows started, and returns a final one without running anything', async () => {
    const resume: RuntimeResume = { run: 'R7', hosts: ['h1'], state: { command: 'use', target: 'go1.2.3', prior: new Map() } };
    let got: RuntimeResume | undefined;
    const runs = async (_a: string[], _io: CliIo, r: RuntimeResume | undefined, hooks: RunHooks): Promise<number> => {
      got = r;
      hooks.sink?.({ kind: 'host-done', run: 'R7', result: done('h1'), at: 3 });
      return 0;
    };
    await runWorkerJob(job(spec('h1')), { ...lease, attempt: 2 }, { state: 's', priorOf: async () => ({ kind: 'resume', resume }), runCli: runs });
    assert.equal(got, resume);
    const final = { ...done('h1'), status: 'upgraded' as const };
    const never = async (): Promise<number> => assert.fail('a final host is not run again');
    assert.equal(await runWorkerJob(job(spec('h1')), lease, { state: 's', priorOf: async () => ({ kind: 'final', result: final }), runCli: never }), final);
  });

  it('a host not started because the worker is stopping goes back to the queue (throws: the lease is given up)', async () => {
    const skipped: HostResult = { ...done('h1'), status: 'skipped', error: { code: 'INTERRUPTED', message: 'h1: not started, the run was interrupted' } };
    const deps: WorkerJobDeps = {
      state: 's',
      priorOf: async () => ({ kind: 'run' }),
      runCli: async (_a, _io, _r, hooks) => (hooks.sink?.({ kind: 'host-done', run: 'R7', result: skipped, at: 3 }), 99),
    };
    await assert.rejects(runWorkerJob(job(spec('h1')), lease, deps), /h1: not started on this worker .* goes back to the queue/);
  });

  it('a command that could not run fails the host, untouched, with the reason it printed', async () => {
    const deps: WorkerJobDeps = {
      state: 's',
      priorOf: async () => ({ kind: 'run' }),
      runCli: async (_a, io) => {
        io.err('gofleet: error SOURCE_UNAVAILABLE: http://mirror/: connect refused\n  hint: ...\n');
        return 1;
      },
    };
    const r = await runWorkerJob(job(spec('h1')), lease, deps);
    assert.deepEqual([r.status, r.error?.code, r.steps], ['failed', 'WORKER_JOB_FAILED', []]);
    assert.match(r.error?.message ?? '', /not started on this worker: SOURCE_UNAVAILABLE: http:\/\/mirror\/: connect refused/);
    await assert.rejects(runWorkerJob({ ...job(spec('h1')), host: 'other' }, lease, deps), /WORKER_JOB_FAILED|payload/);
  });

  it('through the real command: the job\'s host instead of the inventory (none is read), under the run id it was given', async () => {
    const events: EngineEvent[] = [];
    const port = await freePort();
    const host = spec('h1', port);
    const journal = openStore(join(dir, 'journal.db'));
    const deps: WorkerJobDeps = {
      state: join(dir, 'journal.db'),
      journal,
      priorOf: async () => ({ kind: 'run' }),
      runCli: (argv, io, resume, hooks) => runCli(argv, io, resume, { ...hooks, sink: (e) => (events.push(e), hooks.sink?.(e)) }),
    };
    // the inventory named on the command line does not exist on this worker: the job's HostSpec is used
    const r = await runWorkerJob(job(host, ['use', 'go1.2.3', '-i', join(dir, 'absent.yml'), '--connect-timeout', '2']), lease, deps);
    assert.equal(r.name, 'h1');
    assert.equal(r.status, 'unreachable', JSON.stringify(r.error));
    assert.ok(events.length > 0 && events.every((e) => e.run === 'R7'), 'every event is of the coordinator\'s run');
    // the worker's journal was lent, not closed: it holds the host's steps and result, and only those
    const stored = await journal.getRun('R7');
    assert.deepEqual(stored?.hosts.map((h) => [h.name, h.status]), [['h1', 'unreachable']]);
    assert.deepEqual((await journal.runEvents('R7')).map((e) => e.kind).filter((k) => !k.startsWith('host-')), [], 'no run-level event: those are the coordinator\'s');
    await journal.close();
    assert.deepEqual(jobArgv({ argv: ['use'], host }, 's').slice(-5), ['--limit', 'h1', '--yes', '--state', 's']);
  });
});

describe('parsePayload', () => {
  it("takes a job as the coordinator writes it (its paths absolute already) unchanged; the worker's directory plays no part", () => {
    const host = { ...spec('h1'), identity: ['/keys/id'] };
    const payload = { argv: ['use', 'go1.2.3', '-i', '/inv/fleet.yml'], host };
    assert.deepEqual(parsePayload({ run: 'R7', host: 'h1', payload }), payload);
  });

  it("a job from an earlier coordinator (with its directory, `cwd`): its relative paths are read from that directory", () => {
    const host = { ...spec('h1'), identity: ['keys/id'], knownHosts: 'kh' };
    const p = parsePayload({ run: 'R7', host: 'h1', payload: { argv: ['use', 'go1.2.3', '-i', 'fleet.yml', '--source', 'dl'], cwd: '/coord', host } });
    assert.deepEqual(p.argv, ['use', 'go1.2.3', '-i', '/coord/fleet.yml', '--source', '/coord/dl']);
    assert.deepEqual([p.host.identity, p.host.knownHosts], [['/coord/keys/id'], '/coord/kh']);
  });

  it('refuses a payload that is not a host job, or whose directory is not absolute (WORKER_JOB_FAILED)', () => {
    const host = spec('h1');
    for (const payload of [null, { argv: ['use'] }, { argv: ['use'], host: spec('h2') }, { argv: ['use'], cwd: 'rel', host }, { argv: ['use'], cwd: 7, host }]) {
      assert.throws(() => parsePayload({ run: 'R7', host: 'h1', payload }), /WORKER_JOB_FAILED|not a gofleet host job/, JSON.stringify(payload));
    }
  });
});
