// The main flow, end to end: real sshd hosts, real Go toolchains (1.26.8 -> 1.27.3), the real CLI.
// host-1 starts with a manual /usr/local/go directory (adopted); host-2 and host-3 start without Go and get
// go1.26.8 from gofleet first. Then: facts, plan (changes nothing), upgrade, a second run (unchanged),
// rollback, use, prune — checking `go version` on every host after each step.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHosts, sshdSkip, type Fleet } from '../harness/sshd.ts';
import { startHttpSource, type HttpSource } from '../harness/http-source.ts';
import { toolchainArchive, writeSourceDir } from '../harness/toolchains.ts';
import { fleetInventory, gofleet, goVersionOn, installByHand, linkPathOnly, snapshotHost } from './helpers.ts';

const skip = sshdSkip();

describe('upgrade a fleet of real sshd hosts with real toolchains', { skip, timeout: 600_000 }, () => {
  let fleet: Fleet;
  let source: HttpSource;
  let inventory: string;
  let cacheDir: string;
  let sumsDir: string;
  // bytes from the HTTP mirror, checksums from an independent source (a local directory)
  const src = (): string[] => ['--source', source.url, '--checksum-source', sumsDir, '--cache-dir', cacheDir];

  before(async () => {
    const [from, to] = await Promise.all([toolchainArchive('go1.26.8'), toolchainArchive('go1.27.3')]);
    const dir = mkdtempSync(join(tmpdir(), 'gofleet-src-'));
    writeSourceDir(dir, [from, to], { index: true });
    source = await startHttpSource(dir);
    sumsDir = dir;
    cacheDir = mkdtempSync(join(tmpdir(), 'gofleet-cache-'));
    fleet = await startHosts(3);
    const [h1, h2, h3] = fleet.hosts as [Fleet['hosts'][0], Fleet['hosts'][0], Fleet['hosts'][0]];
    await installByHand(h1, from);
    await linkPathOnly(h2);
    await linkPathOnly(h3);
    inventory = fleetInventory(fleet);
  });

  after(async () => {
    await fleet?.stop();
    await source?.close();
  });

  test('a fresh install onto hosts without Go', async () => {
    const r = await gofleet('upgrade', '-i', inventory, '--to', 'go1.26.8', '--limit', 'host-2,host-3', '--yes', '--json', ...src());
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const doc = r.json();
    assert.deepEqual(
      doc.hosts.map((h: { name: string; status: string; from: string | null; to: string }) => [h.name, h.status, h.from, h.to]),
      [
        ['host-2', 'upgraded', null, 'go1.26.8'],
        ['host-3', 'upgraded', null, 'go1.26.8'],
      ],
    );
    for (const h of fleet.hosts) assert.equal(await goVersionOn(h), 'go1.26.8');
  });

  test('facts shows what each host has', async () => {
    const r = await gofleet('facts', '-i', inventory, '--json');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const hosts = r.json().hosts;
    assert.deepEqual(hosts.map((h: { name: string }) => h.name), ['host-1', 'host-2', 'host-3']);
    for (const h of hosts) {
      assert.equal(h.reachable, true);
      assert.equal(h.os, 'linux');
      assert.equal(h.arch, 'amd64');
      assert.equal(h.go?.version, 'go1.26.8');
      assert.equal(h.error, null);
    }
    assert.equal(hosts[0].managed.active, null, 'host-1 is a manual install');
    assert.deepEqual(hosts[1].managed, { active: 'go1.26.8', versions: ['go1.26.8'], previous: null });
    const table = await gofleet('facts', '-i', inventory);
    assert.match(table.stdout, /host-1\s+yes\s+linux\/amd64\s+go1\.26\.8/);
  });

  test('plan shows the actions and leaves every host byte-for-byte unchanged', async () => {
    const before = await Promise.all(fleet.hosts.map(snapshotHost));
    const r = await gofleet('plan', '-i', inventory, '--to', '1.27', '--json', ...src());
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const plan = r.json();
    assert.equal(plan.target, 'go1.27.3');
    const hosts = plan.waves.flatMap((w: { hosts: unknown[] }) => w.hosts);
    assert.deepEqual(hosts[0], { name: 'host-1', from: 'go1.26.8', to: 'go1.27.3', actions: ['adopt', 'stage', 'switch', 'verify'], skip: null });
    assert.deepEqual(hosts[1].actions, ['stage', 'switch', 'verify']);
    const after = await Promise.all(fleet.hosts.map(snapshotHost));
    assert.deepEqual(after, before);
  });

  test('upgrade 1.26.8 -> 1.27.3: adopt, stage, switch, verify; archive downloaded once', async () => {
    const r = await gofleet('upgrade', '-i', inventory, '--to', '1.27', '--yes', '--json', ...src());
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const doc = r.json();
    assert.match(doc.run, /^\d{8}-\d{6}-[0-9a-f]{4}$/);
    assert.equal(doc.target, 'go1.27.3');
    for (const h of doc.hosts) {
      assert.equal(h.status, 'upgraded', JSON.stringify(h));
      assert.equal(h.from, 'go1.26.8');
      assert.equal(h.to, 'go1.27.3');
      assert.equal(h.error, null);
      assert.ok(h.steps.some((s: { step: string; status: string }) => s.step === 'verify' && s.status === 'ok'));
    }
    assert.ok(doc.hosts[0].steps.some((s: { step: string; status: string }) => s.step === 'adopt' && s.status === 'ok'));
    for (const h of fleet.hosts) assert.equal(await goVersionOn(h), 'go1.27.3');
    // the adopted manual install is now a managed version, goroot a link
    const h1 = fleet.hosts[0]!;
    assert.equal((await h1.exec('readlink /usr/local/go')).stdout.trim(), '/usr/local/gofleet/versions/go1.27.3');
    assert.equal((await h1.exec('cat /usr/local/gofleet/versions/go1.26.8/VERSION')).stdout.split('\n')[0], 'go1.26.8');
    assert.equal(source.count('go1.27.3.linux-amd64.tar.gz'), 1, 'downloaded once for three hosts');
    assert.deepEqual((await readdir(cacheDir)).filter((f) => f.endsWith('.tar.gz')).sort(), ['go1.26.8.linux-amd64.tar.gz', 'go1.27.3.linux-amd64.tar.gz']);
  });

  test('a second run reports every host unchanged and touches nothing', async () => {
    const before = await Promise.all(fleet.hosts.map(snapshotHost));
    const r = await gofleet('upgrade', '-i', inventory, '--to', 'go1.27.3', '--yes', '--json', ...src());
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.deepEqual(r.json().hosts.map((h: { status: string }) => h.status), ['unchanged', 'unchanged', 'unchanged']);
    assert.deepEqual(await Promise.all(fleet.hosts.map(snapshotHost)), before);
  });

  test('rollback returns every host to go1.26.8', async () => {
    const r = await gofleet('rollback', '-i', inventory, '--yes', '--json');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    // a switch among installed versions is `switched`, not `upgraded`
    for (const h of r.json().hosts) assert.deepEqual([h.status, h.from, h.to], ['switched', 'go1.27.3', 'go1.26.8']);
    for (const h of fleet.hosts) assert.equal(await goVersionOn(h), 'go1.26.8');
  });

  test('use switches to an installed version; an uninstalled one is refused', async () => {
    const r = await gofleet('use', '-i', inventory, '1.27.3', '--yes', '--json');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    for (const h of r.json().hosts) assert.deepEqual([h.status, h.from, h.to], ['switched', 'go1.26.8', 'go1.27.3']);
    for (const h of fleet.hosts) assert.equal(await goVersionOn(h), 'go1.27.3');
    const missing = await gofleet('use', '-i', inventory, 'go1.19.8', '--yes', '--json', '--limit', 'host-1');
    assert.equal(missing.code, 2);
    assert.equal(missing.json().hosts[0].error.code, 'VERSION_NOT_INSTALLED');
    assert.equal(await goVersionOn(fleet.hosts[0]!), 'go1.27.3');
  });

  test('history, show and report agree with what the upgrade printed', async () => {
    const up = await gofleet('upgrade', '-i', inventory, '--to', 'go1.27.3', '--yes', '--json', ...src());
    const printed = up.json();
    const history = (await gofleet('history', '--json')).json();
    assert.equal(history.runs[0].id, printed.run, 'newest first');
    assert.equal(history.runs[0].command, 'upgrade');
    assert.equal(history.runs[0].status, 'done');
    assert.deepEqual(history.runs[0].counts, { unchanged: 3 });
    assert.ok(history.runs.length >= 6, 'every run that changed hosts is recorded');
    const shown = (await gofleet('show', printed.run, '--json')).json();
    assert.equal(shown.run, printed.run);
    assert.deepEqual(
      shown.hosts.map((h: { name: string; status: string; from: string; to: string }) => [h.name, h.status, h.from, h.to]),
      printed.hosts.map((h: { name: string; status: string; from: string; to: string }) => [h.name, h.status, h.from, h.to]),
    );
    const junit = await gofleet('report', printed.run, '--format', 'junit');
    assert.equal(junit.code, 0, junit.stderr);
    assert.equal((junit.stdout.match(/<testcase /g) ?? []).length, 3);
    const missing = await gofleet('show', 'no-such-run');
    assert.equal(missing.code, 4);
    assert.match(missing.stderr, /RUN_NOT_FOUND/);
  });

  test('prune keeps the active version', async () => {
    const r = await gofleet('prune', '-i', inventory, '--keep', '1', '--yes', '--json');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    for (const h of r.json().hosts) assert.deepEqual([h.status, h.removed], ['pruned', ['go1.26.8']]);
    const recorded = (await gofleet('history', '--json')).json().runs[0];
    assert.deepEqual([recorded.id, recorded.command, recorded.counts], [r.json().run, 'prune', { pruned: 3 }]);
    const junit = await gofleet('report', r.json().run, '--format', 'junit');
    assert.match(junit.stdout, /<testsuites name="gofleet" tests="3" failures="0" errors="0" skipped="0"/);
    // nothing left to remove: unchanged, in the human summary too
    const again = await gofleet('prune', '-i', inventory, '--keep', '1', '--yes');
    assert.equal(again.code, 0, again.stdout + again.stderr);
    assert.match(again.stdout, /total: 3 unchanged/);
    const facts = (await gofleet('facts', '-i', inventory, '--json')).json();
    for (const h of facts.hosts) assert.deepEqual(h.managed.versions, ['go1.27.3']);
    for (const h of fleet.hosts) assert.equal(await goVersionOn(h), 'go1.27.3');
  });
});
