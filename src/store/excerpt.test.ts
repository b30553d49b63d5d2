import { test } from 'node:test';
import assert from 'node:assert/strict';
import { registerSecret } from '../errors.ts';
import { MESSAGE_MAX_BYTES, excerpt, journalJson, journalText } from './excerpt.ts';

test('short text is kept as is', () => {
  assert.equal(excerpt('go: build failed\n'), 'go: build failed\n');
  const exact = 'x'.repeat(MESSAGE_MAX_BYTES);
  assert.equal(excerpt(exact), exact);
});

test('long text keeps head and tail within 4 KiB and says how much was cut', () => {
  const text = 'HEAD' + 'a'.repeat(10_000) + 'TAIL';
  const out = excerpt(text);
  assert.ok(Buffer.byteLength(out) <= MESSAGE_MAX_BYTES, `${Buffer.byteLength(out)} bytes`);
  assert.ok(out.startsWith('HEAD'));
  assert.ok(out.endsWith('TAIL'));
  const omitted = Number(/…\[(\d+) bytes omitted\]…/.exec(out)?.[1]);
  const kept = Buffer.byteLength(out) - Buffer.byteLength(`\n…[${omitted} bytes omitted]…\n`);
  assert.equal(kept + omitted, Buffer.byteLength(text));
});

test('multi-byte characters are never split', () => {
  for (const ch of ['é', '€', '𝄞']) {
    for (const max of [64, 65, 66, 67]) {
      const out = excerpt(ch.repeat(100), max);
      assert.ok(Buffer.byteLength(out) <= max);
      assert.doesNotMatch(out, /\uFFFD/, `${ch} at ${max}`);
      const parts = out.split(/\n…\[\d+ bytes omitted\]…\n/);
      assert.equal(parts.length, 2);
      for (const p of parts) assert.equal(p, ch.repeat([...p].length));
    }
  }
});

test('secrets are redacted before cutting, in text and in every JSON string', () => {
  registerSecret('s3cr3t-journal-pw');
  assert.equal(journalText('login s3cr3t-journal-pw failed'), 'login *** failed');
  const json = journalJson({ kind: 'host-step', message: 'x s3cr3t-journal-pw', nested: [{ m: 's3cr3t-journal-pw"q' }], n: 3 });
  assert.doesNotMatch(json, /s3cr3t/);
  assert.deepEqual(JSON.parse(json), { kind: 'host-step', message: 'x ***', nested: [{ m: '***"q' }], n: 3 });
  // a secret straddling the cut is not half-shown
  const long = 'a'.repeat(2030) + 's3cr3t-journal-pw' + 'b'.repeat(5000);
  assert.doesNotMatch(journalText(long), /s3cr|t-journal-pw/);
});
