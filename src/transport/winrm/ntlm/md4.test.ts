import { test } from 'node:test';
import assert from 'node:assert/strict';
import { md4 } from './md4.ts';

// RFC 1320 appendix A.5, the test suite.
const RFC1320: [string, string][] = [
  ['', '31d6cfe0d16ae931b73c59d7e0c089c0'],
  ['a', 'bde52cb31de33e46245e05fbdbd6fb24'],
  ['abc', 'a448017aaf21d8525fc10ae87aa6729d'],
  ['message digest', 'd9130a8164549fe818874806e1c7014b'],
  ['abcdefghijklmnopqrstuvwxyz', 'd79e1c308aa5bbcdeea8ed63df412da9'],
  ['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', '043f8582f241db351ce627e153e7f0e4'],
  ['12345678901234567890123456789012345678901234567890123456789012345678901234567890', 'e33b4ddc9c38f2199c3e7b164fcc0536'],
];

test('md4 gives the RFC 1320 test suite digests', () => {
  for (const [input, digest] of RFC1320) assert.equal(md4(Buffer.from(input, 'latin1')).toString('hex'), digest, JSON.stringify(input));
});

test('md4 pads correctly around the 56- and 64-byte block edges', () => {
  // The NT hash of "Password" (MS-NLMP 4.2.2.1.2 NTOWFv1) is md4 of its UTF-16LE form: 16 bytes, one block.
  assert.equal(md4(Buffer.from('Password', 'utf16le')).toString('hex'), 'a4f49c406510bdcab6824ee7c30fd852');
  // 55, 56 and 64 bytes: the length field fits in the block, just does not, and a full extra block.
  const digests = [55, 56, 63, 64, 65].map((n) => md4(Buffer.alloc(n, 0x61)).toString('hex'));
  assert.equal(new Set(digests).size, digests.length);
  assert.equal(md4(Buffer.alloc(64, 0x61)).toString('hex'), md4(Buffer.from('a'.repeat(64))).toString('hex'));
});
