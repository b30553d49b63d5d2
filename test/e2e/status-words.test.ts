// Honest status words, end to end (one real sshd host, small fake toolchains): `use` and `rollback` move among
// installed versions and say `switched`, a prune that removed versions says `pruned` (one with nothing to
// remove `unchanged`) — in the JSON document, the human summary, the journal and the reports.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHosts, sshdSkip, type Fleet, type SshdHost } from '../harness/sshd.ts';
import { fakeToolchainArchive } from '../harness/toolchains.ts';
import { fleetInventory, gofleet, goVersionOn, installManaged } from './helpers.ts';

const skip = sshdSkip();

describe('use, rollback and prune say what they did', { skip, timeout: 300_000 }, () => {
  let fleet: Fleet;
  let host: SshdHost;
  let inventory: string;
  const state = mkdtempSync(join(tmpdir(), 'gofleet-words-'));
  const env = ['--state', join(state, 'gofleet.db')];

  before(async () => {
    const [older, newer] = await Promise.all([fakeToolchainArchive('go1.26.8'), fakeToolchainArchive('go1.27.3')]);
    fleet = await startHosts(1);
    host = fleet.hosts[0] as SshdHost;
    // both installed side by side, go1.26.8 active
    await installManaged(host, newer);
    await installManaged(host, older);
    inventory = fleetInventory(fleet);
  });

  after(async () => {
    await fleet?.stop();
    rmSync(state, { recursive: true, force: true });
    rmSync(join(inventory, '..'), { recursive: true, force: true });
  });

  test('use: switched (JSON, journal, JUnit), exit 0', async () => {
    const r = await gofleet('use', '-i', inventory, 'go1.27.3', '--yes', '--json', ...env);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const [h] = r.json().hosts;
    assert.deepEqual([h.status, h.from, h.to], ['switched', 'go1.26.8', 'go1.27.3']);
    assert.equal(await goVersionOn(host), 'go1.27.3');
    const runs = (await gofleet('history', '--json', ...env)).json().runs;
    assert.deepEqual(runs[0].counts, { switched: 1 });
    const shown = (await gofleet('show', r.json().run, '--json', ...env)).json();
    assert.equal(shown.hosts[0].status, 'switched');
    const junit = await gofleet('report', r.json().run, '--format', 'junit', ...env);
    assert.match(junit.stdout, /tests="1" failures="0" errors="0" skipped="0"/);
  });

  test('rollback: switched in the human summary too', async () => {
    const r = await gofleet('rollback', '-i', inventory, '--yes', ...env);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /host-1 +go1\.27\.3 +go1\.26\.8 +switched /);
    assert.match(r.stdout, /^total: 1 switched$/m);
    assert.doesNotMatch(r.stdout + r.stderr, /upgraded/);
    assert.equal(await goVersionOn(host), 'go1.26.8');
  });

  test('prune: pruned when it removed a version, unchanged when nothing was left to remove', async () => {
    // prune keeps the newest N and the active one: on go1.27.3, go1.26.8 is the one to go
    assert.equal((await gofleet('use', '-i', inventory, 'go1.27.3', '--yes', ...env)).code, 0);
    const r = await gofleet('prune', '-i', inventory, '--keep', '1', '--yes', '--json', ...env);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const [h] = r.json().hosts;
    assert.deepEqual([h.status, h.removed], ['pruned', ['go1.26.8']]);
    const runs = (await gofleet('history', '--json', ...env)).json().runs;
    assert.deepEqual([runs[0].command, runs[0].counts], ['prune', { pruned: 1 }]);
    const html = await gofleet('report', r.json().run, '--format', 'html', ...env);
    assert.match(html.stdout, /class="badge st-pruned"><b class="ic">−<\/b> pruned</);
    const again = await gofleet('prune', '-i', inventory, '--keep', '1', '--yes', '--json', ...env);
    assert.equal(again.code, 0, again.stdout + again.stderr);
    assert.equal(again.json().hosts[0].status, 'unchanged');
    assert.equal(await goVersionOn(host), 'go1.27.3');
  });
});
