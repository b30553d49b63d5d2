// loadVulnDb over the real testdata database: as a directory, a file:// URL, a loopback http URL, a bare ID/
// directory and a flat directory of records; and the failures, each naming the file.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { GofleetError } from '../errors.ts';
import { loadVulnDb } from './load.ts';

const DB = join(import.meta.dirname, 'testdata', 'vulndb');
const TOOLCHAIN_IDS = ['GO-2021-0068', 'GO-2021-0240', 'GO-2021-0264', 'GO-2022-0229', 'GO-2022-0273', 'GO-2022-0969'];
const tmp: string[] = [];
after(() => tmp.forEach((d) => rmSync(d, { recursive: true, force: true })));
function copyDb(): string {
  const d = mkdtempSync(join(tmpdir(), 'gofleet-vulndb-'));
  tmp.push(d);
  cpSync(DB, d, { recursive: true });
  return d;
}

async function rejects(p: Promise<unknown>, code: string, message: RegExp): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof GofleetError, String(err));
    assert.equal(err.code, code);
    assert.match(err.message, message);
    return true;
  });
}

describe('loadVulnDb', { timeout: 60_000 }, () => {
  let server: http.Server;
  let base = '';
  const requests: string[] = [];
  before(async () => {
    server = http.createServer((req, res) => {
      const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      requests.push(path);
      if (path.startsWith('/broken/')) return void res.writeHead(500).end('no');
      try {
        res.end(readFileSync(join(DB, path.replace(/^\/db\//, ''))));
      } catch {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => server.close());

  for (const [what, source] of [['a directory', () => DB], ['a file:// URL', () => pathToFileURL(DB).toString()], ['an http URL', () => `${base}/db`]] as const) {
    it(`reads ${what}: the stdlib and toolchain records only, with the index time`, async () => {
      requests.length = 0;
      const db = await loadVulnDb(source());
      assert.deepEqual(db.records.map((r) => r.id).sort(), TOOLCHAIN_IDS);
      assert.equal(db.modified, '2023-04-03T15:57:51Z');
      if (what === 'an http URL') assert.ok(!requests.includes('/db/ID/GO-2022-0463.json'), 'a module-only record is not fetched');
    });
  }

  it('reads a bare ID/ directory (no index) and a flat directory of records', async () => {
    const d = copyDb();
    rmSync(join(d, 'index'), { recursive: true });
    assert.deepEqual((await loadVulnDb(d)).records.map((r) => r.id).sort(), TOOLCHAIN_IDS);
    assert.deepEqual((await loadVulnDb(join(d, 'ID'))).records.map((r) => r.id).sort(), TOOLCHAIN_IDS);
    assert.equal((await loadVulnDb(d)).modified, null);
  });

  it('VULNDB_UNAVAILABLE: no such directory, an http error, an URL without an index', async () => {
    await rejects(loadVulnDb(join(tmpdir(), 'gofleet-no-such-vulndb')), 'VULNDB_UNAVAILABLE', /gofleet-no-such-vulndb is not a directory/);
    await rejects(loadVulnDb(`${base}/broken/`), 'VULNDB_UNAVAILABLE', /HTTP 500/);
    await rejects(loadVulnDb(`${base}/nothing/`), 'VULNDB_UNAVAILABLE', /has no index\/modules\.json/);
  });

  it('VULNDB_INVALID names the file: bad JSON, a record that is not OSV, a bad version, a listed record missing', async () => {
    const d = copyDb();
    writeFileSync(join(d, 'ID', 'GO-2021-0264.json'), '{"id": "GO-2021-0264", ');
    await rejects(loadVulnDb(d), 'VULNDB_INVALID', /ID\/GO-2021-0264\.json: not JSON/);
    writeFileSync(join(d, 'ID', 'GO-2021-0264.json'), '{"id": "GO-2021-0264"}');
    await rejects(loadVulnDb(d), 'VULNDB_INVALID', /ID\/GO-2021-0264\.json: not an OSV record/);
    const rec = JSON.parse(readFileSync(join(DB, 'ID', 'GO-2021-0264.json'), 'utf8'));
    rec.affected[0].ranges[0].events[1] = { fixed: '1.16.x' };
    writeFileSync(join(d, 'ID', 'GO-2021-0264.json'), JSON.stringify(rec));
    await rejects(loadVulnDb(d), 'VULNDB_INVALID', /ID\/GO-2021-0264\.json: affected\[0\]\.ranges\[0\]\.events\[1\]: "1\.16\.x" is not a Go release/);
    rmSync(join(d, 'ID', 'GO-2021-0264.json'));
    await rejects(loadVulnDb(d), 'VULNDB_INVALID', /ID\/GO-2021-0264\.json: listed in index\/modules\.json but missing/);
    writeFileSync(join(d, 'index', 'modules.json'), '{}');
    await rejects(loadVulnDb(d), 'VULNDB_INVALID', /index\/modules\.json: not a list/);
  });
});
