// A 60-host rollout through 3 workers that lose two of their own and the coordinator on the way (issue 14): real
// PostgreSQL, 60 real sshd hosts on a managed fake go1.26.8, `upgrade --workers --distribution pull` with a canary
// and 3 more waves, --max-fail 1 and --parallel 3 (3 workers taking one host at a time: a killed worker
// leaves exactly one host behind, at the point the test chose). During the run:
// - a wave-2 host's archive download is held (the `pull` step inside its host script, under its lock, before
//   stage): the worker running it is killed with SIGKILL there, a replacement worker starts and another worker
//   takes the host over and switches it, and only then is the old script's download let go (it is refused by the
//   newer token);
// - a wave-3 host (host-31) blocks in its health command (after its switch) on a marker file: the coordinator is
//   killed with SIGKILL there, then the worker running host-31, the marker is removed, a replacement starts;
// - a wave-2 host (host-15) fails its health command on purpose (a marker file): rolled back to its go1.26.8
//   (VERIFY_FAILED), one failure, which --max-fail 1 allows: waves 3 and 4 still run;
// - `resume RUN` coordinates the rest, leaves host-15 as it was, and ends with exit 2 (a host failed).
// Checked from the journal and from the hosts themselves: every other host on go1.27.3 (`go version`, its state
// file), one `switch` step per host (recover steps allowed) and the host agrees (the goroot link was last replaced
// inside that step, or for host-15 inside its rollback step; the run's fence file holds a token the queue handed out
// for that host), the killed workers' hosts were taken over (attempt 2), every host of wave k was final before any
// host of wave k+1 started, no host but host-15 failed and none was skipped.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { wavesFromEvents } from '../../src/report/html-waves.ts';
import { openJournal } from '../../src/store/index.ts';
import { postgresSkip } from '../harness/postgres.ts';
import { sshdSkip, type SshdHost } from '../harness/sshd.ts';
import { execOn, gofleet, goVersionOn, spawnGofleet, waitFor, type ChildCli } from './helpers.ts';
import { startWorkersSetup, stepsText as steps, type HostJson, type StepJson, type WorkersSetup } from './workers-setup.ts';

const skip = sshdSkip() || postgresSkip();
const N = 60;
const META = '/usr/local/gofleet/versions/.gofleet';
const HOLD = '/usr/local/hold-verify';
const IN_VERIFY = '/usr/local/in-verify';
const FAIL = '/usr/local/fail-health';
// blocks only on a host carrying the HOLD marker, and says so on that host; fails on a host carrying the FAIL one
const HEALTH = `if [ -e ${HOLD} ]; then touch ${IN_VERIFY}; while [ -e ${HOLD} ]; do sleep 0.1; done; fi; test ! -e ${FAIL}`;
const ROLLOUT = ['--canary', '2', '--waves', '20,40', '--max-fail', '1', '--parallel', '3'];
const VERIFY_HOST = 30; // host-31: wave 3
const FAILING = 'host-15'; // wave 2, after the held download's host (the 6th archive GET, one of host-3..host-9)

/** a step's start and end in ms (end null while it runs) */
const span = (s: StepJson): [number, number | null] => [Date.parse(s.started_at), s.duration_ms === null ? null : Date.parse(s.started_at) + s.duration_ms];

describe('60 hosts through 3 workers: two workers and the coordinator killed mid-rollout', { skip, timeout: 900_000 }, () => {
  let setup: WorkersSetup;
  let hosts: SshdHost[];

  before(async () => {
    setup = await startWorkersSetup(N, 'w60', { http: true });
    hosts = setup.hosts;
  });

  after(() => setup?.stop());

  test('every host but one upgraded and switched exactly once; the one failing host rolled back within the budget; the waves held', { timeout: 840_000 }, async (t) => {
    const url = await setup.database('w60');
    // the 6th archive GET: a host of wave 2 (the canary wave is 2 hosts)
    const gate = await setup.holdDownload(6);
    t.after(() => gate.close());
    const { workers, inventory } = setup;
    const verifyHost = hosts[VERIFY_HOST] as SshdHost;
    assert.equal((await execOn(verifyHost, `touch ${HOLD}`)).exitCode, 0);
    const failing = hosts.find((h) => h.name === FAILING) as SshdHost;
    assert.equal((await execOn(failing, `touch ${FAIL}`)).exitCode, 0);

    const startWorker = async (): Promise<ChildCli> => (await setup.startWorkers(url, 1, { lease: 5, concurrency: 1 }))[0] as ChildCli;
    const show = (run: string): Promise<HostJson[]> => setup.show(run, url);
    /** the live worker whose last job start was `host` */
    const runnerOf = (host: string): ChildCli | undefined =>
      setup.live().find((w) => new RegExp(`: ${host}: started`).test(w.output()));
    const kill = async (w: ChildCli): Promise<void> => {
      w.child.kill('SIGKILL');
      assert.equal((await w.exited).signal, 'SIGKILL');
    };

    for (let i = 0; i < 3; i++) await startWorker();
    const coordinator = spawnGofleet('upgrade', '-i', inventory, '--to', 'go1.27.3', ...ROLLOUT, '--health-cmd', HEALTH, '--distribution', 'pull',
      '--workers', '--yes', '--json', '--state', url, '--source', gate.url, '--checksum-source', setup.srcDir, '--cache-dir', setup.tmp('w60-cache'));
    const run = await waitFor('a worker to start a host of the run', async () => workers.map((w) => /worker: run (\S+): host-\d+: started/.exec(w.output())?.[1]).find(Boolean), { timeoutMs: 120_000, intervalMs: 100 });

    // 1. mid-stage: the host whose download is held, seen in the journal with its `pull` step running
    const staging = await waitFor('a host held in its pull step', async () => {
      if (!gate.held()) return undefined;
      const inPull = (await show(run)).filter((h) => h.steps.some((s) => s.step === 'pull' && s.status === 'running'));
      return inPull.length === 1 ? inPull[0]?.name : undefined;
    }, { timeoutMs: 180_000, intervalMs: 250 });
    const stagingWorker = runnerOf(staging);
    assert.ok(stagingWorker, `a live worker runs ${staging}`);
    assert.notEqual(staging, FAILING);
    t.diagnostic(`killing the worker of ${staging} in its pull step`);
    await kill(stagingWorker);
    await startWorker();
    // the killed worker's host script is still on the host, waiting in its download under the old token: only once
    // another worker has taken the host over (lease expired, attempt 2, the lock taken over under a higher token)
    // and switched it is the download let go — the old script then meets the newer token and stops before stage
    await waitFor(`another worker to take ${staging} over`, async () => workers.some((w) => new RegExp(`: ${staging}: started \\(attempt 2: recovering\\)`).test(w.output())), { timeoutMs: 120_000, intervalMs: 250 });
    await waitFor(`the journal to record ${staging} switched by it`, async () =>
      (await show(run)).find((h) => h.name === staging)?.steps.some((s) => s.step === 'switch' && s.status === 'ok'), { timeoutMs: 120_000, intervalMs: 250 });
    gate.release();

    // 2. mid-switch: host-31 switched and waiting in its health command; the coordinator dies first, then its worker
    await waitFor('host-31 in its health command', async () => (await execOn(verifyHost, `test -e ${IN_VERIFY}`)).exitCode === 0, { timeoutMs: 300_000, intervalMs: 250 });
    // the worker's journal writes trail its host's output: wait for the switch to be recorded
    await waitFor('the journal to record host-31 switched', async () =>
      (await show(run)).find((h) => h.name === 'host-31')?.steps.some((s) => s.step === 'switch' && s.status === 'ok'), { timeoutMs: 60_000, intervalMs: 250 });
    coordinator.child.kill('SIGKILL');
    assert.equal((await coordinator.exited).signal, 'SIGKILL');
    const verifyWorker = runnerOf('host-31');
    assert.ok(verifyWorker, 'a live worker runs host-31');
    t.diagnostic('killed the coordinator; killing the worker of host-31 in its health command');
    await kill(verifyWorker);
    assert.equal((await execOn(verifyHost, `rm -f ${HOLD}`)).exitCode, 0);
    await startWorker();
    assert.equal(setup.live().length, 3);

    // 3. the coordinator comes back through resume
    const r = await gofleet('resume', run, '--yes', '--json', '--state', url);
    t.diagnostic(workers.map((w, i) => `worker ${i}:\n${w.output()}`).join('\n'));
    assert.equal(r.code, 2, `exit 2: a host failed\n${r.stdout}${r.stderr}`);
    const doc = r.json<{ status: string; hosts: HostJson[] }>();
    assert.equal(doc.status, 'done');
    // one failure, which --max-fail 1 allows: nothing skipped (BUDGET_EXCEEDED), every other host upgraded
    assert.deepEqual(doc.hosts.map((h) => [h.name, h.status, h.error?.code ?? null]),
      hosts.map((h) => (h.name === FAILING ? [h.name, 'rolled_back', 'VERIFY_FAILED'] : [h.name, 'upgraded', null])));

    // the killed workers' hosts were taken over by another worker, which recovered them
    for (const host of [staging, 'host-31']) {
      assert.ok(workers.some((w) => new RegExp(`: ${host}: started \\(attempt 2: recovering\\)`).test(w.output())), `${host} recovered by another worker`);
    }

    // the journal: one switch per host, all of it ok (a recover step is allowed)
    const journal = await show(run);
    assert.equal(journal.length, N);
    for (const h of journal) {
      assert.equal(h.status, h.name === FAILING ? 'rolled_back' : 'upgraded', `${h.name}: ${steps(h)}`);
      const sw = h.steps.filter((s) => s.step === 'switch');
      assert.equal(sw.length, 1, `${h.name} switched exactly once: ${steps(h)}`);
      assert.equal(sw[0]?.status, 'ok', `${h.name}: ${steps(h)}`);
    }

    // the hosts agree: on the target, state settled, the goroot link last replaced inside the journal's switch step,
    // the run's fence file holding a token of this host's leases
    const jobs = await setup.pg.psql(`SELECT host || ' ' || token || ' ' || attempts || ' ' || state FROM host_jobs WHERE run = '${run}' ORDER BY host`, { database: 'w60' });
    assert.equal(jobs.exitCode, 0, jobs.stderr);
    const job = new Map(jobs.stdout.trim().split('\n').map((l) => l.split(' ')).map(([host, token, attempts, state]) => [host as string, { token, attempts: Number(attempts), state }]));
    for (const host of [staging, 'host-31']) assert.ok((job.get(host)?.attempts ?? 0) >= 2, `${host} taken over: ${JSON.stringify(job.get(host))}`);
    const byName = new Map(journal.map((h) => [h.name, h]));
    await Promise.all(hosts.map(async (host) => {
      // host-15: back on the go it had, which works (its rollback step replaced the link last)
      const failed = host.name === FAILING;
      const version = failed ? 'go1.26.8' : 'go1.27.3';
      assert.equal(await goVersionOn(host), version, host.name);
      const state = (await execOn(host, `cat ${META}/state`)).stdout;
      assert.match(state, new RegExp(`^active=${version.replaceAll('.', '\\.')}$`, 'm'), `${host.name} state:\n${state}`);
      assert.match(state, new RegExp(`^run=${run}$`, 'm'), `${host.name} state:\n${state}`);
      assert.doesNotMatch(state, /^verify_pending=/m, `${host.name} state:\n${state}`);
      // the lock's fencing token the host recorded for the run: one the queue handed out for this host (a worker that
      // found the host final without a host script leaves the earlier holder's)
      const fence = /^token=(\d+)$/.exec((await execOn(host, `cat ${META}/fence/${run}`)).stdout.trim())?.[1];
      assert.ok(fence !== undefined && Number(fence) <= Number(job.get(host.name)?.token), `${host.name}: fence ${fence}, job ${JSON.stringify(job.get(host.name))}`);
      assert.equal((await execOn(host, `ls -d ${META}/lock 2>/dev/null || echo no-lock`)).stdout.trim(), 'no-lock', host.name);
      const changed = Math.round(Number((await execOn(host, 'stat -c %.3Z /usr/local/go')).stdout.trim()) * 1000);
      const last = failed ? 'rollback' : 'switch';
      const lastStep = byName.get(host.name)?.steps.find((s) => s.step === last);
      assert.ok(lastStep && lastStep.status === 'ok', `${host.name}: ${last} ok: ${steps(byName.get(host.name) as HostJson)}`);
      const [swStart, swEnd] = span(lastStep);
      // the host's events reach the journal after it acts: the link's change may predate the step's start a little
      assert.ok(changed >= swStart - 2_000 && changed <= (swEnd ?? Infinity) + 2_000,
        `${host.name}: goroot link changed at ${changed}, the journal's ${last} step ran ${swStart}..${swEnd}`);
    }));

    // the waves: every host of wave k final before any host of wave k+1 took its first step, across the crash. The
    // plan (inventory order, no canary tags): the canary wave of 2, then cumulative 20 and 40 of the 58 left, then
    // the rest. `resume RUN` keeps it: the hosts it takes up go in their original waves.
    const planned = [2, 22, 42, 60];
    const waveOf = new Map(hosts.map((h, i) => [h.name, planned.findIndex((upTo) => i < upTo) + 1]));
    assert.equal(waveOf.get('host-31'), 3);
    assert.equal(waveOf.get(FAILING), 2);
    const resumed = new Set(/resuming run \S+ \([^)]*\): ([^;\n]+)/.exec(r.stderr)?.[1]?.split(', '));
    assert.ok(resumed.has('host-31') && !resumed.has(FAILING), r.stderr);
    // the journal's wave-start events, the crashed coordinator's and the resumed one's: every host in its planned
    // wave (a resume that planned afresh would have started the leftovers of wave 4 under its own wave numbers)
    const reader = await openJournal(url, { readOnly: true });
    const events = await reader.runEvents(run).finally(() => reader.close());
    const started = events.flatMap((e) => (e.kind === 'wave-start' ? [`${String(e.payload.wave)}: ${(e.payload.hosts as string[]).join(' ')}`] : []));
    t.diagnostic(`wave-start events:\n${started.join('\n')}`);
    assert.deepEqual([...wavesFromEvents(events)], hosts.map((h) => [h.name, waveOf.get(h.name)]), started.join('\n'));
    const end = (h: HostJson): number => Math.max(h.ended_at ? Date.parse(h.ended_at) : 0, ...h.steps.map((s) => span(s)[1] ?? span(s)[0]));
    const start = (h: HostJson): number => Math.min(...h.steps.map((s) => span(s)[0]));
    const inOrder = (what: string, waveOfHost: (h: HostJson) => number | undefined): void => {
      const count = Math.max(0, ...journal.map((h) => waveOfHost(h) ?? 0));
      for (let w = 2; w <= count; w++) {
        const prev = journal.filter((h) => waveOfHost(h) === w - 1);
        const next = journal.filter((h) => waveOfHost(h) === w);
        if (prev.length === 0 || next.length === 0) continue;
        const lastEnd = Math.max(...prev.map(end));
        const firstStart = Math.min(...next.map(start));
        const last = prev.find((h) => end(h) === lastEnd)?.name;
        const first = next.find((h) => start(h) === firstStart)?.name;
        assert.ok(lastEnd <= firstStart, `${what} ${w} started at ${firstStart} (${first}), before ${what} ${w - 1} ended at ${lastEnd} (${last})`);
      }
    };
    inOrder('wave', (h) => waveOf.get(h.name));

    for (const w of setup.live()) w.child.kill('SIGTERM');
    for (const w of workers) assert.ok([0, null].includes((await w.exited).code), w.output());
  });
});
