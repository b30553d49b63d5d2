import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AvId, NegotiateFlag } from './flags.ts';
import { NtlmMessageError, decodeAuthenticate, decodeAvPairs, encodeAuthenticate, encodeAvPairs, encodeChallenge, parseChallenge } from './messages.ts';

test('AV pairs round-trip; a list without MsvAvEOL or running past its end is refused', () => {
  const pairs = [{ id: AvId.NB_COMPUTER_NAME, value: Buffer.from('WINHOST', 'utf16le') }, { id: AvId.FLAGS, value: Buffer.from([2, 0, 0, 0]) }];
  const bytes = encodeAvPairs(pairs);
  assert.deepEqual(decodeAvPairs(bytes), pairs);
  assert.throws(() => decodeAvPairs(bytes.subarray(0, bytes.length - 4)), NtlmMessageError);
  assert.throws(() => decodeAvPairs(bytes.subarray(0, 10)), NtlmMessageError);
});

test('CHALLENGE and AUTHENTICATE round-trip in Unicode and OEM; a wrong type or a field past the end is refused', () => {
  for (const charset of [NegotiateFlag.UNICODE, NegotiateFlag.OEM]) {
    const flags = (charset | NegotiateFlag.TARGET_INFO | NegotiateFlag.EXTENDED_SESSIONSECURITY | NegotiateFlag.NEGOTIATE_56) >>> 0;
    const c = { flags, serverChallenge: Buffer.alloc(8, 9), targetName: 'WINHOST', targetInfo: [{ id: AvId.TIMESTAMP, value: Buffer.alloc(8, 1) }] };
    assert.deepEqual(parseChallenge(encodeChallenge(c)), c);
    const a = { flags, lmResponse: Buffer.alloc(24, 1), ntResponse: Buffer.alloc(60, 2), domain: 'CORP', user: 'déploy', workstation: 'CTRL',
      encryptedRandomSessionKey: Buffer.alloc(16, 3), mic: Buffer.alloc(16, 4) };
    assert.deepEqual(decodeAuthenticate(encodeAuthenticate(a)), a);
  }
  const challenge = encodeChallenge({ flags: NegotiateFlag.UNICODE, serverChallenge: Buffer.alloc(8), targetName: 'X', targetInfo: [] });
  assert.throws(() => decodeAuthenticate(challenge), NtlmMessageError);
  const broken = Buffer.from(challenge);
  broken.writeUInt32LE(0x1000, 16);
  assert.throws(() => parseChallenge(broken), NtlmMessageError);
});
