// A worker paused with SIGSTOP past its lease (issue 14): real PostgreSQL, one real sshd host on a managed fake
// go1.26.8, `upgrade --workers --distribution pull`, 2 `gofleet worker` processes with a 3 s lease. Worker A takes
// the host; its host script takes the lock under A's token and waits in its download (a loopback front that holds
// the first archive GET until the test releases it); A is stopped with SIGSTOP there, its ssh connection up. Its
// lease runs out, worker B takes the host (attempt 2, a higher token: the lock is taken over) and upgrades it, and
// the coordinator ends. Then A is continued and its download released: A's host script goes on to its next change
// and is refused by the fencing token the host recorded (LEASE_LOST on `stage`, goroot untouched; said in A's
// output, while the journal keeps B's record: a worker past its lease journals nothing). The host was switched
// exactly once: one `switch` step in the journal, the host on the target, its state and fence file as B left them.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { postgresSkip } from '../harness/postgres.ts';
import { sshdSkip, type SshdHost } from '../harness/sshd.ts';
import { execOn, gofleet, goVersionOn, waitFor, type ChildCli } from './helpers.ts';
import { startWorkersSetup, stepsText as steps, type HostJson, type WorkersSetup } from './workers-setup.ts';

const skip = sshdSkip() || postgresSkip();
const META = '/usr/local/gofleet/versions/.gofleet';

describe('a worker paused with SIGSTOP past its lease', { skip, timeout: 300_000 }, () => {
  let setup: WorkersSetup;
  let host: SshdHost;

  before(async () => {
    setup = await startWorkersSetup(1, 'sigstop', { http: true });
    host = setup.hosts[0] as SshdHost;
  });

  after(() => setup?.stop());

  test("A, stopped inside its host script, loses the lease; B upgrades the host; A's script is refused by the token", { timeout: 240_000 }, async (t) => {
    const url = await setup.database('sigstop');
    const gate = await setup.holdDownload();
    t.after(() => gate.close());
    const startWorker = async (): Promise<ChildCli> => (await setup.startWorkers(url, 1, { lease: 3, concurrency: 1 }))[0] as ChildCli;
    const lockInfo = async (): Promise<string> => (await execOn(host, `cat ${META}/lock/info 2>/dev/null || true`)).stdout.trim();
    const show = async (run: string): Promise<HostJson> => (await setup.show(run, url))[0] as HostJson;

    // A alone: it takes host-1 (attempt 1), its script holds the lock under A's token and waits in the download
    const a = await startWorker();
    const coordinator = gofleet('upgrade', '-i', setup.inventory, '--to', 'go1.27.3', '--distribution', 'pull', '--workers', '--yes', '--json', '--state', url,
      '--source', gate.url, '--checksum-source', setup.srcDir, '--cache-dir', setup.tmp('sigstop-cache'));
    const run = await waitFor('A to start host-1', async () => /worker: run (\S+): host-1: started\n/.exec(a.output())?.[1], { timeoutMs: 60_000, intervalMs: 50 });
    const tokenA = await waitFor("A's script to hold the lock and wait in its download", async () => gate.held() && /token=(\d+)$/.exec(await lockInfo())?.[1], { timeoutMs: 60_000, intervalMs: 50 });
    assert.ok(a.child.pid);
    process.kill(a.child.pid, 'SIGSTOP');

    // B: the coordinator hands the expired lease back; B takes it (attempt 2), takes the lock over and upgrades
    const b = await startWorker();
    const r = await coordinator;
    t.diagnostic(`A (stopped):\n${a.output()}\nB:\n${b.output()}`);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.deepEqual(r.json<{ hosts: HostJson[] }>().hosts.map((h) => [h.name, h.status]), [['host-1', 'upgraded']]);
    assert.match(b.output(), /host-1: started \(attempt 2: recovering\)/);
    assert.match(b.output(), /host-1: upgraded/);
    assert.equal(await goVersionOn(host), 'go1.27.3');
    const tokenB = /token=(\d+)/.exec((await execOn(host, `cat ${META}/fence/${run}`)).stdout)?.[1];
    assert.ok(Number(tokenB) > Number(tokenA), `B's token ${tokenB} is higher than A's ${tokenA}`);
    const afterB = await show(run);
    assert.equal(afterB.steps.filter((s) => s.step === 'switch').length, 1, steps(afterB));
    const state = (await execOn(host, `cat ${META}/state`)).stdout;
    // the goroot link itself (lstat: inode, change time): a switch replaces it, even one to the version it names
    const link = async (): Promise<string> => (await execOn(host, 'stat -c "%i %Z %N" /usr/local/go')).stdout;
    const linkAfterB = await link();

    // A wakes up and its download is released: its host script goes on, and is refused by the host's token
    process.kill(a.child.pid, 'SIGCONT');
    gate.release();
    await waitFor("A's job to end", async () => /worker: run \S+: host-1: not completed/.test(a.output()), { timeoutMs: 120_000, intervalMs: 100 });
    t.diagnostic(`A:\n${a.output()}`);
    // the host agrees: still on the target B switched it to, its state and fence as B left them, no lock
    assert.equal(await link(), linkAfterB, 'the goroot link was not replaced after B switched it');
    assert.equal(await goVersionOn(host), 'go1.27.3');
    assert.equal((await execOn(host, `cat ${META}/state`)).stdout, state, "the host's state file is as B left it");
    assert.equal((await execOn(host, `cat ${META}/fence/${run}`)).stdout, `token=${tokenB}\n`);
    assert.equal(await lockInfo(), '');
    // what A's host script said is in A's output only: the journal stays B's (A's events are dropped once its lease is gone)
    assert.match(a.output(), new RegExp(`host-1: the lease was lost; this worker's result \\(not journaled\\): failed: LEASE_LOST: .*taken over under fencing token ${tokenB}\\b.*this script holds ${tokenA}\\b.*stopped before stage`));
    const journal = await show(run);
    t.diagnostic(`host-1 steps: ${steps(journal)}`);
    assert.equal(journal.status, 'upgraded');
    assert.deepEqual(journal.steps, afterB.steps, "A wrote nothing into the journal after losing its lease");
    assert.equal(journal.steps.filter((s) => s.step === 'switch' && s.status === 'ok').length, 1, `switched exactly once: ${steps(journal)}`);

    for (const w of [a, b]) w.child.kill('SIGTERM');
    for (const w of [a, b]) assert.equal((await w.exited).code, 0, w.output());
  });
});
