// NTLM session security with extended session security (MS-NLMP 3.4): the GSS_WrapEx / GSS_UnwrapEx that
// WinRM message encryption calls for every request and response.
//   keys:  SignKey = MD5(ExportedSessionKey || magic), SealKey = MD5(key' || magic) per direction (3.4.5.2, 3.4.5.3)
//   wrap:  sealed = RC4_out(msg); checksum = HMAC_MD5(SignKey_out, seq || msg)[0..8];
//          with KEY_EXCH the checksum goes through the same RC4_out handle, after the message;
//          signature = 01000000 || checksum || seq (little-endian); seq += 1
// The RC4 handles live as long as the session (one per direction), so every message must be unwrapped in
// the order it was wrapped: NTLM sealing is bound to one connection.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { NegotiateFlag, has } from './flags.ts';
import { Rc4 } from './rc4.ts';

export interface NtlmSession {
  /** Seals `message` and signs it; the next outgoing sequence number is used. */
  wrap(message: Buffer): { signature: Buffer; sealed: Buffer };
  /** Unseals `sealed` and checks `signature` (checksum and sequence number); throws NtlmIntegrityError when they do not match. */
  unwrap(sealed: Buffer, signature: Buffer): Buffer;
}

/** A message whose signature does not match: tampered, out of order, or sealed under another session. */
export class NtlmIntegrityError extends Error {
  override readonly name = 'NtlmIntegrityError';
}

const magic = (text: string): Buffer => Buffer.from(`session key to ${text} key magic constant\0`, 'latin1');
const CLIENT_SIGNING = magic('client-to-server signing');
const SERVER_SIGNING = magic('server-to-client signing');
const CLIENT_SEALING = magic('client-to-server sealing');
const SERVER_SEALING = magic('server-to-client sealing');

const md5 = (...parts: Buffer[]): Buffer => createHash('md5').update(Buffer.concat(parts)).digest();

/** SIGNKEY (MS-NLMP 3.4.5.2), extended session security. */
export function signKey(exportedSessionKey: Buffer, side: 'client' | 'server'): Buffer {
  return md5(exportedSessionKey, side === 'client' ? CLIENT_SIGNING : SERVER_SIGNING);
}

/** SEALKEY (MS-NLMP 3.4.5.3), extended session security: 128, 56 or 40 bits of the session key go in. */
export function sealKey(exportedSessionKey: Buffer, flags: number, side: 'client' | 'server'): Buffer {
  const bytes = has(flags, NegotiateFlag.NEGOTIATE_128) ? 16 : has(flags, NegotiateFlag.NEGOTIATE_56) ? 7 : 5;
  return md5(exportedSessionKey.subarray(0, bytes), side === 'client' ? CLIENT_SEALING : SERVER_SEALING);
}

interface Direction { signKey: Buffer; rc4: Rc4; seq: number }

function seqBytes(seq: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(seq >>> 0);
  return b;
}

/** The 8-byte checksum of MAC with extended session security (MS-NLMP 3.4.4.2); advances the direction's RC4 when KEY_EXCH. */
function checksum(dir: Direction, flags: number, seq: Buffer, message: Buffer): Buffer {
  const mac = createHmac('md5', dir.signKey).update(seq).update(message).digest().subarray(0, 8);
  return has(flags, NegotiateFlag.KEY_EXCH) ? dir.rc4.update(mac) : mac;
}

/**
 * A session for one side of an authenticated NTLM connection. `side` is who holds it: the client seals with the
 * client-to-server keys and unseals with the server-to-client ones; the server the other way round.
 */
export function createSession(exportedSessionKey: Buffer, negotiateFlags: number, side: 'client' | 'server'): NtlmSession {
  if (!has(negotiateFlags, NegotiateFlag.EXTENDED_SESSIONSECURITY)) throw new Error('NTLM session security needs extended session security negotiated');
  // Without SEAL the authentication still stands (enough over HTTPS); only message encryption is impossible.
  const sealing = (): void => {
    if (!has(negotiateFlags, NegotiateFlag.SEAL)) throw new Error('NTLM sealing was not negotiated with this host: message encryption is impossible (use HTTPS)');
  };
  const peer = side === 'client' ? 'server' : 'client';
  const direction = (who: 'client' | 'server'): Direction => ({
    signKey: signKey(exportedSessionKey, who),
    rc4: new Rc4(sealKey(exportedSessionKey, negotiateFlags, who)),
    seq: 0,
  });
  const out = direction(side);
  const inc = direction(peer);
  return {
    wrap(message) {
      sealing();
      const seq = seqBytes(out.seq);
      const sealed = out.rc4.update(message);
      const signature = Buffer.concat([Buffer.from([1, 0, 0, 0]), checksum(out, negotiateFlags, seq, message), seq]);
      out.seq += 1;
      return { signature, sealed };
    },
    unwrap(sealed, signature) {
      sealing();
      if (signature.length !== 16 || signature.readUInt32LE(0) !== 1) throw new NtlmIntegrityError('NTLM message signature is malformed (not version 1, 16 bytes)');
      const seq = seqBytes(inc.seq);
      const message = inc.rc4.update(sealed);
      const expected = checksum(inc, negotiateFlags, seq, message);
      if (!timingSafeEqual(expected, signature.subarray(4, 12))) throw new NtlmIntegrityError('NTLM message signature does not match: the message was altered or sealed under another session');
      if (!seq.equals(signature.subarray(12, 16))) throw new NtlmIntegrityError(`NTLM message out of sequence: expected ${inc.seq}, got ${signature.readUInt32LE(12)}`);
      inc.seq += 1;
      return message;
    },
  };
}
