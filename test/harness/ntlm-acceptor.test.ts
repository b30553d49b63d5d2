// NtlmClient against NtlmAcceptor: the whole NTLMv2 exchange and session security, both sides in process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NtlmClient, type NtlmSession, NtlmIntegrityError } from '../../src/transport/winrm/ntlm/index.ts';
import { MIC_OFFSET } from '../../src/transport/winrm/ntlm/messages.ts';
import { NtlmAcceptor, NtlmAuthError, type NtlmRefusal } from './ntlm-acceptor.ts';

const USERS = { 'vagrant': 'Secr3t!pass', 'CORP\\deploy': 'An0ther-one' };

function handshake(username: string, password: string, opts: { acceptor?: NtlmAcceptor; cbt?: Buffer; tamper?: (t3: Buffer) => void } = {}) {
  const acceptor = opts.acceptor ?? new NtlmAcceptor(USERS);
  const client = new NtlmClient({ username, password });
  const challenge = acceptor.challenge(client.negotiate());
  const { message, session } = client.authenticate(challenge, opts.cbt ? { channelBindings: opts.cbt } : {});
  opts.tamper?.(message);
  return { client: session, ...acceptor.accept(message) };
}

function refused(reason: NtlmRefusal, fn: () => unknown): void {
  assert.throws(fn, (e: unknown) => e instanceof NtlmAuthError && e.reason === reason);
}

test('a client with the right password is accepted, as user or DOMAIN\\user', () => {
  assert.equal(handshake('vagrant', 'Secr3t!pass').user, 'vagrant');
  assert.equal(handshake('corp\\DEPLOY', 'An0ther-one').user, 'corp\\DEPLOY');
});

test('a wrong password and an unknown user are refused', () => {
  refused('wrong-password', () => handshake('vagrant', 'secr3t!pass'));
  refused('unknown-user', () => handshake('OTHER\\deploy', 'An0ther-one'));
  refused('unknown-user', () => handshake('nobody', 'Secr3t!pass'));
});

test('a tampered MIC, or any byte the MIC covers, is refused', () => {
  refused('bad-mic', () => handshake('vagrant', 'Secr3t!pass', { tamper: (t3) => { t3[MIC_OFFSET + 3]! ^= 1; } }));
  // the negotiate flags (offset 60): downgrading them is what the MIC is for
  refused('bad-mic', () => handshake('vagrant', 'Secr3t!pass', { tamper: (t3) => { t3[60]! ^= 0x20; } }));
  // the encrypted session key (the last 16 bytes): the server derives another exported key, so the MIC differs
  refused('bad-mic', () => handshake('vagrant', 'Secr3t!pass', { tamper: (t3) => { t3[t3.length - 1]! ^= 1; } }));
});

test('an AUTHENTICATE without a CHALLENGE first is refused', () => {
  const acceptor = new NtlmAcceptor(USERS);
  const client = new NtlmClient({ username: 'vagrant', password: 'Secr3t!pass' });
  const { message } = client.authenticate(new NtlmAcceptor(USERS).challenge(client.negotiate()));
  refused('no-challenge', () => acceptor.accept(message));
});

test('channel bindings: required by the acceptor, missing or wrong is refused, matching is accepted', () => {
  const cbt = Buffer.from('tls-server-end-point:0123456789abcdef0123456789abcdef');
  const acceptor = () => new NtlmAcceptor(USERS, { channelBindings: cbt });
  refused('channel-bindings', () => handshake('vagrant', 'Secr3t!pass', { acceptor: acceptor() }));
  refused('channel-bindings', () => handshake('vagrant', 'Secr3t!pass', { acceptor: acceptor(), cbt: Buffer.from('tls-server-end-point:other') }));
  assert.equal(handshake('vagrant', 'Secr3t!pass', { acceptor: acceptor(), cbt }).user, 'vagrant');
});

function send(from: NtlmSession, to: NtlmSession, text: string, seq: number): void {
  const plain = Buffer.from(text);
  const { signature, sealed } = from.wrap(plain);
  assert.equal(signature.readUInt32LE(12), seq, 'sequence number in the signature');
  if (plain.length > 8) assert.ok(!sealed.includes(plain.subarray(0, 8)), 'the message is sealed');
  assert.deepEqual(to.unwrap(sealed, signature), plain);
}

test('many sealed messages both ways, interleaved, with the sequence numbers advancing per direction', () => {
  const { client, session: server } = handshake('CORP\\deploy', 'An0ther-one');
  for (let i = 0; i < 50; i++) {
    send(client, server, `<s:Envelope>request ${i} ${'x'.repeat(i * 37)}</s:Envelope>`, i);
    if (i % 3 !== 2) send(server, client, `response ${i} ${'ü'.repeat(i)}`, i - Math.floor(i / 3));
  }
});

test('a tampered sealed byte, a tampered signature, a replay and a reordering are refused', () => {
  const tamper = (mutate: (m: { sealed: Buffer; signature: Buffer }) => void) => {
    const { client, session: server } = handshake('vagrant', 'Secr3t!pass');
    const m = client.wrap(Buffer.from('<s:Envelope>hello</s:Envelope>'));
    mutate(m);
    assert.throws(() => server.unwrap(m.sealed, m.signature), NtlmIntegrityError);
  };
  tamper((m) => { m.sealed[5]! ^= 0x01; });
  tamper((m) => { m.signature[6]! ^= 0x01; });
  tamper((m) => { m.signature[12] = 1; });

  const { client, session: server } = handshake('vagrant', 'Secr3t!pass');
  const first = client.wrap(Buffer.from('first'));
  const second = client.wrap(Buffer.from('second'));
  assert.throws(() => server.unwrap(second.sealed, second.signature), NtlmIntegrityError, 'second before first');

  const again = handshake('vagrant', 'Secr3t!pass');
  const once = again.client.wrap(Buffer.from('once'));
  assert.equal(again.session.unwrap(once.sealed, once.signature).toString(), 'once');
  assert.throws(() => again.session.unwrap(once.sealed, once.signature), NtlmIntegrityError, 'replayed');
  void first;
});

/** DER TLV (short and long length forms). */
function tlv(tag: number, ...parts: Buffer[]): Buffer {
  const value = Buffer.concat(parts);
  const n = value.length;
  const len = n < 0x80 ? Buffer.from([n]) : n < 0x100 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 0xff]);
  return Buffer.concat([Buffer.from([tag]), len, value]);
}
const NTLMSSP_OID = Buffer.from('060a2b06010401823702020a', 'hex');

test('SPNEGO all the way: NegTokenInit NEGOTIATE, NegTokenResp CHALLENGE and AUTHENTICATE', () => {
  const acceptor = new NtlmAcceptor(USERS);
  const client = new NtlmClient({ username: 'vagrant', password: 'Secr3t!pass' });
  const init = tlv(0x60, Buffer.from('06062b0601050502', 'hex'), tlv(0xa0, tlv(0x30, tlv(0xa0, tlv(0x30, NTLMSSP_OID)), tlv(0xa2, tlv(0x04, client.negotiate())))));
  const resp = (token: Buffer) => tlv(0xa1, tlv(0x30, tlv(0xa0, Buffer.from('0a0101', 'hex')), tlv(0xa1, NTLMSSP_OID), tlv(0xa2, tlv(0x04, token))));
  const { message, session } = client.authenticate(resp(acceptor.challenge(init)));
  const accepted = acceptor.accept(resp(message));
  assert.equal(accepted.user, 'vagrant');
  send(session, accepted.session, 'sealed after SPNEGO', 0);
});
