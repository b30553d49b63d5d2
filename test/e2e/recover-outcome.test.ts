// A connection lost while the host script is verifying: the script carries on by itself on the host, and the
// controller reconnects, waits for the script's lock to go, and reports what really happened on the host.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHosts, sshdSkip, type Fleet } from '../harness/sshd.ts';
import { startCutProxy, type CutProxy } from '../harness/tcp-cut-proxy.ts';
import { toolchainArchive, writeSourceDir } from '../harness/toolchains.ts';
import { execOn, fleetInventory, gofleet, goVersionOn, installManaged, tempFile, waitFor } from './helpers.ts';

const skip = sshdSkip();

describe('a connection lost during verification', { skip, timeout: 300_000 }, () => {
  let fleet: Fleet;
  let proxy: CutProxy;
  let work: string;

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'gofleet-recover-'));
    const [from, to] = await Promise.all([toolchainArchive('go1.26.8'), toolchainArchive('go1.27.3')]);
    writeSourceDir(join(work, 'src'), [from, to], { index: true });
    fleet = await startHosts(1);
    await installManaged(fleet.hosts[0]!, from);
    proxy = await startCutProxy({ targetPort: fleet.hosts[0]!.port });
  });

  after(async () => {
    await proxy?.close();
    await fleet?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  test('the host finishes the upgrade by itself and the controller reads the outcome back', async () => {
    const h = fleet.hosts[0]!;
    const knownHosts = await tempFile('known_hosts', `${readFileSync(fleet.knownHostsPath, 'utf8')}[127.0.0.1]:${proxy.port} ${h.hostKeyPub}\n`);
    const inventory = fleetInventory(fleet, [{ host: h, port: proxy.port, extra: `known_hosts: ${knownHosts}` }]);
    // cut every connection as soon as the host script is compiling its hello-world (after the switch)
    const cutter = waitFor(
      'the verify step on the host',
      async () => (await execOn(h, 'ls -d /usr/local/gofleet/versions/.gofleet/verify.* 2>/dev/null')).stdout.trim() !== '',
      { timeoutMs: 240_000, intervalMs: 100 },
    ).then(() => proxy.cutAll());
    const r = await gofleet('upgrade', '-i', inventory, '--to', 'go1.27.3', '--yes', '--json', '--source', join(work, 'src'), '--cache-dir', join(work, 'cache'));
    await cutter;
    assert.ok(proxy.cuts >= 1, 'the connection was cut');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const host = r.json().hosts[0];
    assert.equal(host.status, 'upgraded');
    assert.deepEqual([host.from, host.to], ['go1.26.8', 'go1.27.3']);
    assert.ok(host.warnings.some((w: string) => /read back from the host/.test(w)), JSON.stringify(host.warnings));
    const steps = host.steps.map((s: { step: string; status: string }) => `${s.step}:${s.status}`);
    assert.ok(steps.includes('recover:ok'), steps.join(' '));
    assert.ok(proxy.connections >= 2, 'the controller reconnected');
    assert.equal(await goVersionOn(h), 'go1.27.3');
    assert.equal((await execOn(h, 'test -d /usr/local/gofleet/versions/.gofleet/lock && echo held || echo free')).stdout.trim(), 'free');
  });
});
