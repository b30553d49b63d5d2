// vendor-dir: what changed under vendor/ (pure) and the snapshot it is computed from (a temp dir).
// The go command side (staleVendorFindings, go mod vendor) runs for real in test/e2e/repos-vendor.test.ts.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isVendored, snapshotVendor, vendorChanges } from './vendor-dir.ts';

test('vendorChanges: modules.txt by name, any other change as the vendor/ directory', () => {
  const before = new Map([['modules.txt', 'a'], ['example.com/x/x.go', '1'], ['example.com/y/y.go', '2']]);
  assert.deepEqual(vendorChanges('.', before, new Map(before)), []);
  assert.deepEqual(vendorChanges('.', before, new Map([...before, ['modules.txt', 'b']])), ['vendor/modules.txt']);
  const removed = new Map(before);
  removed.delete('example.com/y/y.go');
  assert.deepEqual(vendorChanges('svc', before, removed), ['svc/vendor/']);
  assert.deepEqual(vendorChanges('svc', before, new Map([...before, ['modules.txt', 'b'], ['example.com/z/z.go', '3']])), ['svc/vendor/modules.txt', 'svc/vendor/']);
  assert.deepEqual(vendorChanges('.', before, new Map([...before, ['example.com/x/x.go', 'changed']])), ['vendor/']);
});

test('snapshotVendor hashes every file under vendor/ by relative path; isVendored needs modules.txt', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'gofleet-vendor-'));
  try {
    assert.equal(isVendored(dir), false);
    assert.deepEqual(await snapshotVendor(dir), new Map());
    await mkdir(join(dir, 'vendor', 'example.com', 'x'), { recursive: true });
    assert.equal(isVendored(dir), false);
    await writeFile(join(dir, 'vendor', 'modules.txt'), '# example.com/x v1.0.0\n');
    await writeFile(join(dir, 'vendor', 'example.com', 'x', 'x.go'), 'package x\n');
    assert.equal(isVendored(dir), true);
    const a = await snapshotVendor(dir);
    assert.deepEqual([...a.keys()].sort(), ['example.com/x/x.go', 'modules.txt']);
    await writeFile(join(dir, 'vendor', 'example.com', 'x', 'x.go'), 'package x // changed\n');
    assert.deepEqual(vendorChanges('.', a, await snapshotVendor(dir)), ['vendor/']);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
