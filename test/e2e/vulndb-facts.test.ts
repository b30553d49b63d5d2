// `facts --vulndb` over one real sshd host (issue 13), with the testdata database (real OSV records, see
// src/vulndb/testdata/README.md) given as a file:// URL: first the host has no go (not checked, `vulns: null`),
// then a toolchain reporting go1.17.2 (two known vulnerabilities, fixed for both in go1.18.6); a broken database
// fails before any host is contacted with VULNDB_INVALID naming the file.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startHosts, sshdSkip, type Fleet, type SshdHost } from '../harness/sshd.ts';
import { fakeToolchainArchive } from '../harness/toolchains.ts';
import { execOn, fleetInventory, gofleet, installByHand } from './helpers.ts';

const skip = sshdSkip();
const DB = join(import.meta.dirname, '..', '..', 'src', 'vulndb', 'testdata', 'vulndb');

interface HostJson {
  name: string;
  go: { version: string } | null;
  vulns: Array<{ id: string; aliases: string[]; summary: string; fixed: string | null }> | null;
  vulns_fixed_in: string | null;
}

describe('facts --vulndb over a real host', { skip, timeout: 180_000 }, () => {
  let fleet: Fleet;
  let host: SshdHost;
  let inventory: string;
  const url = pathToFileURL(DB).toString();

  before(async () => {
    fleet = await startHosts(1);
    host = fleet.hosts[0] as SshdHost;
    inventory = fleetInventory(fleet);
    await execOn(host, 'rm -rf /usr/local/go /usr/local/bin/go');
  });
  after(async () => {
    await fleet?.stop();
  });

  test('a host without go is not checked (vulns: null), in JSON and in words', async () => {
    const r = await gofleet('facts', '-i', inventory, '--json', '--vulndb', url);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const doc = r.json<{ vulndb: { source: string; records: number }; hosts: HostJson[] }>();
    assert.equal(doc.vulndb.records, 6);
    assert.equal(doc.hosts[0]?.go, null);
    assert.equal(doc.hosts[0]?.vulns, null);
    const text = await gofleet('facts', '-i', inventory, '--vulndb', url);
    assert.match(text.stdout, /host-1 +not checked \(no go toolchain gofleet can match\)/);
  });

  test('go1.17.2: the two records that affect it, each with its first fix, and the one version fixing both', async () => {
    await installByHand(host, await fakeToolchainArchive('go1.17.2'));
    const r = await gofleet('facts', '-i', inventory, '--json', '--vulndb', url);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const [h] = r.json<{ hosts: HostJson[] }>().hosts;
    assert.equal(h?.go?.version, 'go1.17.2');
    assert.deepEqual(h?.vulns?.map((v) => [v.id, v.aliases[0], v.fixed]), [['GO-2021-0264', 'CVE-2021-41772', 'go1.17.3'], ['GO-2022-0969', 'CVE-2022-27664', 'go1.18.6']]);
    assert.match(h?.vulns?.[1]?.summary ?? '', /^HTTP\/2 server connections can hang forever/);
    assert.equal(h?.vulns_fixed_in, 'go1.18.6');
    const text = await gofleet('facts', '-i', inventory, '--vulndb', url);
    assert.equal(text.code, 0);
    assert.match(text.stdout, /host-1 +go1\.17\.2: 2 known vulnerabilities, fixed in go1\.18\.6 \(GO-2021-0264, GO-2022-0969\)/);
  });

  test('drift --vulndb: the host off its pin, with the vulnerabilities that make it matter (JSON and words)', async () => {
    const policy = join(mkdtempSync(join(tmpdir(), 'gofleet-vulndb-policy-')), 'policy.yaml');
    writeFileSync(policy, 'channels:\n  fixed: { pin: go1.18.6 }\nassign:\n  - { hosts: "*", channel: fixed }\n');
    const r = await gofleet('drift', '-i', inventory, '--policy', policy, '--json', '--vulndb', url);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    const doc = r.json<{ vulndb: { records: number }; hosts: (HostJson & { status: string; active: string; wanted: string })[] }>();
    assert.equal(doc.vulndb.records, 6);
    const [h] = doc.hosts;
    assert.deepEqual([h?.status, h?.active, h?.wanted, h?.vulns_fixed_in], ['off_pin', 'go1.17.2', 'go1.18.6', 'go1.18.6']);
    assert.deepEqual(h?.vulns?.map((v) => v.id), ['GO-2021-0264', 'GO-2022-0969']);
    const text = await gofleet('drift', '-i', inventory, '--policy', policy, '--vulndb', url);
    assert.equal(text.code, 2);
    assert.match(text.stdout, /host-1 +go1\.17\.2: 2 known vulnerabilities, fixed in go1\.18\.6/);
    const plain = await gofleet('drift', '-i', inventory, '--policy', policy, '--json');
    assert.equal('vulns' in (plain.json<{ hosts: object[] }>().hosts[0] ?? {}), false, 'no --vulndb: no vulns field');
  });

  test('a malformed record: VULNDB_INVALID naming the file, exit 4, and no host contacted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gofleet-vulndb-bad-'));
    try {
      cpSync(DB, dir, { recursive: true });
      writeFileSync(join(dir, 'ID', 'GO-2022-0969.json'), '{"id": ');
      const connections = host.connectionCount();
      const r = await gofleet('facts', '-i', inventory, '--json', '--vulndb', dir);
      assert.equal(r.code, 4, r.stdout + r.stderr);
      const err = r.json<{ error: { code: string; message: string; hint: string } }>().error;
      assert.equal(err.code, 'VULNDB_INVALID');
      assert.match(err.message, /ID\/GO-2022-0969\.json: not JSON/);
      assert.match(err.hint, /vuln\.go\.dev/);
      assert.equal(host.connectionCount(), connections);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
