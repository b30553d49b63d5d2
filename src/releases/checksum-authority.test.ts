import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startHttpSource, type HttpSource } from '../../test/harness/http-source.ts';
import { fakeToolchainArchive, writeSourceDir, type FixtureArchive } from '../../test/harness/toolchains.ts';
import { GofleetError } from '../errors.ts';
import { vouchFor } from './checksum-authority.ts';
import { openOfficialSource } from './source-official.ts';
import { openUrlSource } from './source-url.ts';

const OTHER = 'e'.repeat(64);
const rejects = (code: string, ...parts: (string | RegExp)[]) => (e: unknown) => {
  assert.ok(e instanceof GofleetError, String(e));
  assert.equal(e.code, code, e.message);
  for (const p of parts) assert.match(e.message, typeof p === 'string' ? new RegExp(p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : p);
  return true;
};

describe('vouchFor', () => {
  let work: string;
  let good: FixtureArchive;
  let extra: FixtureArchive; // on the mirrors only, not in the index
  let official: HttpSource;
  let china: HttpSource;
  let down: HttpSource; // answers 503 to everything
  const servers: HttpSource[] = [];

  /** a flat mirror (no index.json) serving `archives` with these .sha256 bodies (null: none) */
  const mirror = async (name: string, sums: Record<string, string | null>, index?: Record<string, string>) => {
    const dir = join(work, name);
    const archives = [good, extra];
    writeSourceDir(dir, archives.map((a) => ({ ...a, sha256: index?.[a.filename] ?? a.sha256 })), { index: index !== undefined, sha256Files: false });
    for (const [file, body] of Object.entries(sums)) if (body !== null) writeFileSync(join(dir, `${file}.sha256`), body);
    const server = await startHttpSource(dir, { basePath: '/golang/', serveIndex: index !== undefined });
    servers.push(server);
    return openUrlSource(server.url);
  };

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'gofleet-vouch-'));
    good = await fakeToolchainArchive('go1.27.3');
    extra = await fakeToolchainArchive('go1.26.8');
    writeSourceDir(join(work, 'official'), [good], { index: true });
    official = await startHttpSource(join(work, 'official'));
    china = await startHttpSource(join(work, 'official'));
    down = await startHttpSource(join(work, 'official'));
    down.addFault({ path: /./, kind: 'status', status: 503 });
    servers.push(official, china, down);
  });
  after(async () => {
    await Promise.all(servers.map((s) => s.close()));
    rmSync(work, { recursive: true, force: true });
  });

  const idx = (s: HttpSource) => openOfficialSource({ baseUrl: s.url });

  it('a source that is its own authority: its index value, named', async () => {
    const got = await vouchFor(good.filename, { served: idx(official), independents: [] });
    assert.deepEqual(got, { sha256: good.sha256, authority: `the official index ${official.url}`, warnings: [] });
  });

  it('a flat mirror whose .sha256 agrees: the index vouches', async () => {
    const served = await mirror('agree', { [good.filename]: `${good.sha256.toUpperCase()}  ${good.filename}\n` });
    const got = await vouchFor(good.filename, { served, independents: [idx(official), idx(china)] });
    assert.deepEqual(got, { sha256: good.sha256, authority: `the official index ${official.url}`, warnings: [] });
  });

  it('a flat mirror whose .sha256 disagrees with the index: refused, naming both and both values', async () => {
    const served = await mirror('disagree', { [good.filename]: OTHER });
    await assert.rejects(
      vouchFor(good.filename, { served, independents: [idx(official)] }),
      rejects('SOURCE_CHECKSUM_DISAGREES', `${good.filename}.sha256 beside the file (${served.location})`, `the official index ${official.url}`, good.sha256, OTHER),
    );
  });

  it("a mirror's index.json entry that disagrees is refused too", async () => {
    const served = await mirror('bad-index', {}, { [good.filename]: OTHER });
    await assert.rejects(vouchFor(good.filename, { served, independents: [idx(official)] }), rejects('SOURCE_CHECKSUM_DISAGREES', `the index.json of ${served.location}`, OTHER));
  });

  it('a mirror without .sha256: the index alone vouches', async () => {
    const served = await mirror('none', {});
    assert.equal((await vouchFor(good.filename, { served, independents: [idx(official)] })).sha256, good.sha256);
  });

  it('a malformed mirror .sha256 with the index reachable: the index vouches, with a warning', async () => {
    const served = await mirror('malformed', { [good.filename]: 'not a digest\n' });
    const got = await vouchFor(good.filename, { served, independents: [idx(official)] });
    assert.equal(got.sha256, good.sha256);
    assert.match(got.warnings.join('\n'), /mirror's own checksum .* could not be read .*does not hold a SHA-256.*the official index/);
    await assert.rejects(vouchFor(good.filename, { served, independents: [idx(down)] }), rejects('SOURCE_UNAVAILABLE', 'does not hold a SHA-256'));
  });

  it("an index that answers without the file: CHECKSUM_MISSING, never the mirror's word", async () => {
    const served = await mirror('extra', { [extra.filename]: extra.sha256 });
    await assert.rejects(vouchFor(extra.filename, { served, independents: [idx(official), idx(china)] }), rejects('CHECKSUM_MISSING', extra.filename));
    assert.equal(china.requests.length, 0, 'the next index is not asked once one has answered');
  });

  it('the first index down: the next one vouches', async () => {
    const served = await mirror('failover', { [good.filename]: good.sha256 });
    const got = await vouchFor(good.filename, { served, independents: [idx(down), idx(china)] });
    assert.deepEqual(got, { sha256: good.sha256, authority: `the official index ${china.url}`, warnings: [] });
  });

  it("no index reachable: the mirror's own .sha256, with a warning saying so", async () => {
    const served = await mirror('alone', { [good.filename]: good.sha256 });
    const got = await vouchFor(good.filename, { served, independents: [idx(down), idx(down)] });
    assert.equal(got.sha256, good.sha256);
    assert.equal(got.authority, `${good.filename}.sha256 beside the file (${served.location})`);
    assert.equal(got.warnings.length, 1);
    assert.match(got.warnings[0] ?? '', /checked only against the mirror's own checksum.*no independent index was reachable.*503/);
  });

  it('no index reachable and no .sha256: CHECKSUM_MISSING whose hint names --sha256', async () => {
    const served = await mirror('nothing', {});
    await assert.rejects(vouchFor(good.filename, { served, independents: [idx(down)] }), (e: unknown) => {
      rejects('CHECKSUM_MISSING', 'no independent index was reachable')(e);
      assert.match((e as GofleetError).hint, /--sha256 FILE=HEX/);
      return true;
    });
  });

  describe('pinned (--sha256)', () => {
    it('agreeing with the index: the index vouches', async () => {
      const served = await mirror('pin-ok', { [good.filename]: good.sha256 });
      assert.equal((await vouchFor(good.filename, { served, independents: [idx(official)], pinned: good.sha256.toUpperCase() })).authority, `the official index ${official.url}`);
    });

    it('disagreeing with the index: refused, naming --sha256', async () => {
      const served = await mirror('pin-bad', {});
      await assert.rejects(vouchFor(good.filename, { served, independents: [idx(official)], pinned: OTHER }), rejects('SOURCE_CHECKSUM_DISAGREES', '--sha256', OTHER, good.sha256));
    });

    it('disagreeing with a source that is its own authority: refused', async () => {
      await assert.rejects(vouchFor(good.filename, { served: idx(official), independents: [], pinned: OTHER }), rejects('SOURCE_CHECKSUM_DISAGREES', '--sha256', 'the official index'));
    });

    it("no index reachable: the pin vouches, and must agree with the mirror's .sha256", async () => {
      const none = await mirror('pin-alone', {});
      assert.deepEqual(await vouchFor(good.filename, { served: none, independents: [idx(down)], pinned: good.sha256 }), { sha256: good.sha256, authority: '--sha256', warnings: [] });
      const other = await mirror('pin-vs-mirror', { [good.filename]: OTHER });
      await assert.rejects(vouchFor(good.filename, { served: other, independents: [idx(down)], pinned: good.sha256 }), rejects('SOURCE_CHECKSUM_DISAGREES', '--sha256', '.sha256 beside the file'));
    });

    it('an index that does not list the file: the pin vouches alone, with a note', async () => {
      const served = await mirror('pin-extra', { [extra.filename]: extra.sha256 });
      const got = await vouchFor(extra.filename, { served, independents: [idx(official)], pinned: extra.sha256 });
      assert.equal(got.authority, '--sha256');
      assert.match(got.warnings.join('\n'), /--sha256 vouches for it alone/);
    });
  });
});
