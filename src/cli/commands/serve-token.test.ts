// `gofleet serve token create|list|revoke` through the real command line, on a scratch journal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { registerServe, runCli } from '../program.ts';
import type { CliIo } from '../io.ts';
import { openServeStore } from '../../store/index.ts';
import { verifyToken } from '../../serve/tokens.ts';

function capture(): CliIo & { stdout: () => string; stderr: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  return { out: (s) => void out.push(s), err: (s) => void err.push(s), stdoutTty: false, stderrTty: false, stdout: () => out.join(''), stderr: () => err.join('') };
}

test('serve token: create prints the token once, list shows names only, revoke refuses it from then on', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'gofleet-serve-token-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const state = join(dir, 'gofleet.db');

  const created = capture();
  assert.equal(await runCli(['serve', 'token', 'create', 'ci', '--state', state], created), 0, created.stderr());
  const token = created.stdout().trim();
  assert.match(token, /^[A-Za-z0-9_-]{43}$/);
  assert.match(created.stderr(), /shown only this once/);
  assert.ok(!created.stderr().includes(token), 'the token goes to stdout only');

  const again = capture();
  assert.equal(await runCli(['serve', 'token', 'create', 'ci', '--state', state], again), 4);
  assert.match(again.stderr(), /error TOKEN_EXISTS/);

  const listed = capture();
  assert.equal(await runCli(['serve', 'token', 'list', '--json', '--state', state], listed), 0);
  const doc = JSON.parse(listed.stdout()) as { tokens: { name: string; created: string }[] };
  assert.deepEqual(doc.tokens.map((x) => x.name), ['ci']);
  assert.ok(!listed.stdout().includes(token));

  const store = openServeStore(state);
  t.after(() => store.close());
  assert.equal(verifyToken(store, token), 'ci');
  const revoked = capture();
  assert.equal(await runCli(['serve', 'token', 'revoke', 'ci', '--state', state], revoked), 0, revoked.stderr());
  assert.equal(verifyToken(store, token), null);
  const missing = capture();
  assert.equal(await runCli(['serve', 'token', 'revoke', 'ci', '--state', state], missing), 4);
  assert.match(missing.stderr(), /error TOKEN_NOT_FOUND/);
  assert.deepEqual(store.listAudit().map((e) => [e.action, e.source, e.detail]), [
    ['token-create', 'cli', { name: 'ci' }],
    ['token-revoke', 'cli', { name: 'ci' }],
  ]);
});

test('serve token list still reads --state and --json once `serve` itself has such options (the service mounted on it)', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'gofleet-serve-token-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const state = join(dir, 'gofleet.db');
  const store = openServeStore(state);
  store.addToken({ name: 'ci', sha256: 'a'.repeat(64), created: 0 });
  store.close();
  const io = capture();
  let code = -1;
  let served = false;
  const program = new Command('gofleet').exitOverride();
  registerServe(program, (c) => (code = c), io)
    .option('--state <file>')
    .option('--json')
    .action(() => void (served = true));
  await program.parseAsync(['serve', 'token', 'list', '--json', '--state', state], { from: 'user' });
  assert.equal(served, false);
  assert.equal(code, 0);
  assert.deepEqual((JSON.parse(io.stdout()) as { tokens: { name: string }[] }).tokens.map((x) => x.name), ['ci']);
});
