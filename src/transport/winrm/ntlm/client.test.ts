import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GofleetError } from '../../../errors.ts';
import { NtlmClient, splitUser } from './client.ts';
import { AvId, CLIENT_FLAGS, NegotiateFlag } from './flags.ts';
import { MIC_OFFSET, decodeAuthenticate, decodeAvPairs, decodeNegotiate, encodeChallenge } from './messages.ts';
import { fileTime } from './responses.ts';

test('splitUser: DOMAIN\\user gives the domain, a UPN stays whole, an explicit domain wins', () => {
  assert.deepEqual(splitUser({ username: 'CORP\\deploy', password: '' }), { user: 'deploy', domain: 'CORP' });
  assert.deepEqual(splitUser({ username: 'deploy@corp.example', password: '' }), { user: 'deploy@corp.example', domain: '' });
  assert.deepEqual(splitUser({ username: 'vagrant', password: '' }), { user: 'vagrant', domain: '' });
  assert.deepEqual(splitUser({ username: 'vagrant', password: '', domain: 'WINHOST' }), { user: 'vagrant', domain: 'WINHOST' });
});

test('the NEGOTIATE asks for NTLMv2 sealing: SEAL, SIGN, 128, KEY_EXCH, extended session security, Unicode, version', () => {
  const flags = decodeNegotiate(new NtlmClient({ username: 'u', password: 'p' }).negotiate()).flags;
  assert.equal(flags, CLIENT_FLAGS);
  for (const f of [NegotiateFlag.SEAL, NegotiateFlag.SIGN, NegotiateFlag.NEGOTIATE_128, NegotiateFlag.KEY_EXCH,
    NegotiateFlag.EXTENDED_SESSIONSECURITY, NegotiateFlag.UNICODE, NegotiateFlag.VERSION]) assert.ok(flags & f, `flag 0x${f.toString(16)}`);
});

const serverFlags = (CLIENT_FLAGS | NegotiateFlag.TARGET_TYPE_SERVER) >>> 0;
const challengeWith = (pairs: { id: number; value: Buffer }[], flags = serverFlags) =>
  encodeChallenge({ flags, serverChallenge: Buffer.alloc(8, 7), targetName: 'WINHOST', targetInfo: pairs });

test('a timestamped challenge gets MsvAvFlags MIC bit, a MIC and an all-zero LM response; the AV pairs keep the server ones', () => {
  const ts = fileTime(new Date('2026-12-02T12:00:00Z'));
  const client = new NtlmClient({ username: 'CORP\\deploy', password: 'pw' });
  client.negotiate();
  const flagsPair = Buffer.from([1, 0, 0, 0]);
  const { message } = client.authenticate(challengeWith([
    { id: AvId.NB_DOMAIN_NAME, value: Buffer.from('CORP', 'utf16le') }, { id: AvId.TIMESTAMP, value: ts }, { id: AvId.FLAGS, value: flagsPair },
  ]), { targetName: 'HTTP/winhost.corp.example' });
  const a = decodeAuthenticate(message);
  assert.notDeepEqual(a.mic, Buffer.alloc(16));
  assert.deepEqual(message.subarray(MIC_OFFSET, MIC_OFFSET + 16), a.mic);
  assert.deepEqual(a.lmResponse, Buffer.alloc(24));
  const blob = a.ntResponse.subarray(16);
  assert.deepEqual(blob.subarray(8, 16), ts, 'the server timestamp is used');
  const pairs = decodeAvPairs(blob.subarray(28));
  assert.deepEqual(pairs.find((p) => p.id === AvId.FLAGS)?.value, Buffer.from([3, 0, 0, 0]), 'server flags kept, MIC bit added');
  assert.equal(pairs.find((p) => p.id === AvId.TARGET_NAME)?.value.toString('utf16le'), 'HTTP/winhost.corp.example');
  assert.equal(pairs.find((p) => p.id === AvId.NB_DOMAIN_NAME)?.value.toString('utf16le'), 'CORP');
  assert.equal(a.user, 'deploy');
  assert.equal(a.domain, 'CORP');
  assert.equal(a.encryptedRandomSessionKey.length, 16);
});

test('a challenge without timestamp gets the client clock and no MIC; one without extended session security is refused', () => {
  const client = new NtlmClient({ username: 'u', password: 'p' }, { now: () => new Date('2026-01-01T00:00:00Z') });
  const a = decodeAuthenticate(client.authenticate(challengeWith([])).message);
  assert.deepEqual(a.mic, Buffer.alloc(16));
  assert.deepEqual(a.ntResponse.subarray(16 + 8, 16 + 16), fileTime(new Date('2026-01-01T00:00:00Z')));
  assert.equal(a.lmResponse.length, 24);
  assert.notDeepEqual(a.lmResponse, Buffer.alloc(24));
  const protocolError = (pattern: RegExp) => (e: unknown) => e instanceof GofleetError && e.code === 'WINRM_PROTOCOL' && pattern.test(e.message);
  assert.throws(() => client.authenticate(challengeWith([], serverFlags & ~NegotiateFlag.EXTENDED_SESSIONSECURITY)), protocolError(/did not offer NTLM extended session security/));
  assert.throws(() => client.authenticate(Buffer.from('not a challenge')), protocolError(/challenge could not be read/));
});
