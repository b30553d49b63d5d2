// Which independent indexes vouch for the main source's files (releases/checksum-authority.ts).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { lazySources } from './release-sources.ts';

const dir = mkdtempSync(join(tmpdir(), 'gofleet-sources-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const hooks = { officialBaseUrl: 'http://127.0.0.1:9/official/', chinaBaseUrl: 'http://127.0.0.1:9/china/' };
const where = async (s: ReturnType<typeof lazySources>) => (await s.independents()).map((x) => `${x.kind} ${x.location}`);

describe('lazySources independents', () => {
  it('a mirror URL: the official index, then China', async () => {
    assert.deepEqual(await where(lazySources({ source: 'http://127.0.0.1:9/golang/' }, hooks)), [
      'official http://127.0.0.1:9/official/',
      'official http://127.0.0.1:9/china/',
    ]);
  });

  it('--checksum-source: that one alone; `same`: none', async () => {
    assert.deepEqual(await where(lazySources({ source: 'http://127.0.0.1:9/golang/', checksumSource: dir }, hooks)), [`dir ${dir}`]);
    assert.deepEqual(await where(lazySources({ source: 'http://127.0.0.1:9/golang/', checksumSource: 'same' }, hooks)), []);
  });

  it('their own authority: the official site, China, a directory', async () => {
    for (const source of ['official', 'china', dir]) assert.deepEqual(await where(lazySources({ source }, hooks)), [], source);
  });
});
