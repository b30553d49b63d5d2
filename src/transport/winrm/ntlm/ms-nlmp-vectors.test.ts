// MS-NLMP section 4.2.4 (NTLMv2 authentication) test vectors, the bytes as printed in the specification:
// user "User", domain "Domain", password "Password", server challenge 0123456789abcdef, client challenge aa*8,
// time 0, random session key 55*16, AV pairs MsvAvNbDomainName "Domain" and MsvAvNbComputerName "Server".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NtlmClient } from './client.ts';
import { NegotiateFlag } from './flags.ts';
import { decodeAuthenticate, parseChallenge } from './messages.ts';
import { Rc4 } from './rc4.ts';
import { clientBlob, computeV2, ntowfv2 } from './responses.ts';
import { createSession, sealKey, signKey } from './session.ts';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const SERVER_CHALLENGE = hex('0123456789abcdef');
const CLIENT_CHALLENGE = Buffer.alloc(8, 0xaa);
const RANDOM_SESSION_KEY = Buffer.alloc(16, 0x55);
const TARGET_INFO = hex('02000c0044006f006d00610069006e00 01000c00530065007200760065007200 00000000');
// 4.2.4.3 CHALLENGE_MESSAGE and AUTHENTICATE_MESSAGE
const CHALLENGE = hex(`4e544c4d53535000020000000c000c003800000033828ae20123456789abcdef00000000000000002400240044000000
  060070170000000f53006500720076006500720002000c0044006f006d00610069006e0001000c0053006500720076006500720000000000`);
const AUTHENTICATE = hex(`4e544c4d535350000300000018001800 6c000000540054008400000 00c000c0048000000
  0800080054000000100010005c00000010001000d8000000358288e20501280a0000000f44006f006d00610069006e00
  550073006500720043004f004d005000550054004500520086c35097ac9cec102554764a57cccc19aaaaaaaaaaaaaaaa
  68cd0ab851e51c96aabc927bebef6a1c01010000000000000000000000000000aaaaaaaaaaaaaaaa0000000002000c00
  44006f006d00610069006e0001000c005300650072007600650072000000000000000000c5dad2544fc9799094ce1ce90bc9d03e`);
const FLAGS = 0xe2888235;

test('4.2.4.1.1 NTOWFv2, 4.2.4.2.1 LMv2, 4.2.4.2.2 NTProofStr, 4.2.4.1.2 session base key, 4.2.4.2.3 encrypted session key', () => {
  const responseKey = ntowfv2('Password', 'User', 'Domain');
  assert.equal(responseKey.toString('hex'), '0c868a403bfd7a93a3001ef22ef02e3f');
  const blob = clientBlob(Buffer.alloc(8), CLIENT_CHALLENGE, TARGET_INFO);
  const r = computeV2({ responseKey, serverChallenge: SERVER_CHALLENGE, clientChallenge: CLIENT_CHALLENGE, blob });
  assert.equal(r.lmResponse.toString('hex'), '86c35097ac9cec102554764a57cccc19aaaaaaaaaaaaaaaa');
  assert.equal(r.ntProofStr.toString('hex'), '68cd0ab851e51c96aabc927bebef6a1c');
  assert.equal(r.sessionBaseKey.toString('hex'), '8de40ccadbc14a82f15cb0ad0de95ca3');
  assert.equal(new Rc4(r.sessionBaseKey).update(RANDOM_SESSION_KEY).toString('hex'), 'c5dad2544fc9799094ce1ce90bc9d03e');
});

test('4.2.4.3: the client answers the spec CHALLENGE with the spec AUTHENTICATE fields', () => {
  // No MsvAvTimestamp in this challenge, so the client uses its clock (1601-01-01 = FILETIME 0) and sends no MIC.
  const randoms = [CLIENT_CHALLENGE, RANDOM_SESSION_KEY];
  const client = new NtlmClient({ username: 'Domain\\User', password: 'Password', workstation: 'COMPUTER' }, {
    randomBytes: (n) => { const b = randoms.shift(); assert.equal(b?.length, n); return b!; },
    now: () => new Date(Date.UTC(1601, 0, 1)),
  });
  client.negotiate();
  const ours = decodeAuthenticate(client.authenticate(CHALLENGE).message);
  const spec = decodeAuthenticate(AUTHENTICATE);
  assert.equal(spec.mic.length, 0, 'the spec message has no MIC field');
  assert.equal(ours.flags, FLAGS);
  for (const k of ['flags', 'domain', 'user', 'workstation', 'lmResponse', 'ntResponse', 'encryptedRandomSessionKey'] as const) {
    assert.deepEqual(ours[k], spec[k], k);
  }
  assert.deepEqual(parseChallenge(CHALLENGE).serverChallenge, SERVER_CHALLENGE);
  assert.equal(parseChallenge(CHALLENGE).targetName, 'Server');
});

test('4.2.4.2.3 / 3.4.5: signing and sealing keys of both directions', () => {
  assert.equal(signKey(RANDOM_SESSION_KEY, 'client').toString('hex'), '4788dc861b4782f35d43fd98fe1a2d39');
  assert.equal(sealKey(RANDOM_SESSION_KEY, FLAGS, 'client').toString('hex'), '59f600973cc4960a25480a7c196e4c58');
  assert.equal(signKey(RANDOM_SESSION_KEY, 'server').toString('hex'), 'd04d6f10741041d1d246d64188d7a8ad');
  assert.equal(sealKey(RANDOM_SESSION_KEY, FLAGS, 'server').toString('hex'), '9355f3a957c1583d25c4c2f11e40390e');
});

test('4.2.4.4 GSS_WrapEx: "Plaintext" sealed and signed, and the server side unwraps it', () => {
  const plaintext = Buffer.from('Plaintext', 'utf16le');
  const { sealed, signature } = createSession(RANDOM_SESSION_KEY, FLAGS, 'client').wrap(plaintext);
  assert.equal(sealed.toString('hex'), '54e50165bf1936dc996020c1811b0f06fb5f');
  assert.equal(signature.toString('hex'), '010000007fb38ec5c55d497600000000');
  assert.deepEqual(createSession(RANDOM_SESSION_KEY, FLAGS, 'server').unwrap(sealed, signature), plaintext);
});

test('without KEY_EXCH the checksum is not RC4-encrypted (MS-NLMP 3.4.4.2)', () => {
  const flags = FLAGS & ~NegotiateFlag.KEY_EXCH;
  const plaintext = Buffer.from('Plaintext', 'utf16le');
  const { signature } = createSession(RANDOM_SESSION_KEY, flags, 'client').wrap(plaintext);
  const { signature: withKeyExch } = createSession(RANDOM_SESSION_KEY, FLAGS, 'client').wrap(plaintext);
  assert.notDeepEqual(signature, withKeyExch);
  assert.deepEqual(createSession(RANDOM_SESSION_KEY, flags, 'server').unwrap(createSession(RANDOM_SESSION_KEY, flags, 'client').wrap(plaintext).sealed, signature), plaintext);
});

test('a session without SEAL negotiated authenticates but refuses to wrap or unwrap', () => {
  const session = createSession(RANDOM_SESSION_KEY, FLAGS & ~NegotiateFlag.SEAL, 'client');
  assert.throws(() => session.wrap(Buffer.from('x')), /sealing was not negotiated/);
  assert.throws(() => session.unwrap(Buffer.from('x'), Buffer.alloc(16)), /sealing was not negotiated/);
  assert.throws(() => createSession(RANDOM_SESSION_KEY, FLAGS & ~NegotiateFlag.EXTENDED_SESSIONSECURITY, 'client'), /extended session security/);
});
