// Host key types through the CLI against a real sshd (issue 8): a host known_hosts lists with an ed25519 key
// that now offers only RSA is refused as a host-key problem (exit 3), with --accept-new-host-keys too, and
// known_hosts keeps exactly what it had. Without the flag the refusal says the host is known with another key
// type (not "not in known_hosts") and how to verify the offered key.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { startHosts, sshdSkip, type Fleet, type SshdHost } from '../harness/sshd.ts';
import { fleetInventory, gofleet, tempFile } from './helpers.ts';

const skip = sshdSkip();

interface FactsJson {
  hosts: Array<{ name: string; reachable: boolean; error: { code: string; message: string; hint: string } | null }>;
}

describe('a known host that changes its key type', { skip, timeout: 120_000 }, () => {
  let fleet: Fleet;
  let host: SshdHost;
  let knownHosts: string;
  let inventory: string;
  let line: string;

  before(async () => {
    fleet = await startHosts(1, { hostKeyTypes: ['rsa'] });
    host = fleet.hosts[0] as SshdHost;
    const keyDir = dirname(await tempFile('placeholder', ''));
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', `${keyDir}/old_host_key`]);
    const [type, key] = readFileSync(`${keyDir}/old_host_key.pub`, 'utf8').trim().split(/\s+/);
    line = `[127.0.0.1]:${host.port} ${type} ${key}\n`;
    knownHosts = await tempFile('known_hosts', line);
    inventory = fleetInventory(fleet, [{ host, extra: `known_hosts: ${knownHosts}` }]);
  });
  after(async () => {
    await fleet?.stop();
    for (const p of [knownHosts, inventory]) if (p) rmSync(dirname(p), { recursive: true, force: true });
  });

  for (const flag of [['--accept-new-host-keys'], []]) {
    test(`facts ${flag.join(' ') || '(no flag)'}: HOST_KEY_TYPE_MISMATCH, exit 3, one connection, known_hosts unchanged`, async () => {
      const connections = host.connectionCount();
      const r = await gofleet('facts', '-i', inventory, '--json', ...flag);
      assert.equal(r.code, 3, r.stdout + r.stderr);
      const [h] = r.json<FactsJson>().hosts;
      assert.equal(h?.reachable, false);
      assert.equal(h?.error?.code, 'HOST_KEY_TYPE_MISMATCH', JSON.stringify(h));
      assert.doesNotMatch(h?.error?.message ?? '', /not in/);
      assert.match(h?.error?.message ?? '', /known in .* with a ssh-ed25519 key only, but it presented a ssh-rsa key SHA256:/);
      assert.match(h?.error?.hint ?? '', /ssh-keyscan -p \d+ -t rsa 127\.0\.0\.1 \| ssh-keygen -lf -/);
      assert.equal(host.connectionCount() - connections, 1, 'a host-key refusal is never retried');
      assert.equal(readFileSync(knownHosts, 'utf8'), line);
    });
  }

  test('the human output says the host is known with another key type, not "not in known_hosts"', async () => {
    const r = await gofleet('facts', '-i', inventory);
    assert.equal(r.code, 3);
    const text = r.stdout + r.stderr;
    assert.doesNotMatch(text, /not in/);
    assert.match(text, /HOST_KEY_TYPE_MISMATCH: \[127\.0\.0\.1\]:\d+ is known in .* with a ssh-ed25519 key/);
    assert.equal(readFileSync(knownHosts, 'utf8'), line);
  });
});
