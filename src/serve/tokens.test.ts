import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GofleetError } from '../errors.ts';
import { openServeStore } from '../store/index.ts';
import { createToken, listTokens, revokeToken, tokenHash, verifyToken } from './tokens.ts';

function scratch(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'gofleet-tokens-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, 'gofleet.db');
}

const WHO = { actor: 'ops', at: 1_000 };
const code = (c: string) => (err: unknown) => err instanceof GofleetError && err.code === c;

test('a created token verifies as its name; the journal holds its hash, never the token', (t) => {
  const path = scratch(t);
  const store = openServeStore(path);
  t.after(() => store.close());
  const token = createToken(store, 'ci', WHO);
  assert.match(token, /^[A-Za-z0-9_-]{43}$/, '32 random bytes, base64url');
  assert.equal(verifyToken(store, token), 'ci');
  assert.deepEqual(store.listTokens(), [{ name: 'ci', sha256: tokenHash(token), created: 1_000 }]);
  store.close();
  const bytes = [path, `${path}-wal`].filter((f) => existsSync(f)).map((f) => readFileSync(f).toString('latin1')).join('');
  assert.ok(!bytes.includes(token), 'the token itself is nowhere in the journal files');
  assert.ok(bytes.includes(tokenHash(token)));
});

test('two tokens are different; a wrong, mangled or revoked token verifies as nobody', (t) => {
  const store = openServeStore(scratch(t));
  t.after(() => store.close());
  const a = createToken(store, 'ci', WHO);
  const b = createToken(store, 'ops-laptop', WHO);
  assert.notEqual(a, b);
  assert.equal(verifyToken(store, b), 'ops-laptop');
  assert.equal(verifyToken(store, a.slice(0, -1) + (a.endsWith('A') ? 'B' : 'A')), null);
  assert.equal(verifyToken(store, `${a} `), null);
  assert.equal(verifyToken(store, ''), null);
  revokeToken(store, 'ci', { actor: 'ops', at: 2_000 });
  assert.equal(verifyToken(store, a), null, 'revoked');
  assert.equal(verifyToken(store, b), 'ops-laptop');
  assert.deepEqual(listTokens(store), [{ name: 'ops-laptop', created: 1_000 }]);
  assert.deepEqual(store.listAudit().map((e) => [e.action, e.actor, e.source, e.detail]), [
    ['token-create', 'ops', 'cli', { name: 'ci' }],
    ['token-create', 'ops', 'cli', { name: 'ops-laptop' }],
    ['token-revoke', 'ops', 'cli', { name: 'ci' }],
  ]);
});

test('names are unique, plain and never "local"; revoking an unknown name says so', (t) => {
  const store = openServeStore(scratch(t));
  t.after(() => store.close());
  createToken(store, 'ci', WHO);
  assert.throws(() => createToken(store, 'ci', WHO), code('TOKEN_EXISTS'));
  for (const bad of ['', 'local', '-x', 'a b', 'x'.repeat(65), 'name\n']) assert.throws(() => createToken(store, bad, WHO), code('BAD_OPTION'), JSON.stringify(bad));
  assert.throws(() => revokeToken(store, 'nobody', WHO), code('TOKEN_NOT_FOUND'));
  assert.equal(store.listTokens().length, 1);
});
