import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expandHostRange, HostRangeError } from './host-range.ts';

describe('expandHostRange', () => {
  const table: [string, string[]][] = [
    ['plain.example.com', ['plain.example.com']],
    ['web[01:03]', ['web01', 'web02', 'web03']],
    ['web[1:3].lan', ['web1.lan', 'web2.lan', 'web3.lan']],
    ['n[0:10:5]', ['n0', 'n5', 'n10']],
    ['[:2]x', ['0x', '1x', '2x']],
    ['db-[a:c]', ['db-a', 'db-b', 'db-c']],
    ['r[1:2]c[a:b]', ['r1ca', 'r1cb', 'r2ca', 'r2cb']],
    ['[::1]', ['[::1]']],
  ];
  for (const [pattern, want] of table) {
    it(pattern, () => assert.deepEqual(expandHostRange(pattern), want));
  }

  it('rejects ranges that cannot be expanded', () => {
    for (const bad of ['w[3:1]', 'w[01:5]', 'w[a:3]', 'w[1:3:0]']) {
      assert.throws(() => expandHostRange(bad), HostRangeError, bad);
    }
  });
});
