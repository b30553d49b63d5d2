import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SpnegoError, tokenFromAuthHeader, unwrapSpnego } from './spnego.ts';

const NTLMSSP_OID = Buffer.from('060a2b06010401823702020a', 'hex'); // 1.3.6.1.4.1.311.2.2.10

/** DER TLV, with the long length form from 128 bytes on (as Windows sends a CHALLENGE). */
function tlv(tag: number, ...parts: Buffer[]): Buffer {
  const value = Buffer.concat(parts);
  const n = value.length;
  const len = n < 0x80 ? Buffer.from([n]) : n < 0x100 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 0xff]);
  return Buffer.concat([Buffer.from([tag]), len, value]);
}

const challenge = Buffer.concat([Buffer.from('NTLMSSP\0', 'latin1'), Buffer.from([2, 0, 0, 0]), Buffer.alloc(300, 0x41)]);

/** NegTokenResp { negState accept-incomplete, supportedMech NTLMSSP, responseToken } as IIS/WinRM answers. */
const negTokenResp = (token: Buffer): Buffer =>
  tlv(0xa1, tlv(0x30, tlv(0xa0, Buffer.from('0a0101', 'hex')), tlv(0xa1, NTLMSSP_OID), tlv(0xa2, tlv(0x04, token))));

test('unwrapSpnego returns a raw NTLMSSP message as is and unwraps a NegTokenResp', () => {
  assert.equal(unwrapSpnego(challenge), challenge);
  assert.deepEqual(unwrapSpnego(negTokenResp(challenge)), challenge);
  const small = challenge.subarray(0, 40);
  assert.deepEqual(unwrapSpnego(negTokenResp(small)), small);
});

test('unwrapSpnego unwraps a GSS [APPLICATION 0] NegTokenInit with a mechToken', () => {
  const spnegoOid = Buffer.from('06062b0601050502', 'hex');
  const init = tlv(0x60, spnegoOid, tlv(0xa0, tlv(0x30, tlv(0xa0, tlv(0x30, NTLMSSP_OID)), tlv(0xa2, tlv(0x04, challenge)))));
  assert.deepEqual(unwrapSpnego(init), challenge);
});

test('unwrapSpnego refuses a token without an NTLM message (Kerberos chosen, truncated, not SPNEGO)', () => {
  assert.throws(() => unwrapSpnego(negTokenResp(Buffer.from('6082kerberos'))), SpnegoError);
  assert.throws(() => unwrapSpnego(negTokenResp(challenge).subarray(0, 100)), SpnegoError);
  assert.throws(() => unwrapSpnego(tlv(0xa1, tlv(0x30, tlv(0xa0, Buffer.from('0a0100', 'hex'))))), SpnegoError);
  assert.throws(() => unwrapSpnego(Buffer.from('hello world')), SpnegoError);
});

test('tokenFromAuthHeader reads Negotiate and NTLM tokens, wrapped or not', () => {
  assert.deepEqual(tokenFromAuthHeader(`Negotiate ${negTokenResp(challenge).toString('base64')}`), challenge);
  assert.deepEqual(tokenFromAuthHeader(['Basic realm="WSMAN"', `NTLM ${challenge.toString('base64')}`]), challenge);
  assert.equal(tokenFromAuthHeader('Negotiate, Basic realm="WSMAN"'), null);
  assert.equal(tokenFromAuthHeader(undefined), null);
});
