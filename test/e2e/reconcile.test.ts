// `gofleet reconcile` over real sshd hosts: it upgrades exactly the drifted hosts whose assignment's window is open
// (real toolchains: go1.26.8 -> go1.27.3, verified with a build), leaves the ones whose window is closed and the
// compliant ones untouched, records each rollout as an ordinary upgrade run, and does nothing the second time. A
// window that closes mid-rollout stops starting new hosts: the canary, held by a build in flight (drain) until
// the window has closed, finishes; the next wave's hosts are skipped with DEADLINE_PASSED, untouched.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHosts, sshdSkip, type Fleet, type SshdHost } from '../harness/sshd.ts';
import { fakeToolchainArchive, toolchainArchive, writeSourceDir } from '../harness/toolchains.ts';
import { execOn, fleetInventory, gofleet, goVersionOn, installManaged, snapshotHost, waitFor } from './helpers.ts';

const skip = sshdSkip();

const POLICY = `channels:
  stable: { track: "1.27" }
assign:
  - hosts: "open-*"
    channel: stable
    window: { days: daily, start: "00:00", duration: 24h, tz: UTC }
    rollout: { canary: 1, max_fail: 0 }
  - hosts: "closed-*"
    channel: stable
    window: { cron: "0 3 29 2 *", duration: 1h, tz: Asia/Tokyo }
`;

interface Decision { name: string; status: string; decision: string; reason: string }
interface RolloutJson { assignment: number; names: string[]; target: string; started: boolean; exit_code: number | null; run: string | null; deadline: string | null; result: { hosts: { name: string; status: string; error: { code: string } | null }[] } | null }

describe('gofleet reconcile', { skip, timeout: 600_000 }, () => {
  let fleet: Fleet;
  let work: string;
  let inventory: string;
  let policy: string;
  let source: string;
  let openOld: SshdHost;
  let closedOld: SshdHost;
  let openCurrent: SshdHost;

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'gofleet-reconcile-'));
    const [old, target] = await Promise.all([toolchainArchive('go1.26.8'), toolchainArchive('go1.27.3')]);
    source = join(work, 'src');
    writeSourceDir(source, [old, target], { index: true });
    fleet = await startHosts(3);
    [openOld, closedOld, openCurrent] = fleet.hosts as [SshdHost, SshdHost, SshdHost];
    await Promise.all([installManaged(openOld, old), installManaged(closedOld, old), installManaged(openCurrent, target)]);
    inventory = fleetInventory(fleet, [
      { host: openOld, name: 'open-old' },
      { host: closedOld, name: 'closed-old' },
      { host: openCurrent, name: 'open-current' },
    ]);
    policy = join(work, 'policy.yaml');
    writeFileSync(policy, POLICY);
  });

  after(async () => {
    await fleet?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test('--print-schedule: each window and its next openings, no host contacted', async () => {
    const r = await gofleet('reconcile', '-i', inventory, '--policy', policy, '--print-schedule');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^assign\[0\] hosts "open-\*" -> stable, 2 hosts: daily 00:00 for 1d \(UTC\)$/m);
    assert.match(r.stdout, /^ {2}now: open until \d{4}-\d\d-\d\d 00:00 UTC$/m);
    assert.match(r.stdout, /^assign\[1\] hosts "closed-\*" -> stable, 1 host: cron "0 3 29 2 \*" for 1h \(Asia\/Tokyo\)$/m);
    assert.match(r.stdout, /^ {2}tue 2028-02-29 03:00 - tue 2028-02-29 04:00 Asia\/Tokyo {2}\(2028-02-28T18:00:00\.000Z - 2028-02-28T19:00:00\.000Z\)$/m);
  });

  test('--dry-run: the decisions, nothing changed', async () => {
    const before = await snapshotHost(openOld);
    const r = await gofleet('reconcile', '-i', inventory, '--policy', policy, '--source', source, '--dry-run');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^open-old\s+behind\s+go1\.26\.8\s+go1\.27\.3\s+upgrade\s+go1\.26\.8 -> go1\.27\.3; window open until/m);
    assert.match(r.stdout, /^closed-old\s+behind\s+go1\.26\.8\s+go1\.27\.3\s+wait\s+go1\.26\.8 -> go1\.27\.3 when the window opens: closed, opens 2028-02-29 03:00 Asia\/Tokyo$/m);
    assert.match(r.stdout, /^rollout: assign\[0\] hosts "open-\*": 1 host\(s\) -> go1\.27\.3 .*: open-old$/m);
    assert.match(r.stdout, /^dry run: nothing changed\.$/m);
    assert.equal(await snapshotHost(openOld), before);
  });

  test('upgrades exactly the drifted hosts whose window is open; the run is an upgrade run; a second reconcile does nothing', async () => {
    const closedBefore = await snapshotHost(closedOld);
    const currentBefore = await snapshotHost(openCurrent);
    const r = await gofleet('reconcile', '-i', inventory, '--policy', policy, '--source', source, '--json');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const doc = r.json<{ hosts: Decision[]; rollouts: RolloutJson[] }>();
    assert.deepEqual(doc.hosts.map((h) => [h.name, h.status, h.decision]), [
      ['open-old', 'behind', 'upgrade'],
      ['closed-old', 'behind', 'wait'],
      ['open-current', 'compliant', 'none'],
    ]);
    assert.equal(doc.rollouts.length, 1);
    const [rollout] = doc.rollouts as [RolloutJson];
    assert.deepEqual([rollout.assignment, rollout.names, rollout.target, rollout.started, rollout.exit_code], [0, ['open-old'], 'go1.27.3', true, 0]);
    assert.ok(rollout.deadline && Date.parse(rollout.deadline) > Date.now(), `the window's close: ${rollout.deadline}`);
    assert.deepEqual(rollout.result?.hosts.map((h) => [h.name, h.status]), [['open-old', 'upgraded']]);
    assert.equal(await goVersionOn(openOld), 'go1.27.3');
    assert.equal(await snapshotHost(closedOld), closedBefore, 'the host whose window is closed is untouched');
    assert.equal(await snapshotHost(openCurrent), currentBefore, 'the compliant host is untouched');

    // the rollout is an ordinary upgrade run in the journal, with the command line resume would run again
    const show = await gofleet('show', rollout.run ?? '', '--json');
    assert.equal(show.code, 0, show.stderr);
    const run = show.json<{ command: string; target: string; argv: string[]; status: string; policy: { origin?: { by: string; assignment: number; policy: string } } }>();
    assert.deepEqual([run.command, run.target, run.status], ['upgrade', 'go1.27.3', 'done']);
    assert.deepEqual(run.policy.origin, { by: 'reconcile', policy, assignment: 0 });
    assert.deepEqual(run.argv.slice(0, 1), ['upgrade']);
    assert.ok(run.argv.join(' ').includes('--limit open-old --to go1.27.3 --canary 1 --max-fail 0 --deadline '), run.argv.join(' '));

    // a rollout that needs a person between waves (pause: true) is not run by a cron reconcile: exit 2, and why
    const approval = join(work, 'approval.yaml');
    writeFileSync(approval, POLICY.replace('window: { cron: "0 3 29 2 *", duration: 1h, tz: Asia/Tokyo }', 'window: { days: daily, start: "00:00", duration: 24h, tz: Asia/Tokyo }\n    rollout: { pause: true }'));
    const held = await gofleet('reconcile', '-i', inventory, '--policy', approval, '--source', source, '--limit', 'closed-old');
    assert.equal(held.code, 2, held.stdout + held.stderr);
    assert.match(held.stdout, /^reconcile: assign\[1\] \(1 host\(s\) -> go1\.27\.3\): not started: its rollout has pause: true .*gofleet serve/m);
    assert.equal(await snapshotHost(closedOld), closedBefore);

    const again = await gofleet('reconcile', '-i', inventory, '--policy', policy, '--source', source);
    assert.equal(again.code, 0, again.stdout + again.stderr);
    assert.match(again.stdout, /^nothing to roll out now\.$/m);
    assert.match(again.stdout, /^open-old\s+compliant\s+go1\.27\.3\s+go1\.27\.3\s+none\s+-$/m);
  });
});

describe('gofleet reconcile: the window closes mid-rollout', { skip, timeout: 300_000 }, () => {
  const VDIR = '/usr/local/gofleet/versions';
  let fleet: Fleet;
  let work: string;
  let inventory: string;
  let source: string;

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'gofleet-reconcile-close-'));
    const [old, target] = await Promise.all([fakeToolchainArchive('go1.26.8'), fakeToolchainArchive('go1.27.3')]);
    source = join(work, 'src');
    writeSourceDir(source, [old, target], { index: true });
    fleet = await startHosts(3);
    await Promise.all(fleet.hosts.map((h) => installManaged(h, old)));
    inventory = fleetInventory(fleet, fleet.hosts.map((host, i) => ({ host, name: `w${i + 1}` })));
  });

  after(async () => {
    await fleet?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test('no host starts after the close; the canary in flight finishes; the others are skipped (DEADLINE_PASSED), untouched', async () => {
    const [w1, w2, w3] = fleet.hosts as [SshdHost, SshdHost, SshdHost];
    // a weekly window that opened at this minute (UTC) and closes 40 s from now
    const now = new Date();
    const minuteStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), now.getUTCHours(), now.getUTCMinutes());
    const closes = Date.now() + 40_000;
    const day = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'][now.getUTCDay()];
    const hhmm = `${String(now.getUTCHours()).padStart(2, '0')}:${String(now.getUTCMinutes()).padStart(2, '0')}`;
    const policy = join(work, 'closing.yaml');
    writeFileSync(policy, `channels:
  stable: { track: "1.27" }
assign:
  - hosts: "*"
    channel: stable
    window: { days: [${day}], start: "${hhmm}", duration: ${Math.ceil((closes - minuteStart) / 1000)}s, tz: UTC }
    rollout: { canary: 1, parallel: 1, drain_timeout: 10m }
`);
    // the canary (w1, first in inventory order) is busy: a process in its old toolchain holds its switch (drain)
    const busy = await execOn(w1, `cd ${VDIR}/go1.26.8 && nohup sleep 300 >/dev/null 2>&1 & echo $!`);
    const pid = busy.stdout.trim();
    assert.match(pid, /^\d+$/, busy.stderr);
    const before2 = await snapshotHost(w2);
    const running = gofleet('reconcile', '-i', inventory, '--policy', policy, '--source', source, '--json');
    // the window closes while the canary waits; then its build in flight ends and it switches
    await waitFor('the window to close', async () => Date.now() > closes + 1_000, { timeoutMs: 60_000, intervalMs: 500 });
    await execOn(w1, `kill ${pid}`);
    const r = await running;
    const doc = r.json<{ rollouts: RolloutJson[] }>();
    const hosts = doc.rollouts[0]?.result?.hosts ?? [];
    assert.deepEqual(hosts.map((h) => [h.name, h.status, h.error?.code ?? null]), [
      ['w1', 'upgraded', null],
      ['w2', 'skipped', 'DEADLINE_PASSED'],
      ['w3', 'skipped', 'DEADLINE_PASSED'],
    ], r.stdout + r.stderr);
    assert.equal(r.code, 2, 'hosts left for the next window: exit 2');
    assert.equal(await goVersionOn(w1), 'go1.27.3');
    assert.equal(await snapshotHost(w2), before2, 'a host after the deadline is untouched');
    assert.equal(await goVersionOn(w3), 'go1.26.8');
  });
});
