// The zip writer read back by Info-ZIP `unzip`, Python's zipfile (CRC checked) and yauzl (our reader); same
// input -> same bytes; stored when deflate does not pay; the CRC-32 fallback table against the known check value.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import yauzl from 'yauzl';
import { tableCrc32, writeZip, type ZipInput } from './zip-writer.ts';

function inputs(dir: string, files: Record<string, Buffer | string>): ZipInput[] {
  return Object.entries(files).map(([name, data], i) => {
    const path = join(dir, `f${i}`);
    writeFileSync(path, data);
    return { name, path };
  });
}

/** name -> [method, bytes] as yauzl reads them. */
async function readBack(path: string): Promise<Map<string, [number, Buffer]>> {
  const zip = await yauzl.openPromise(path, { lazyEntries: true, autoClose: false, strictFileNames: true, validateEntrySizes: true });
  const out = new Map<string, [number, Buffer]>();
  for (;;) {
    const e = await new Promise<yauzl.Entry | null>((resolve, reject) => {
      zip.once('entry', resolve).once('end', () => resolve(null)).once('error', reject);
      zip.readEntry();
    });
    zip.removeAllListeners('entry').removeAllListeners('end').removeAllListeners('error');
    if (!e) break;
    const chunks: Buffer[] = [];
    for await (const c of await zip.openReadStreamPromise(e)) chunks.push(c as Buffer);
    out.set(e.fileName, [e.compressionMethod, Buffer.concat(chunks)]);
  }
  zip.close();
  return out;
}

test('written zips read back by unzip, python zipfile and yauzl, names sorted, contents equal', { timeout: 30_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gofleet-zipw-'));
  const files = {
    'go/VERSION': 'go1.99.1\ntime 2026-10-02T20:28:03Z\n',
    'go/bin/go.exe': randomBytes(70_000),
    'go/src/go.mod': 'module std\n'.repeat(200),
    'go/lib/time/zoneinfo ü.txt': '',
  };
  const out = join(dir, 'out.zip');
  const size = await writeZip(out, inputs(dir, files));
  assert.equal(size, readFileSync(out).length);
  execFileSync('unzip', ['-tq', out]);
  const listed = execFileSync('python3', ['-c', 'import sys,zipfile;z=zipfile.ZipFile(sys.argv[1]);assert z.testzip() is None;print("\\n".join(z.namelist()))', out], { encoding: 'utf8' });
  assert.deepEqual(listed.trim().split('\n'), Object.keys(files).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))));
  const back = await readBack(out);
  for (const [name, data] of Object.entries(files)) assert.deepEqual(back.get(name)?.[1], Buffer.from(data), name);
  assert.equal(back.get('go/bin/go.exe')?.[0], 0, 'random bytes are stored, not deflated');
  assert.equal(back.get('go/src/go.mod')?.[0], 8, 'text is deflated');
});

test('the same files in another order give the same bytes', { timeout: 30_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gofleet-zipw-'));
  const list = inputs(dir, { 'go/b': 'b'.repeat(999), 'go/a/x': 'x', 'go/a.txt': 'a' });
  await writeZip(join(dir, '1.zip'), list);
  await writeZip(join(dir, '2.zip'), [...list].reverse());
  assert.deepEqual(readFileSync(join(dir, '1.zip')), readFileSync(join(dir, '2.zip')));
});

test('the fallback CRC-32 gives the standard check value', () => {
  assert.equal(tableCrc32(Buffer.from('123456789')), 0xcbf43926);
  assert.equal(tableCrc32(Buffer.alloc(0)), 0);
});
