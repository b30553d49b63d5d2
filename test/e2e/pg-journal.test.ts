// The run journal on PostgreSQL end to end (issue 14): `upgrade --state postgres://…` over three real sshd hosts
// (--parallel 1, a 3 s health check per host so a first Ctrl-C lands while host-2 is in flight), interrupted after
// host-1 is done; then `history`, `show` and `report` read the run back from the server, and `resume` finishes it
// from there as the same run. No journal file is written on the controller; the run log goes to the local state dir.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { sshdSkip, type SshdHost } from '../harness/sshd.ts';
import { postgresSkip, startPostgres, type PostgresServer } from '../harness/postgres.ts';
import { openJournal } from '../../src/store/index.ts';
import { gofleet, goVersionOn, spawnGofleet, startUpgradeFleet, waitFor, type UpgradeFleet } from './helpers.ts';

const skip = sshdSkip() || postgresSkip();
if (skip) console.log(`# skipping the PostgreSQL journal e2e: ${skip}`);

interface HostJson {
  name: string;
  status: string;
  to: string | null;
  error: { code: string } | null;
}

describe('a rollout journaled on PostgreSQL', { skip, timeout: 300_000 }, () => {
  let fx: UpgradeFleet;
  let pg: PostgresServer;

  before(async () => {
    [fx, pg] = await Promise.all([startUpgradeFleet(3, 'pgjournal', { toolchain: 'fake' }), startPostgres()]);
  });
  after(async () => {
    await Promise.all([fx?.stop(), pg?.stop()]);
  });

  test('upgrade records it there; history, show and report read it back; resume finishes the interrupted run', async (t) => {
    const [h1, h2, h3] = fx.hosts as [SshdHost, SshdHost, SshdHost];
    const url = pg.url;
    const cli = spawnGofleet('upgrade', '-i', fx.inventory, '--to', 'go1.27.3', '--yes', '--json', '--parallel', '1', '--health-cmd', 'sleep 3',
      '--source', fx.source, '--cache-dir', join(fx.work, 'cache'), '--state', url);
    let exited = false;
    void cli.exited.then(() => (exited = true));
    const reader = await openJournal(url, { readOnly: true });
    let run = '';
    try {
      // a first Ctrl-C once host-1 is done and host-2 switched (in its health check): host-2 finishes, host-3 is never started
      run = await waitFor('host-1 done and host-2 verifying, in the journal on PostgreSQL', async () => {
        if (exited) throw new Error(`the upgrade ended before host-2 was journaled in flight:\n${cli.output()}`);
        const latest = (await reader.listRuns({ limit: 1 }))[0];
        const got = latest ? await reader.getRun(latest.id) : null;
        const status = (name: string): string | undefined => got?.hosts.find((h) => h.name === name)?.status;
        return status(h1.name) === 'upgraded' && status(h2.name) === 'verifying' ? got?.id : undefined;
      }, { timeoutMs: 120_000, intervalMs: 50 });
      cli.child.kill('SIGINT');
      const ended = await cli.exited;
      assert.equal(ended.code, 99, cli.output());
    } finally {
      if (!exited) cli.child.kill('SIGKILL');
      await reader.close();
    }
    t.diagnostic(`run ${run}`);
    assert.equal(await goVersionOn(h3), 'go1.26.8', 'host-3 was not started');
    // no journal file on the controller; the run log is in the local state dir
    const local = process.env.GOFLEET_STATE ?? '';
    assert.equal(existsSync(local), false, `${local} was not created`);
    assert.ok(existsSync(join(dirname(local), 'logs', `${run}.log`)), 'the run log is local');

    const history = await gofleet('history', '--json', '--state', url);
    assert.equal(history.code, 0, history.stderr);
    const listed = history.json<{ runs: { id: string; status: string; command: string }[] }>().runs;
    assert.deepEqual(listed.map((r) => [r.id, r.status, r.command]), [[run, 'interrupted', 'upgrade']]);

    const show = await gofleet('show', run, '--json', '--state', url);
    assert.equal(show.code, 0, show.stderr);
    const shown = new Map(show.json<{ hosts: HostJson[] }>().hosts.map((h) => [h.name, h]));
    assert.deepEqual([shown.get(h1.name)?.status, shown.get(h2.name)?.status], ['upgraded', 'upgraded']);
    assert.deepEqual([shown.get(h3.name)?.status, shown.get(h3.name)?.error?.code], ['skipped', 'INTERRUPTED']);

    const resumed = await gofleet('resume', run, '--yes', '--json', '--state', url);
    assert.equal(resumed.code, 0, resumed.stdout + resumed.stderr);
    const doc = resumed.json<{ run: string; status: string; hosts: HostJson[] }>();
    assert.deepEqual([doc.run, doc.status], [run, 'done']);
    assert.deepEqual(doc.hosts.map((h) => [h.name, h.status]).sort(), [[h1.name, 'upgraded'], [h2.name, 'upgraded'], [h3.name, 'upgraded']].sort());
    for (const h of fx.hosts) assert.equal(await goVersionOn(h), 'go1.27.3', h.name);

    const junit = await gofleet('report', run, '--format', 'junit', '--state', url);
    assert.equal(junit.code, 0, junit.stderr);
    assert.equal(junit.stdout.match(/<testcase /g)?.length, 3, junit.stdout);
    assert.doesNotMatch(junit.stdout, /<failure/);

    // the journal on the server holds the whole run: both attempts in one event log, each host switched once
    const store = await openJournal(url, { readOnly: true });
    try {
      const events = await store.runEvents(run);
      assert.equal(events.filter((e) => e.kind === 'run-start').length, 2);
      for (const h of fx.hosts) {
        const switches = events.filter((e) => e.kind === 'host-step' && e.payload.host === h.name && e.payload.step === 'switch' && e.payload.status === 'start');
        assert.equal(switches.length, 1, `${h.name} switched once`);
      }
      assert.equal((await store.getRun(run))?.status, 'done');
    } finally {
      await store.close();
    }
    assert.equal(existsSync(local), false, 'still no journal file on the controller');
  });

  test('a journal that opens but cannot take the run\'s row: refused before any host is contacted', async () => {
    const r = await pg.psql(`CREATE DATABASE refuse_runs`, { via: 'socket', database: 'postgres' });
    assert.equal(r.exitCode, 0, r.stderr);
    const url = pg.url.replace(/\/[^/]*$/, '/refuse_runs');
    await (await openJournal(url)).close();
    const trigger = await pg.psql(`CREATE FUNCTION no_runs() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'runs are refused here'; END $$;
      CREATE TRIGGER no_runs BEFORE INSERT ON runs FOR EACH ROW EXECUTE FUNCTION no_runs();`, { database: 'refuse_runs' });
    assert.equal(trigger.exitCode, 0, trigger.stderr);
    const logs = join(dirname(process.env.GOFLEET_STATE ?? ''), 'logs');
    const logsBefore = new Set(existsSync(logs) ? readdirSync(logs) : []);
    const up = await gofleet('upgrade', '-i', fx.inventory, '--to', 'go1.27.3', '--yes', '--json', '--source', fx.source, '--cache-dir', join(fx.work, 'cache'), '--state', url);
    assert.equal(up.code, 4, up.stdout + up.stderr);
    assert.equal(up.json<{ error: { code: string } }>().error.code, 'STATE_UNAVAILABLE');
    assert.match(up.stderr, /postgres@127\.0\.0\.1:\d+\/refuse_runs: the run journal cannot be written: runs are refused here/);
    assert.doesNotMatch(up.stderr, /failed during the run/);
    // the run log of the refused run shows no host step: no host was contacted
    const newLogs = readdirSync(logs).filter((f) => !logsBefore.has(f));
    assert.equal(newLogs.length, 1, newLogs.join(', '));
    assert.doesNotMatch(readFileSync(join(logs, newLogs[0] ?? ''), 'utf8'), /host-step|host-done/);
    const events = await pg.psql(`SELECT count(*) FROM events`, { database: 'refuse_runs' });
    assert.equal(events.stdout.trim(), '0');
  });
});
