// `gofleet drift` against the fake Windows OpenSSH host (controller side, as windows-facts.test.ts): what only a
// Windows host reports becomes drift — GOTOOLCHAIN of a new logon, a stale machine GOROOT, another go on the user
// PATH — next to a host that complies.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { newWindowsMachine } from '../harness/fake-windows-host-model.ts';
import { GOROOT, useWindowsFleet } from './windows-fleet.ts';

const POLICY = `channels:
  stable: { track: "1.27", gotoolchain: local }
assign:
  - hosts: "*"
    channel: stable
`;

describe('drift on Windows hosts (fake host, controller side)', { timeout: 120_000 }, () => {
  const messy = newWindowsMachine({
    active: 'go1.27.3',
    facts: {
      goroot_machine: 'C:\\Go',
      go_installs: [`machine_path|${GOROOT}\\bin|go1.27.3|go.exe`, 'user_path|C:\\Users\\deploy\\sdk\\go1.20.1\\bin|go1.20.1|go.exe'],
    },
  });
  const clean = newWindowsMachine({ active: 'go1.27.3', facts: { gotoolchain_env: 'local' } });
  const fleet = useWindowsFleet({
    transport: 'ssh', prefix: 'gofleet-windrift-',
    hosts: [{ name: 'win-messy', machine: messy, installed: ['go1.27.3'] }, { name: 'win-clean', machine: clean, installed: ['go1.27.3'] }],
  });

  test('drift --json: the messy host is misconfigured with each reason, the clean one complies; exit 2', async () => {
    const policy = join(fleet.dir, 'policy.yaml');
    writeFileSync(policy, POLICY);
    const r = await fleet.run('drift', '--policy', policy, '--json', ...fleet.src());
    assert.equal(r.code, 2, r.stdout + r.stderr);
    const hosts = r.json().hosts as { name: string; status: string; active: string; reasons: string[] }[];
    const byName = new Map(hosts.map((h) => [h.name, h]));
    assert.deepEqual([byName.get('win-clean')?.status, byName.get('win-clean')?.reasons], ['compliant', []]);
    const m = byName.get('win-messy');
    assert.equal(m?.status, 'misconfigured');
    assert.equal(m?.active, 'go1.27.3');
    const reasons = m?.reasons ?? [];
    assert.equal(reasons.length, 3, JSON.stringify(reasons));
    assert.match(reasons[0]!, /^GOTOOLCHAIN unset \(go.env makes it auto\) where the policy says local/);
    assert.match(reasons[1]!, /^stale machine GOROOT=C:\\Go \(goroot is C:\\Program Files\\Go\)$/);
    assert.match(reasons[2]!, /^another go \(user_path\) at C:\\Users\\deploy\\sdk\\go1\.20\.1\\bin \(go1\.20\.1\)/);
  });
});
