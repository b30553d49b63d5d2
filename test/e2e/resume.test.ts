// `gofleet resume RUN` end to end: three real sshd hosts upgraded one after another (--parallel 1) from a real
// go1.26.8 to a real go1.27.3 (whose verification build takes a while), the controller process killed with
// SIGKILL while host-2's host script runs, then resumed as the same run: host-1 keeps its first-attempt result,
// host-2 is never switched twice, host-3 is upgraded, and `show RUN --json` agrees.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { sshdSkip, type SshdHost } from '../harness/sshd.ts';
import { openStore } from '../../src/store/index.ts';
import { execOn, gofleet, goVersionOn, spawnGofleet, startUpgradeFleet, waitFor, type CliRun, type UpgradeFleet } from './helpers.ts';

const skip = sshdSkip();
const VDIR = '/usr/local/gofleet/versions';
const META = `${VDIR}/.gofleet`;

interface HostJson {
  name: string;
  status: string;
  from: string | null;
  to: string | null;
  warnings: string[];
  error: { code: string } | null;
  steps: { step: string; status: string; message?: string | null }[];
}

function hostsOf(r: CliRun): Map<string, HostJson> {
  const doc = r.json<{ hosts: HostJson[] }>();
  return new Map(doc.hosts.map((h) => [h.name, h]));
}

describe('resume after the controller was killed with SIGKILL', { skip, timeout: 600_000 }, () => {
  let fx: UpgradeFleet;
  let hosts: SshdHost[];
  let inventory: string;
  let work: string;
  let source: string;
  let state: string;

  before(async () => {
    fx = await startUpgradeFleet(3, 'resume');
    ({ hosts, inventory, work, source, state } = fx);
  });

  after(async () => {
    await fx?.stop();
  });

  test('finishes the remaining hosts as the same run; the host in flight is waited for, never switched twice', async (t) => {
    const [h1, h2, h3] = hosts as [SshdHost, SshdHost, SshdHost];
    const cacheDir = join(work, 'cache');
    const cli = spawnGofleet('upgrade', '-i', inventory, '--to', 'go1.27.3', '--yes', '--json', '--parallel', '1',
      '--source', source, '--cache-dir', cacheDir, '--state', state);
    let exited = false;
    void cli.exited.then(() => (exited = true));
    let run: string;
    try {
      // staging extracts into <versions_dir>/.tmp-*; verification builds in <versions_dir>/.gofleet/verify.*
      const busy = await waitFor('host-2 to stage or verify', async () => {
        if (exited) throw new Error(`the CLI ended before host-2 staged or verified:\n${cli.output()}`);
        const r = await execOn(h2, `ls -d ${VDIR}/.tmp-* ${META}/verify.* 2>/dev/null`);
        return r.stdout.trim().split('\n')[0] || undefined;
      }, { timeoutMs: 180_000, intervalMs: 50 });

      const store = openStore(state);
      try {
        run = (await store.listRuns({ limit: 1 }))[0]?.id ?? '';
      } finally {
        store.close();
      }
      assert.ok(run, 'the run is journaled');
      // while its controller lives, the run is not resumable
      const live = await gofleet('resume', run, '--yes', '--json', '--state', state);
      assert.equal(live.code, 4, live.stdout + live.stderr);
      assert.equal(live.json<{ error: { code: string } }>().error.code, 'RUN_NOT_RESUMABLE');
      assert.match(live.stderr, /still running/);

      cli.child.kill('SIGKILL');
      assert.equal((await cli.exited).signal, 'SIGKILL');
      t.diagnostic(`killed the controller while host-2 had ${busy}`);
    } finally {
      if (!exited) cli.child.kill('SIGKILL');
    }
    assert.equal(await goVersionOn(h3), 'go1.26.8', 'host-3 was not started before the kill');

    const resumer = spawnGofleet('resume', run, '--yes', '--json', '--state', state);
    // while one resume runs, the run is its controller's: a second resume is refused, not run twice
    await waitFor('the resume to take the run over', async () => {
      const store = openStore(state);
      try {
        const row = (await store.getRun(run));
        return row?.status === 'running' && row.pid === resumer.child.pid;
      } finally {
        store.close();
      }
    }, { timeoutMs: 30_000, intervalMs: 50 });
    const second = await gofleet('resume', run, '--yes', '--state', state);
    assert.equal(second.code, 4, second.stdout + second.stderr);
    assert.match(second.stderr, /RUN_NOT_RESUMABLE[\s\S]*still running/);
    const ended = await resumer.exited;
    const r: CliRun = { code: ended.code ?? -1, stdout: resumer.stdout(), stderr: resumer.output(), json: <T>() => JSON.parse(resumer.stdout()) as T };
    assert.equal(r.code, 0, resumer.output());
    const doc = r.json<{ run: string; status: string; hosts: HostJson[] }>();
    assert.equal(doc.run, run);
    assert.equal(doc.status, 'done');
    assert.deepEqual(doc.hosts.map((h) => h.name).sort(), [h1.name, h2.name, h3.name].sort(), 'every host once');
    const got = hostsOf(r);
    const one = got.get(h1.name);
    const two = got.get(h2.name);
    const three = got.get(h3.name);
    // host-1: the first attempt's result, kept
    assert.deepEqual([one?.status, one?.from, one?.to], ['upgraded', 'go1.26.8', 'go1.27.3'], JSON.stringify(one));
    // host-2: its orphaned host script finished the switch; resume read it back and left it alone. The run did
    // upgrade it (the journal knows where it started), so it is `upgraded`, not `unchanged`
    assert.deepEqual([two?.status, two?.from, two?.to], ['upgraded', 'go1.26.8', 'go1.27.3'], JSON.stringify(two));
    assert.ok(two?.warnings.some((w) => /interrupted run's host script finished the switch/.test(w)), JSON.stringify(two));
    t.diagnostic(`host-2 resume steps: ${two?.steps.map((s) => `${s.step}:${s.status}`).join(' ')}`);
    assert.ok((two?.steps.filter((s) => s.step === 'switch').length ?? 0) <= 1, 'at most the first attempt switch is in host-2 steps');
    // whether resume waited for the orphan or found it done, the reading is journaled: one recover step saying so
    const recovered = two?.steps.filter((s) => s.step === 'recover').map((s) => [s.status, s.message]);
    assert.deepEqual(recovered, [['ok', "the host is on go1.27.3: the earlier attempt's switch completed"]], JSON.stringify(two?.steps));
    // host-3: a fresh upgrade
    assert.deepEqual([three?.status, three?.from, three?.to], ['upgraded', 'go1.26.8', 'go1.27.3'], JSON.stringify(three));
    assert.ok(three?.steps.some((s) => s.step === 'switch' && s.status === 'ok'), JSON.stringify(three?.steps));

    // the event log: host-2 was never told to switch by the resume, host-1 never touched again
    const store = openStore(state);
    try {
      const events = (await store.runEvents(run));
      const switches = (host: string): number =>
        events.filter((e) => e.kind === 'host-step' && e.payload.host === host && e.payload.step === 'switch' && e.payload.status === 'start').length;
      assert.ok(switches(h2.name) <= 1, `host-2 switch starts: ${switches(h2.name)}`);
      assert.equal(switches(h3.name), 1);
      const starts = events.filter((e) => e.kind === 'run-start');
      assert.equal(starts.length, 2, 'the run started twice: the first attempt and the resume');
      assert.deepEqual(starts[1]?.payload.hosts, [h2.name, h3.name], 'the resume worked on the unfinished hosts only');
    } finally {
      store.close();
    }

    for (const h of hosts) assert.equal(await goVersionOn(h), 'go1.27.3', `${h.name}: go version`);
    const st = await execOn(h2, `cat ${META}/state; ls -d ${META}/lock 2>/dev/null || echo no-lock`);
    assert.match(st.stdout, /no-lock/);

    const show = await gofleet('show', run, '--json', '--state', state);
    assert.equal(show.code, 0, show.stderr);
    const shown = hostsOf(show);
    for (const [name, h] of got) assert.deepEqual([shown.get(name)?.status, shown.get(name)?.to], [h.status, h.to], name);
    assert.equal(show.json<{ status: string }>().status, 'done');

    // a finished run is not resumed twice
    const again = await gofleet('resume', run, '--yes', '--state', state);
    assert.equal(again.code, 4, again.stderr);
    assert.match(again.stderr, /RUN_NOT_RESUMABLE/);
  });
});
