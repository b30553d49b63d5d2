import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GofleetError } from '../../errors.ts';
import { ENCRYPTED_CONTENT_TYPE, decryptMessage, encryptMessage, isEncryptedContentType } from './encryption.ts';
import { NtlmClient, NtlmIntegrityError, type NtlmSession } from './ntlm/index.ts';
import { NtlmAcceptor } from '../../../test/harness/ntlm-acceptor.ts';

/** pywinrm's SessionSecurityTest (winrm/tests/test_encryption.py): base64 "sealing", signature "1234". */
const stub: NtlmSession = {
  wrap: (message) => ({ sealed: Buffer.from(message.toString('base64')), signature: Buffer.from('1234') }),
  unwrap: (sealed, signature) => {
    if (!signature.equals(Buffer.from('1234'))) throw new NtlmIntegrityError('bad signature');
    return Buffer.from(sealed.toString(), 'base64');
  },
};

const sigLength = Buffer.from([4, 0, 0, 0]);
const framed = (length: number, payload: Buffer, ending: string): Buffer => Buffer.concat([
  Buffer.from('--Encrypted Boundary\r\n\tContent-Type: application/HTTP-SPNEGO-session-encrypted\r\n' +
    `\tOriginalContent: type=application/soap+xml;charset=UTF-8;Length=${length}\r\n` +
    '--Encrypted Boundary\r\n\tContent-Type: application/octet-stream\r\n'),
  sigLength, payload, Buffer.from(ending),
]);
const PYWINRM_PAYLOAD = Buffer.from('1234dW5lbmNyeXB0ZWQgbWVzc2FnZQ==');

test('encryptMessage frames as pywinrm test_encrypt_message does, byte for byte (272 bytes)', () => {
  const body = encryptMessage(stub, Buffer.from('unencrypted message'));
  assert.deepEqual(body, framed(19, PYWINRM_PAYLOAD, '--Encrypted Boundary--\r\n'));
  assert.equal(body.length, 272);
  assert.equal(ENCRYPTED_CONTENT_TYPE, 'multipart/encrypted;protocol="application/HTTP-SPNEGO-session-encrypted";boundary="Encrypted Boundary"');
  assert.ok(isEncryptedContentType(ENCRYPTED_CONTENT_TYPE));
  assert.ok(!isEncryptedContentType('application/soap+xml;charset=UTF-8'));
});

test('decryptMessage reads pywinrm test_decrypt_message bodies (closing boundary with or without --)', () => {
  assert.equal(decryptMessage(stub, framed(19, PYWINRM_PAYLOAD, '--Encrypted Boundary\r\n')).toString(), 'unencrypted message');
  assert.equal(decryptMessage(stub, framed(19, PYWINRM_PAYLOAD, '--Encrypted Boundary--\r\n')).toString(), 'unencrypted message');
});

function protocolError(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (e: unknown) => e instanceof GofleetError && e.code === 'WINRM_PROTOCOL' && pattern.test(e.message));
}

test('decryptMessage refuses a Length mismatch, a wrong signature and broken framing with WINRM_PROTOCOL', () => {
  protocolError(() => decryptMessage(stub, framed(20, PYWINRM_PAYLOAD, '--Encrypted Boundary--\r\n')), /Length=20/);
  protocolError(() => decryptMessage(stub, framed(19, Buffer.from('4321dW5lbmNyeXB0ZWQgbWVzc2FnZQ=='), '--Encrypted Boundary--\r\n')), /signature/);
  protocolError(() => decryptMessage(stub, framed(19, PYWINRM_PAYLOAD, '')), /no boundary/);
  protocolError(() => decryptMessage(stub, Buffer.from('<s:Envelope/>')), /boundary/);
  protocolError(() => decryptMessage(stub, framed(19, PYWINRM_PAYLOAD, '--Encrypted Boundary--\r\ntrailing')), /after a part/);
});

function sessions(): { client: NtlmSession; server: NtlmSession } {
  const acceptor = new NtlmAcceptor({ vagrant: 'vagrant' });
  const client = new NtlmClient({ username: 'vagrant', password: 'vagrant' });
  const auth = client.authenticate(acceptor.challenge(client.negotiate()));
  return { client: auth.session, server: acceptor.accept(auth.message).session };
}

test('with real NTLM sessions: requests and replies round-trip, a sealed byte flipped is refused', () => {
  const { client, server } = sessions();
  // the boundary text inside the SOAP must not confuse the reader
  const soap = Buffer.from('<s:Envelope>--Encrypted Boundary\r\n ünïcode</s:Envelope>');
  for (let i = 0; i < 5; i++) {
    const request = encryptMessage(client, soap);
    assert.ok(!request.includes(Buffer.from('ünïcode')));
    assert.deepEqual(decryptMessage(server, request), soap);
    assert.deepEqual(decryptMessage(client, encryptMessage(server, Buffer.from(`reply ${i}`))).toString(), `reply ${i}`);
  }
  const tampered = encryptMessage(client, soap);
  tampered[tampered.length - 30]! ^= 0x01;
  protocolError(() => decryptMessage(server, tampered), /signature/);
});
