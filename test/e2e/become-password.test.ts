// Become with a sudo password, end to end: a real sshd host whose deploy user's sudo asks for a password
// (deploySudo: 'password'). The password comes from the inventory (become_password: ${env:NAME}), goes to
// `sudo -S` as the first line of the script's stdin (sudo-command.ts) and never appears in the console,
// the JSON, the journal or the run log. A wrong one is BECOME_FAILED with the host untouched.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { startHosts, sshdSkip, type Fleet, type SshdHost } from '../harness/sshd.ts';
import { fakeToolchainArchive, writeSourceDir } from '../harness/toolchains.ts';
import { execOn, fleetInventory, gofleet, installByHand, snapshotHost } from './helpers.ts';

const skip = sshdSkip();

interface HostJson {
  name: string;
  status: string;
  to: string | null;
  error: { code: string; message: string } | null;
}

describe('become with a sudo password (deploySudo: password)', { skip, timeout: 600_000 }, () => {
  let fleet: Fleet;
  let host: SshdHost;
  let source: string;
  let inventory: string;

  before(async () => {
    const [from, to] = await Promise.all([fakeToolchainArchive('go1.26.8'), fakeToolchainArchive('go1.27.3')]);
    source = mkdtempSync(join(tmpdir(), 'gofleet-src-'));
    writeSourceDir(source, [to]);
    fleet = await startHosts(1, { hosts: [{ deploySudo: 'password' }] });
    host = fleet.hosts[0] as SshdHost;
    await installByHand(host, from);
    inventory = fleetInventory(fleet, [{ host, extra: 'user: deploy, become: true, become_password: "${env:GF_TEST_BECOME_PW}"' }]);
  });
  after(() => fleet?.stop());

  const upgrade = () => gofleet('upgrade', '-i', inventory, '--to', 'go1.27.3', '--yes', '--json', '--source', source, '--cache-dir', join(source, 'cache'), '--log-level', 'debug');
  const hostOf = (stdout: string): HostJson => (JSON.parse(stdout) as { hosts: HostJson[] }).hosts[0]!;

  test('a wrong become password: BECOME_FAILED, host untouched', async () => {
    process.env.GF_TEST_BECOME_PW = 'not-the-password';
    const before = await snapshotHost(host);
    const r = await upgrade();
    assert.equal(r.code, 2, r.stdout + r.stderr);
    const h = hostOf(r.stdout);
    assert.deepEqual([h.status, h.error?.code], ['failed', 'BECOME_FAILED'], JSON.stringify(h));
    assert.deepEqual(await snapshotHost(host), before);
  });

  test('the right one: facts show sudo asks, the upgrade runs as root through sudo -S; the password is written nowhere', async () => {
    const password = host.deployPassword;
    process.env.GF_TEST_BECOME_PW = password;
    const r = await upgrade();
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const h = hostOf(r.stdout);
    assert.deepEqual([h.status, h.to], ['upgraded', 'go1.27.3'], JSON.stringify(h));
    const owner = await execOn(host, 'stat -c %U /usr/local/gofleet/versions/go1.27.3');
    assert.equal(owner.stdout.trim(), 'root');
    assert.ok(!(r.stdout + r.stderr).includes(password), 'password on the console');
    const stateDir = dirname(process.env.GOFLEET_STATE!);
    for (const f of readdirSync(stateDir, { recursive: true, withFileTypes: true })) {
      if (f.isFile()) assert.ok(!readFileSync(join(f.parentPath, f.name)).includes(password), `password in ${f.name}`);
    }
  });
});
