import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GofleetError } from '../errors.ts';
import { generateMirrorKey, parsePublicKey, signIndex, verifyIndex } from './mirror-key.ts';

const code = (c: string) => (e: unknown) => e instanceof GofleetError && e.code === c;

describe('mirror keys and index signatures', () => {
  const pair = generateMirrorKey();
  const data = Buffer.from('[{"version":"go1.27.3","files":[]}]\n');

  it('the public key is one line gofleet-mirror+<base64 of 32 bytes> and parses back', () => {
    assert.match(pair.publicText, /^gofleet-mirror\+[A-Za-z0-9+/]{43}=$/);
    assert.equal(parsePublicKey(`${pair.publicText}\n`, 'k').asymmetricKeyType, 'ed25519');
    for (const bad of ['', pair.publicText.replace('gofleet-mirror+', 'ssh-ed25519 '), `${pair.publicText.slice(0, -4)}`, `${pair.publicText}AAAA`, pair.privatePem]) {
      assert.throws(() => parsePublicKey(bad, 'k'), code('BAD_OPTION'), JSON.stringify(bad.slice(0, 40)));
    }
  });

  it('a signature verifies over the exact bytes, by that key only', () => {
    const sig = signIndex(data, pair.privatePem, 'k');
    assert.match(sig, /^gofleet-mirror-sig\+[A-Za-z0-9+/=]{88}\n$/);
    const pub = parsePublicKey(pair.publicText, 'k');
    verifyIndex(data, sig, pub, 'dir/');
    assert.throws(() => verifyIndex(Buffer.concat([data, Buffer.from(' ')]), sig, pub, 'dir/'), code('SOURCE_SIGNATURE_INVALID'));
    assert.throws(() => verifyIndex(data, sig, parsePublicKey(generateMirrorKey().publicText, 'k'), 'dir/'), code('SOURCE_SIGNATURE_INVALID'));
    assert.throws(() => verifyIndex(data, 'gofleet-mirror-sig+AAAA', pub, 'dir/'), code('SOURCE_SIGNATURE_INVALID'));
    assert.throws(() => verifyIndex(data, null, pub, 'dir/'), code('SOURCE_SIGNATURE_MISSING'));
    assert.throws(() => signIndex(data, 'not a key', 'k'), code('BAD_OPTION'));
  });
});
