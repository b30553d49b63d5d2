// Percent-encoding of protocol values, controller side (the host side is tested per dialect: posix/gf-enc.test.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { percentDecode, percentEncode } from './percent.ts';

test('percentDecode: malformed escapes stay literal, cut UTF-8 becomes U+FFFD', () => {
  assert.equal(percentDecode('100%'), '100%');
  assert.equal(percentDecode('%zz%4'), '%zz%4');
  assert.equal(percentDecode('%C3'), '\uFFFD');
  assert.equal(percentDecode('a%20b%0Ac'), 'a b\nc');
  assert.equal(percentDecode('%e6%bc%a2'), '漢');
});

test('percentEncode keeps only [A-Za-z0-9._~/:@+-] raw and round-trips through percentDecode', () => {
  assert.equal(percentEncode('C:\\Program Files\\Go'), 'C:%5CProgram%20Files%5CGo');
  assert.equal(percentEncode('é'), '%C3%A9');
  for (const v of ['', 'a b', '100%', 'é漢😀', 'x=y\r\n']) assert.equal(percentDecode(percentEncode(v)), v);
});
