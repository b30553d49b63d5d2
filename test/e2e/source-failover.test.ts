// --source A,B: the first source is down (connection refused), the second serves the archive; the upgrade installs,
// and the failover is reported in upgrade --json (`archives`), on the console and in the run journal (`show RUN`).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sshdSkip } from '../harness/sshd.ts';
import { startHttpSource, type HttpSource } from '../harness/http-source.ts';
import { closedPort, gofleet, goVersionOn, startUpgradeFleet, type UpgradeFleet } from './helpers.ts';
import { join } from 'node:path';

const skip = sshdSkip();
const FILE = 'go1.27.3.linux-amd64.tar.gz';

describe('--source failover over sshd hosts', { skip, timeout: 300_000 }, () => {
  let f: UpgradeFleet;
  let good: HttpSource;
  let dead: string;

  before(async () => {
    f = await startUpgradeFleet(1, 'failover', { toolchain: 'fake' });
    good = await startHttpSource(f.source, { basePath: '/golang/' });
    dead = `http://127.0.0.1:${await closedPort()}/golang/`;
  });
  after(async () => {
    await good?.close();
    await f?.stop();
  });

  test('upgrade with --source http://dead,http://good installs from good and records the failover', async () => {
    // the mirror's bytes are checked against an independent index: here the source directory itself (no network)
    const common = ['-i', f.inventory, '--state', f.state, '--cache-dir', join(f.work, 'cache'), '--checksum-source', f.source];
    const r = await gofleet('upgrade', ...common, '--to', '1.27.3', '--yes', '--json', '--source', `${dead},${good.url}`);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const doc = r.json();
    assert.deepEqual(doc.hosts.map((h: { status: string; to: string }) => [h.status, h.to]), [['upgraded', 'go1.27.3']]);
    assert.equal(await goVersionOn(f.hosts[0]!), 'go1.27.3');
    assert.equal(good.count(FILE), 1);
    const [archive] = doc.archives;
    assert.equal(archive.filename, FILE);
    assert.equal(archive.source, good.url);
    assert.deepEqual(archive.failover.map((s: { source: string; code: string }) => [s.source, s.code]), [[dead, 'SOURCE_UNAVAILABLE']]);
    assert.match(r.stderr, new RegExp(`go1\\.27\\.3 linux/amd64: ${dead.replace(/[.]/g, '\\.')} failed \\(SOURCE_UNAVAILABLE`));

    const shown = await gofleet('show', doc.run, '--state', f.state, '--json');
    assert.equal(shown.code, 0, shown.stderr);
    assert.deepEqual(shown.json().archives, doc.archives, 'the journal keeps what the run reported');
    const report = await gofleet('report', doc.run, '--state', f.state, '--format', 'html');
    assert.equal(report.code, 0, report.stderr);
    assert.match(report.stdout, /<h2 id="archives-h">Archives<\/h2>/);
    const text = await gofleet('show', doc.run, '--state', f.state);
    assert.match(text.stdout, new RegExp(`archive ${FILE.replace(/[.]/g, '\\.')} from ${good.url.replace(/[.]/g, '\\.')}, vouched by .*, failover: ${dead.replace(/[.]/g, '\\.')} \\(SOURCE_UNAVAILABLE\\)`));
  });
});
