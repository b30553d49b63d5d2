import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rc4 } from './rc4.ts';

const keystream = (key: string, skip: number, n: number): string => {
  const rc4 = new Rc4(Buffer.from(key, 'hex'));
  rc4.update(Buffer.alloc(skip));
  return rc4.update(Buffer.alloc(n)).toString('hex');
};

test('rc4 gives the RFC 6229 key streams (40-, 56- and 128-bit keys, offsets 0 and 16)', () => {
  assert.equal(keystream('0102030405', 0, 16), 'b2396305f03dc027ccc3524a0a1118a8');
  assert.equal(keystream('0102030405', 16, 16), '6982944f18fc82d589c403a47a0d0919');
  assert.equal(keystream('01020304050607', 0, 16), '293f02d47f37c9b633f2af5285feb46b');
  assert.equal(keystream('0102030405060708090a0b0c0d0e0f10', 0, 16), '9ac7cc9a609d1ef7b2932899cde41b97');
  assert.equal(keystream('0102030405060708090a0b0c0d0e0f10', 16, 16), '5248c4959014126a6e8a84f11d1a9e1c');
});

test('rc4 is stateful: two updates continue one key stream', () => {
  const whole = new Rc4(Buffer.from('Key')).update(Buffer.from('Plaintext'));
  assert.equal(whole.toString('hex'), 'bbf316e8d940af0ad3');
  const split = new Rc4(Buffer.from('Key'));
  assert.equal(Buffer.concat([split.update(Buffer.from('Plain')), split.update(Buffer.from('text'))]).toString('hex'), 'bbf316e8d940af0ad3');
  // decrypting is the same operation with a fresh handle
  assert.equal(new Rc4(Buffer.from('Key')).update(whole).toString(), 'Plaintext');
});
