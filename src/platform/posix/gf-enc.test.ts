// Percent-encoding of protocol values: the host side (gf_enc under dash/busybox) against percentDecode.
import { spawnSync } from 'node:child_process';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { percentDecode, percentEncode } from '../protocol/percent.ts';
import { shQuote } from './quote.ts';
import { SH_COMMON } from './sh-common.ts';

const SAMPLES = ['', 'plain', 'a b', '100%', 'x=y,z', "it's \"q\"", 'line1\nline2\n', 'tab\there', 'é漢😀', '/usr/local/go -> /x', '$(id) `id`'];

function hostEncode(shell: string[], values: string[]): string[] {
  const script = `${SH_COMMON}\nLC_ALL=C\nexport LC_ALL\n${values.map((v) => `gf_enc ${shQuote(v)}; echo`).join('\n')}\n`;
  const r = spawnSync(shell[0] ?? 'dash', [...shell.slice(1), '-s'], { input: script, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split('\n').slice(0, values.length);
}

test('gf_enc (dash) output decodes back to the input and only uses safe characters', () => {
  const encoded = hostEncode(['dash'], SAMPLES);
  SAMPLES.forEach((v, i) => {
    const e = encoded[i] ?? '';
    assert.match(e, /^[A-Za-z0-9._~/:@+%-]*$/, JSON.stringify(v));
    assert.equal(percentDecode(e), v);
    assert.equal(e, percentEncode(v), 'host and controller encode alike');
  });
});

test('gf_enc keeps the last 2000 bytes of long text', () => {
  const long = `${'a'.repeat(3000)}END`;
  const [e] = hostEncode(['dash'], [long]);
  assert.equal(percentDecode(e ?? ''), long.slice(-2000));
});

test('gf_enc under busybox sh', { skip: spawnSync('busybox', ['true']).status === 0 ? false : 'busybox not installed' }, () => {
  const encoded = hostEncode(['busybox', 'sh'], SAMPLES);
  SAMPLES.forEach((v, i) => assert.equal(percentDecode(encoded[i] ?? ''), v));
});
