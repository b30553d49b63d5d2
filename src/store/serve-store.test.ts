import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openServeStore } from './serve-store.ts';

function scratch(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'gofleet-serve-store-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, 'gofleet.db');
}

const HASH = 'a'.repeat(64);

test('tokens: added once per name, listed without anything but name, hash and time, removed', (t) => {
  const store = openServeStore(scratch(t));
  t.after(() => store.close());
  assert.equal(store.addToken({ name: 'ci', sha256: HASH, created: 10 }), true);
  assert.equal(store.addToken({ name: 'ci', sha256: 'b'.repeat(64), created: 11 }), false, 'a second token of the same name is refused');
  assert.equal(store.addToken({ name: 'ops', sha256: 'c'.repeat(64), created: 12 }), true);
  assert.deepEqual(store.listTokens(), [{ name: 'ci', sha256: HASH, created: 10 }, { name: 'ops', sha256: 'c'.repeat(64), created: 12 }]);
  assert.equal(store.removeToken('ci'), true);
  assert.equal(store.removeToken('ci'), false);
  assert.deepEqual(store.listTokens().map((x) => x.name), ['ops']);
});

test('audit: entries come back oldest first, per run, the last N', (t) => {
  const path = scratch(t);
  const store = openServeStore(path);
  store.appendAudit({ at: 1, actor: 'ops', source: 'cli', action: 'token-create', detail: { name: 'ci' } });
  store.appendAudit({ at: 2, actor: 'ci', source: '10.0.0.5', action: 'approve', run: 'r1', wave: 2 });
  store.appendAudit({ at: 3, actor: 'ci', source: '10.0.0.5', action: 'stop', run: 'r1', wave: 3, detail: { note: 'x' } });
  store.close();
  const again = openServeStore(path);
  t.after(() => again.close());
  assert.deepEqual(
    again.listAudit().map((e) => [e.seq, e.at, e.actor, e.source, e.action, e.run, e.wave, e.detail]),
    [
      [1, 1, 'ops', 'cli', 'token-create', null, null, { name: 'ci' }],
      [2, 2, 'ci', '10.0.0.5', 'approve', 'r1', 2, {}],
      [3, 3, 'ci', '10.0.0.5', 'stop', 'r1', 3, { note: 'x' }],
    ],
  );
  assert.deepEqual(again.listAudit({ run: 'r1', limit: 1 }).map((e) => e.action), ['stop']);
  assert.deepEqual(again.listAudit({ run: 'other' }), []);
});
