// --distribution pull / auto end to end (issue 12): real sshd hosts, real toolchains (go1.26.8 installed by
// hand -> go1.27.3), the real CLI and a loopback HTTP source the hosts download from themselves.
// host-3's sessions get an http_proxy pointing at a dead port (sshd SetEnv): its curl cannot reach the source,
// like a host behind a broken corporate proxy, while the controller reaches it directly.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHosts, sshdSkip, type Fleet, type SshdHost } from '../harness/sshd.ts';
import { startHttpSource, type HttpSource } from '../harness/http-source.ts';
import { toolchainArchive, writeSourceDir, type FixtureArchive } from '../harness/toolchains.ts';
import { execOn, fleetInventory, gofleet, goVersionOn, installByHand } from './helpers.ts';

const skip = sshdSkip();
const CACHE = '/usr/local/gofleet/versions/.gofleet/cache';

interface HostDoc {
  name: string;
  status: string;
  error: { code: string } | null;
  delivery?: string;
  delivery_reason?: string;
  steps: { step: string; status: string; code: string | null }[];
}

describe('--distribution pull and auto over real sshd hosts', { skip, timeout: 900_000 }, () => {
  let fleet: Fleet;
  let source: HttpSource;
  let inventory: string;
  let cacheDir: string;
  let to: FixtureArchive;
  let stateDb: string;
  let sumsDir: string;
  const hostAt = (i: number): SshdHost => fleet.hosts[i] as SshdHost;
  // bytes from the HTTP mirror, checksums from an independent source (the same files as a local directory)
  const common = (): string[] => ['--source', source.url, '--checksum-source', sumsDir, '--cache-dir', cacheDir];
  const upgrade = async (limit: string, distribution: string) => {
    const r = await gofleet('upgrade', '-i', inventory, '--to', 'go1.27.3', '--limit', limit, '--distribution', distribution, '--yes', '--json', '--state', stateDb, ...common());
    return { r, doc: r.json() as { run: string; hosts: HostDoc[] } };
  };
  const archiveGets = () => source.requests.filter((q) => q.method === 'GET' && q.path.endsWith(to.filename));

  before(async () => {
    const [from, target] = await Promise.all([toolchainArchive('go1.26.8'), toolchainArchive('go1.27.3')]);
    to = target;
    const dir = mkdtempSync(join(tmpdir(), 'gofleet-src-'));
    writeSourceDir(dir, [from, to], { index: true });
    source = await startHttpSource(dir);
    sumsDir = dir;
    cacheDir = mkdtempSync(join(tmpdir(), 'gofleet-cache-'));
    stateDb = join(mkdtempSync(join(tmpdir(), 'gofleet-state-')), 'gofleet.db');
    fleet = await startHosts(3, { hosts: [{}, {}, { env: { http_proxy: 'http://127.0.0.1:1' } }] });
    await Promise.all(fleet.hosts.map((h) => installByHand(h, from)));
    inventory = fleetInventory(fleet);
  });

  after(async () => {
    await fleet?.stop();
    await source?.close();
  });

  test('plan --distribution auto: each host probes the source; pull where it answers, push where it does not', async () => {
    const r = await gofleet('plan', '-i', inventory, '--to', 'go1.27.3', '--distribution', 'auto', '--json', ...common());
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const hosts = r.json().waves.flatMap((w: { hosts: HostDoc[] }) => w.hosts) as HostDoc[];
    assert.deepEqual(hosts.map((h) => [h.name, h.delivery]), [['host-1', 'pull'], ['host-2', 'pull'], ['host-3', 'push']]);
    assert.match(hosts[2]?.delivery_reason ?? '', /does not reach the source/);
    assert.equal(archiveGets().length, 0, 'a plan downloads nothing');
    const text = await gofleet('plan', '-i', inventory, '--to', 'go1.27.3', '--distribution', 'auto', ...common());
    assert.match(text.stdout, /delivery/);
  });

  test('pull: the host downloads the archive itself; the controller neither downloads nor uploads it', async () => {
    const { r, doc } = await upgrade('host-1', 'pull');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const [h] = doc.hosts;
    assert.equal(h?.status, 'upgraded', JSON.stringify(h));
    assert.equal(h?.delivery, 'pull');
    const steps = h?.steps.map((s) => `${s.step}:${s.status}`) ?? [];
    assert.ok(steps.includes('pull:ok'), steps.join(' '));
    assert.equal(steps.some((s) => s.startsWith('upload') || s.startsWith('download')), false, steps.join(' '));
    assert.equal(archiveGets().length, 1, 'one GET of the archive: the host\'s');
    assert.deepEqual(readdirSync(cacheDir).filter((n) => n.includes(to.filename)), [], 'nothing in the controller cache');
    assert.equal(await goVersionOn(hostAt(0)), 'go1.27.3');
    const show = await gofleet('show', doc.run, '--json', '--state', stateDb);
    assert.equal(show.json().hosts[0].delivery, 'pull', show.stdout);
  });

  test('auto resumes a partial download left on the host (a Range request), then installs', async () => {
    const half = Math.floor(to.size / 2);
    const put = await execOn(hostAt(1), `mkdir -p ${CACHE} && head -c ${half} > ${CACHE}/${to.filename}.partial && wc -c < ${CACHE}/${to.filename}.partial`, readFileSync(to.path));
    assert.equal(put.stdout.trim(), String(half), put.stderr);
    const before = archiveGets().length;
    const { r, doc } = await upgrade('host-2', 'auto');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(doc.hosts[0]?.delivery, 'pull', JSON.stringify(doc.hosts[0]));
    const gets = archiveGets().slice(before);
    assert.deepEqual(gets.map((q) => q.range), [`bytes=${half}-`]);
    assert.equal(gets[0]?.bytes, to.size - half, 'only the rest was sent');
    assert.equal(await goVersionOn(hostAt(1)), 'go1.27.3');
  });

  test('explicit pull on a host that cannot reach the source: PULL_FAILED, still on its old working go', async () => {
    const { r, doc } = await upgrade('host-3', 'pull');
    assert.notEqual(r.code, 0);
    const [h] = doc.hosts;
    assert.equal(h?.status, 'failed', JSON.stringify(h));
    assert.equal(h?.error?.code, 'PULL_FAILED');
    assert.equal(await goVersionOn(hostAt(2)), 'go1.26.8');
  });

  test('auto on that host: the probe fails, the archive is pushed, the host upgraded', async () => {
    const { r, doc } = await upgrade('host-3', 'auto');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const [h] = doc.hosts;
    assert.equal(h?.status, 'upgraded', JSON.stringify(h));
    assert.equal(h?.delivery, 'push');
    assert.match(h?.delivery_reason ?? '', /does not reach the source/);
    assert.ok(h?.steps.some((s) => s.step === 'upload' && s.status === 'ok'));
    assert.equal(await goVersionOn(hostAt(2)), 'go1.27.3');
  });
});
