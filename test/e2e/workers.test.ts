// `upgrade|use --workers` end to end (issue 14): a real PostgreSQL server (the shared journal and the job queue),
// 12 real sshd hosts on a managed fake go1.26.8, and 3 `gofleet worker` processes. The coordinator (the CLI,
// in-process) plans 3 waves, enqueues each and waits for it; the workers run the hosts. Checked: every host ends
// at the target, each switched exactly once (one `switch` step per host in the journal), the waves hold; then a
// failure in wave 1 spends the budget (--max-fail 0) and the later waves are never enqueued; then a worker killed
// with SIGKILL mid-host: another worker recovers that host from its own outcome (never switching it again); then
// the coordinator killed with SIGKILL mid-wave, and `resume RUN` coordinates the rest.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { postgresSkip } from '../harness/postgres.ts';
import { sshdSkip, type SshdHost } from '../harness/sshd.ts';
import { execOn, fleetInventory, gofleet, goVersionOn, spawnGofleet, waitFor, type ChildCli } from './helpers.ts';
import { startWorkersSetup, switchCount as switches, type HostJson, type WorkersSetup } from './workers-setup.ts';

const skip = sshdSkip() || postgresSkip();
const MARKER = '/usr/local/fail-health';
const WAVES = ['--waves', '4,8'];
const META = '/usr/local/gofleet/versions/.gofleet';

describe('a rollout through 3 workers on a shared PostgreSQL journal', { skip, timeout: 600_000 }, () => {
  let setup: WorkersSetup;
  let hosts: SshdHost[];
  let inventory: string;
  let src: string[];
  let workers: ChildCli[];

  before(async () => {
    setup = await startWorkersSetup(12, 'workers');
    ({ hosts, inventory, workers } = setup);
    src = ['--source', setup.srcDir, '--cache-dir', setup.tmp('workers-cache')];
  });

  after(() => setup?.stop());

  test('12 hosts in 3 waves: every host upgraded, each switched exactly once, the waves in order', async () => {
    const url = await setup.database('rollout');
    await setup.startWorkers(url, 3);
    const r = await gofleet('upgrade', '-i', inventory, '--to', 'go1.27.3', ...WAVES, '--workers', '--yes', '--json', '--state', url, ...src);
    assert.equal(r.code, 0, r.stdout + r.stderr + workers.map((w) => w.output()).join('\n'));
    const doc = r.json<{ run: string; hosts: HostJson[] }>();
    assert.deepEqual(doc.hosts.map((h) => [h.name, h.wave, h.status]), hosts.map((h, i) => [h.name, i < 4 ? 1 : i < 8 ? 2 : 3, 'upgraded']));
    for (const h of hosts) assert.equal(await goVersionOn(h), 'go1.27.3', h.name);

    const journal = await setup.show(doc.run, url);
    assert.deepEqual(journal.map((h) => [h.name, h.status, switches(h)]), hosts.map((h) => [h.name, 'upgraded', 1]));
    for (const h of journal) assert.ok(h.steps.every((s) => s.status === 'ok' || s.status === 'skip'), `${h.name}: ${JSON.stringify(h.steps)}`);
    const started = workers.map((w) => (w.output().match(/: started/g) ?? []).length);
    assert.equal(started.reduce((a, b) => a + b, 0), 12, `each host taken once: ${started.join(', ')}`);
    await setup.stopWorkers();
  });

  test('a failure in wave 1 spends the budget: waves 2 and 3 are never handed to a worker (exit 2)', async () => {
    const url = await setup.database('budget');
    const marked = await execOn(hosts[1] as SshdHost, `touch ${MARKER}`);
    assert.equal(marked.exitCode, 0, marked.stderr);
    await setup.startWorkers(url, 3);
    try {
      const r = await gofleet('use', 'go1.26.8', '-i', inventory, ...WAVES, '--max-fail', '0', '--health-cmd', `test ! -e ${MARKER}`, '--workers', '--yes', '--json', '--state', url, ...src);
      assert.equal(r.code, 2, r.stdout + r.stderr);
      const doc = r.json<{ run: string; hosts: HostJson[] }>();
      const want = hosts.map((h, i) => [h.name, i < 4 ? (i === 1 ? 'rolled_back' : 'switched') : 'skipped', i < 4 ? (i === 1 ? 'VERIFY_FAILED' : null) : 'BUDGET_EXCEEDED']);
      assert.deepEqual(doc.hosts.map((h) => [h.name, h.status, h.error?.code ?? null]), want);
      for (const [i, h] of hosts.entries()) assert.equal(await goVersionOn(h), i < 4 && i !== 1 ? 'go1.26.8' : 'go1.27.3', h.name);
      const journal = await setup.show(doc.run, url);
      for (const h of journal.slice(4)) assert.deepEqual(h.steps, [], `${h.name} was never contacted`);
      const taken = workers.flatMap((w) => w.output().match(/host-\d+: started/g) ?? []).sort();
      assert.deepEqual(taken, ['host-1: started', 'host-2: started', 'host-3: started', 'host-4: started']);
    } finally {
      await execOn(hosts[1] as SshdHost, `rm -f ${MARKER}`);
      await setup.stopWorkers();
    }
  });

  test('a worker killed with SIGKILL mid-host: another takes the host over and recovers it, never switching it twice', async (t) => {
    const url = await setup.database('killed');
    // one worker first, alone: it takes host-1 and dies in its health command (after the switch)
    const [first] = (await setup.startWorkers(url, 1, { lease: 3, concurrency: 1 })) as [ChildCli];
    // whichever of the two installed versions host-1 is not on (the tests before may have left either)
    const target = (await goVersionOn(hosts[0] as SshdHost)) === 'go1.27.3' ? 'go1.26.8' : 'go1.27.3';
    const coordinator = gofleet('use', target, '-i', inventory, '--limit', 'host-1', '--health-cmd', 'sleep 4', '--workers', '--yes', '--json', '--state', url, ...src);
    await waitFor('the first worker to start host-1', async () => /host-1: started/.test(first.output()), { timeoutMs: 60_000, intervalMs: 50 });
    await waitFor('host-1 to run its health command', async () => (await execOn(hosts[0] as SshdHost, 'pgrep -x sleep')).exitCode === 0, { timeoutMs: 60_000, intervalMs: 50 });
    first.child.kill('SIGKILL');
    await first.exited;
    workers.splice(workers.indexOf(first), 1);
    const [second] = (await setup.startWorkers(url, 1, { lease: 3, concurrency: 1 })) as [ChildCli];
    const r = await coordinator;
    t.diagnostic(`first worker:\n${first.output()}\nsecond worker:\n${second.output()}`);
    assert.equal(r.code, 0, r.stdout + r.stderr + workers.map((w) => w.output()).join('\n'));
    const [h] = r.json<{ hosts: HostJson[] }>().hosts;
    assert.equal(h?.status, 'switched', JSON.stringify(h));
    assert.equal(await goVersionOn(hosts[0] as SshdHost), target);
    assert.match(second.output(), /host-1: started \(attempt 2: recovering\)/);
    const [j] = await setup.show(r.json<{ run: string }>().run, url);
    t.diagnostic(`host-1 steps: ${j?.steps.map((s) => `${s.step}:${s.status}`).join(' ')}`);
    assert.equal(j && switches(j), 1, `switched once: ${JSON.stringify(j?.steps)}`);
    const noLock = await execOn(hosts[0] as SshdHost, 'ls -d /usr/local/gofleet/versions/.gofleet/lock 2>/dev/null || echo no-lock');
    assert.match(noLock.stdout, /no-lock/);
    await setup.stopWorkers();
  });

  test('a worker killed mid-host whose orphaned script then finishes the switch: the next reads it back (a recover step), runs no script', async (t) => {
    const url = await setup.database('orphan');
    const host = hosts[0] as SshdHost;
    // both versions installed on host-1 whatever ran before (a no-op once an earlier test upgraded it), then `use` the other
    const installed = await gofleet('upgrade', '-i', inventory, '--to', 'go1.27.3', '--limit', 'host-1', '--yes', '--no-journal', ...src);
    assert.equal(installed.code, 0, installed.stdout + installed.stderr);
    const [first] = (await setup.startWorkers(url, 1, { lease: 3, concurrency: 1 })) as [ChildCli];
    const target = 'go1.26.8';
    const coordinator = gofleet('use', target, '-i', inventory, '--limit', 'host-1', '--health-cmd', 'sleep 3', '--workers', '--yes', '--json', '--state', url, ...src);
    await waitFor('host-1 to run its health command', async () => (await execOn(host, 'pgrep -x sleep')).exitCode === 0, { timeoutMs: 60_000, intervalMs: 50 });
    const run = /worker: run (\S+): host-1: started/.exec(first.output())?.[1] as string;
    // the journal holds the first attempt's script steps, so the next worker resumes the host rather than starting it
    await waitFor('the journal to record host-1 locked', async () => (await setup.show(run, url))[0]?.steps.some((s) => s.step === 'lock') === true, { timeoutMs: 60_000, intervalMs: 100 });
    first.child.kill('SIGKILL');
    await first.exited;
    workers.splice(workers.indexOf(first), 1);
    // the orphaned host script goes on alone: its health command ends, it verifies, unlocks -- before the next worker probes
    await waitFor('the orphaned script to finish and unlock host-1', async () => (await execOn(host, `test -e ${META}/lock`)).exitCode !== 0, { timeoutMs: 60_000, intervalMs: 100 });
    const [second] = (await setup.startWorkers(url, 1, { lease: 3, concurrency: 1 })) as [ChildCli];
    const r = await coordinator;
    t.diagnostic(`first worker:\n${first.output()}\nsecond worker:\n${second.output()}`);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(r.json<{ hosts: HostJson[] }>().hosts[0]?.status, 'switched');
    assert.match(second.output(), /host-1: started \(attempt 2: recovering\)/);
    const [j] = await setup.show(run, url);
    t.diagnostic(`host-1 steps: ${j?.steps.map((s) => `${s.step}:${s.status}`).join(' ')}`);
    // the journal: the switch read back from the host by the second attempt, which ran no step of its own past it
    const recover = j?.steps.filter((s) => s.step === 'recover') ?? [];
    assert.deepEqual(recover.map((s) => [s.status, s.message]), [['ok', `the host is on ${target}: the earlier attempt's switch completed`]], JSON.stringify(j?.steps));
    assert.equal(j?.steps.at(-1)?.step, 'recover', JSON.stringify(j?.steps));
    assert.ok(j && switches(j) <= 1, `at most the first attempt's switch step: ${JSON.stringify(j?.steps)}`);
    // the host: on the target, its goroot link last replaced before the second attempt read it, and the run's fence
    // file still holding the first attempt's token (the second attempt's never reached the host: no script of it ran)
    assert.equal(await goVersionOn(host), target);
    const changed = Math.round(Number((await execOn(host, 'stat -c %.3Z /usr/local/go')).stdout.trim()) * 1000);
    assert.ok(changed <= Date.parse(recover[0]?.started_at ?? ''), `goroot link changed at ${changed}, after the recover step`);
    const fence = Number(/^token=(\d+)$/.exec((await execOn(host, `cat ${META}/fence/${run}`)).stdout.trim())?.[1]);
    const job = await setup.pg.psql(`SELECT token || ' ' || attempts FROM host_jobs WHERE run = '${run}' AND host = 'host-1'`, { database: 'orphan' });
    const [token, attempts] = job.stdout.trim().split(' ').map(Number);
    assert.ok(fence > 0 && fence < (token ?? 0) && (attempts ?? 0) >= 2, `fence ${fence}, the job's last token ${token}, attempts ${attempts}`);
    await setup.stopWorkers();
  });

  test('the coordinator killed with SIGKILL mid-wave: `resume RUN` coordinates again and finishes, each host switched once', async (t) => {
    const url = await setup.database('resumed');
    const local = await gofleet('use', 'go1.27.3', '-i', inventory, '--yes', '--no-journal', ...src);
    assert.equal(local.code, 0, local.stderr);
    await setup.startWorkers(url, 3);
    const coordinator = spawnGofleet('use', 'go1.26.8', '-i', inventory, ...WAVES, '--health-cmd', 'sleep 2', '--workers', '--yes', '--json', '--state', url, ...src);
    const run = await waitFor('a worker to start a host of the run', async () => workers.map((w) => /worker: run (\S+): host-\d+: started/.exec(w.output())?.[1]).find(Boolean), { timeoutMs: 60_000, intervalMs: 50 });
    coordinator.child.kill('SIGKILL');
    assert.equal((await coordinator.exited).signal, 'SIGKILL');

    const r = await gofleet('resume', run, '--yes', '--json', '--state', url);
    t.diagnostic(workers.map((w) => w.output()).join('\n'));
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const doc = r.json<{ status: string; hosts: HostJson[] }>();
    assert.equal(doc.status, 'done');
    assert.deepEqual(doc.hosts.map((h) => [h.name, h.status]), hosts.map((h) => [h.name, 'switched']));
    for (const h of hosts) assert.equal(await goVersionOn(h), 'go1.26.8', h.name);
    const journal = await setup.show(run, url);
    assert.deepEqual(journal.map((h) => [h.name, switches(h)]), hosts.map((h) => [h.name, 1]), 'each host switched exactly once');
    await setup.stopWorkers();
  });

  test("a site's hosts go only to the workers started with --site of that name", async () => {
    const url = await setup.database('sites');
    const sited = fleetInventory(setup.fleet, hosts.slice(0, 4).map((h, i) => ({ host: h, ...(i < 2 ? { extra: 'site: paris' } : {}) })));
    setup.removeLater(join(sited, '..'));
    const [anywhere] = (await setup.startWorkers(url, 1)) as [ChildCli];
    const [paris] = (await setup.startWorkers(url, 1, { site: 'paris' })) as [ChildCli];
    const target = (await goVersionOn(hosts[0] as SshdHost)) === 'go1.27.3' ? 'go1.26.8' : 'go1.27.3';
    const r = await gofleet('use', target, '-i', sited, '--workers', '--yes', '--json', '--state', url, ...src);
    assert.equal(r.code, 0, r.stdout + r.stderr + anywhere.output() + paris.output());
    assert.deepEqual(r.json<{ hosts: HostJson[] }>().hosts.map((h) => [h.name, h.status]), hosts.slice(0, 4).map((h) => [h.name, 'switched']));
    const took = (w: ChildCli): string[] => [...w.output().matchAll(/(host-\d+): started/g)].map((m) => m[1] as string).sort();
    assert.deepEqual(took(paris), ['host-1', 'host-2']);
    assert.deepEqual(took(anywhere), ['host-3', 'host-4']);
    await setup.stopWorkers();
  });
});
