import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { closestKey, editDistance } from './closest-key.ts';
import { KNOWN_KEYS } from './gofleet-schema.ts';

describe('closestKey', () => {
  it('counts a swap of neighbours as one edit', () => {
    assert.equal(editDistance('prot', 'port'), 1);
    assert.equal(editDistance('adress', 'address'), 1);
    assert.equal(editDistance('', 'abc'), 3);
    assert.equal(editDistance('kitten', 'sitting'), 3);
  });

  const table: [string, string | undefined][] = [
    ['adress', 'address'],
    ['identiy', 'identity'],
    ['Port', 'port'],
    ['knownhosts', 'known_hosts'],
    ['versions-dir', 'versions_dir'],
    ['identity_file', 'identity'],
    ['ansible_user', 'user'],
    ['ansible_ssh_private_key_file', 'identity'],
    ['foo', undefined],
    ['rack', undefined],
    ['x', undefined],
  ];
  for (const [key, want] of table) {
    it(`${key} -> ${want ?? 'nothing'}`, () => assert.equal(closestKey(key, KNOWN_KEYS.settings), want));
  }
});
