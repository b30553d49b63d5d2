// An old manual install (Debian's go1.19.8, pre-GOTOOLCHAIN) adopted and upgraded to go1.27.3, then switched
// back with `use` — verification (a real hello-world build) has to work on both ends of that range.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHosts, sshdSkip, type Fleet } from '../harness/sshd.ts';
import { toolchainArchive, writeSourceDir } from '../harness/toolchains.ts';
import { fleetInventory, gofleet, goVersionOn, installByHand } from './helpers.ts';

const skip = sshdSkip();

describe('go1.19.8 (a manual install) -> go1.27.3 and back', { skip, timeout: 400_000 }, () => {
  let fleet: Fleet;
  let work: string;
  let inventory: string;

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'gofleet-old-'));
    const [old, target] = await Promise.all([toolchainArchive('go1.19.8'), toolchainArchive('go1.27.3')]);
    writeSourceDir(join(work, 'src'), [old, target], { index: true });
    fleet = await startHosts(1);
    await installByHand(fleet.hosts[0]!, old);
    inventory = fleetInventory(fleet);
  });

  after(async () => {
    await fleet?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  test('facts see the old manual install', async () => {
    const h = (await gofleet('facts', '-i', inventory, '--json')).json().hosts[0];
    assert.equal(h.go.version, 'go1.19.8');
    assert.equal(h.goroot.state, 'dir');
    assert.equal(h.managed.active, null);
  });

  test('upgrade adopts go1.19.8 and installs go1.27.3', async () => {
    const r = await gofleet('upgrade', '-i', inventory, '--to', '1.27.3', '--yes', '--json', '--source', join(work, 'src'), '--cache-dir', join(work, 'cache'));
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const h = r.json().hosts[0];
    assert.deepEqual([h.status, h.from, h.to], ['upgraded', 'go1.19.8', 'go1.27.3']);
    assert.equal(await goVersionOn(fleet.hosts[0]!), 'go1.27.3');
  });

  test('use go1.19.8 switches back and verifies the old toolchain with a real build', async () => {
    const r = await gofleet('use', '-i', inventory, 'go1.19.8', '--yes', '--json');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const h = r.json().hosts[0];
    assert.deepEqual([h.status, h.from, h.to], ['switched', 'go1.27.3', 'go1.19.8']);
    assert.ok(h.steps.some((s: { step: string; status: string }) => s.step === 'verify' && s.status === 'ok'));
    assert.equal(await goVersionOn(fleet.hosts[0]!), 'go1.19.8');
  });
});
