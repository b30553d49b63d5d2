import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ERROR_CODES, GofleetError, asGofleetError, errorPolicy, redact, redactCut, registerSecret } from './errors.ts';

test('every code has a hint and a kind', () => {
  for (const [code, info] of Object.entries(ERROR_CODES)) {
    assert.match(code, /^[A-Z][A-Z0-9_]+$/);
    assert.ok(info.hint.length > 10, `${code} needs a useful hint`);
  }
});

test('hints are distinct so users can tell errors apart', () => {
  const hints = Object.values(ERROR_CODES).map((c) => c.hint);
  assert.equal(new Set(hints).size, hints.length);
});

test('secrets are redacted from messages and hints in the constructor', () => {
  registerSecret('hunter2-secret');
  const err = new GofleetError('AUTH_FAILED', 'login with hunter2-secret failed', { hint: 'not hunter2-secret' });
  assert.equal(err.message, 'login with *** failed');
  assert.equal(err.hint, 'not ***');
  assert.equal(redact('x hunter2-secret y hunter2-secret'), 'x *** y ***');
  assert.doesNotMatch(JSON.stringify(err), /hunter2/);
});

test('policy: auth and integrity never retry, unreachable does', () => {
  assert.deepEqual(errorPolicy('HOST_UNREACHABLE'), { retry: true, exitCode: 3 });
  assert.equal(errorPolicy('AUTH_FAILED').retry, false);
  assert.equal(errorPolicy('HOST_KEY_CHANGED').retry, false);
  assert.equal(errorPolicy('CHECKSUM_MISMATCH').retry, false);
  assert.equal(errorPolicy('INVENTORY_PARSE').exitCode, 4);
  assert.equal(errorPolicy('BAD_OPTION').exitCode, 5);
  assert.equal(errorPolicy('VERIFY_FAILED').exitCode, 2);
});

test('unknown errors become INTERNAL with the cause kept', () => {
  const cause = new Error('weird');
  const err = asGofleetError(cause);
  assert.equal(err.code, 'INTERNAL');
  assert.equal(err.cause, cause);
  const same = new GofleetError('DISK_FULL', 'full');
  assert.equal(asGofleetError(same), same);
});

test('redactCut: a secret cut at the start or the end of a text (a host kept only a tail) is hidden too', () => {
  const secret = 'Qm7vTz2Kp9Lx4Wc8Rb1Nh6Yd3Fs5Gj0AeUoIiXyZt'; // 42 characters
  registerSecret(secret);
  // the host kept the last 15 characters of the secret
  assert.equal(redactCut(`${secret.slice(-15)} and then yyy`), '*** and then yyy');
  assert.equal(redact(`${secret.slice(-15)} and then yyy`), `${secret.slice(-15)} and then yyy`, 'plain redact misses it');
  // after a cut multi-byte character or an ellipsis; a head at the end; whole secrets as well
  assert.equal(redactCut(`\uFFFD${secret.slice(-6)}: rest`), '\uFFFD***: rest');
  assert.equal(redactCut(`\u2026${secret.slice(-20)}`), '\u2026***');
  assert.equal(redactCut(`output ${secret.slice(0, 9)}`), 'output ***');
  assert.equal(redactCut(`${secret.slice(-30)} middle ${secret} end ${secret.slice(0, 7)}`), '*** middle *** end ***');
  // 5 characters or fewer, or a piece that is not at an edge, is left as it is
  assert.equal(redactCut(`${secret.slice(-5)} x`), `${secret.slice(-5)} x`);
  assert.equal(redactCut(`x ${secret.slice(-15)} x`), `x ${secret.slice(-15)} x`);
});

test('hints point at documents and commands that exist: docs/design.md (not DESIGN.md); groups and tags come from `gofleet inventory`', () => {
  const root = fileURLToPath(new URL('..', import.meta.url));
  for (const [code, { hint }] of Object.entries(ERROR_CODES)) {
    assert.doesNotMatch(hint, /DESIGN\.md/, `${code}: DESIGN.md is not in the repository`);
    for (const [, doc] of hint.matchAll(/\b(docs\/[\w.-]+\.md)\b/g)) assert.ok(existsSync(join(root, doc ?? '')), `${code}: ${doc} exists`);
  }
  // facts lists host names only: the hint must not promise groups and tags from it
  assert.doesNotMatch(ERROR_CODES.LIMIT_NO_MATCH.hint, /`gofleet facts[^`]*` to list [^.]*groups/);
  assert.match(ERROR_CODES.LIMIT_NO_MATCH.hint, /`gofleet inventory -i INV --graph`/);
});
