// NTLMv2 responses and keys (MS-NLMP 3.3.2), shared by the client and the test acceptor:
//   NTOWFv2 = HMAC_MD5(MD4(UTF16LE(password)), UTF16LE(UPPER(user) || domain))
//   temp = 0101 0000 00000000 || timestamp || clientChallenge || 00000000 || AV pairs || 00000000
//   NTProofStr = HMAC_MD5(NTOWFv2, serverChallenge || temp); NtChallengeResponse = NTProofStr || temp
//   LmChallengeResponse = HMAC_MD5(NTOWFv2, serverChallenge || clientChallenge) || clientChallenge
//   SessionBaseKey = HMAC_MD5(NTOWFv2, NTProofStr) = KeyExchangeKey (NTLMv2)
import { createHmac } from 'node:crypto';
import { md4 } from './md4.ts';

export const hmacMd5 = (key: Buffer, ...parts: Buffer[]): Buffer => {
  const h = createHmac('md5', key);
  for (const p of parts) h.update(p);
  return h.digest();
};

/** NTOWFv2 (= LMOWFv2): the NTLMv2 response key of a user. */
export function ntowfv2(password: string, user: string, domain: string): Buffer {
  return hmacMd5(md4(Buffer.from(password, 'utf16le')), Buffer.from(user.toUpperCase() + domain, 'utf16le'));
}

/** The NTLMv2_CLIENT_CHALLENGE blob ("temp"): `targetInfo` is the AV pairs, ending with MsvAvEOL. */
export function clientBlob(timestamp: Buffer, clientChallenge: Buffer, targetInfo: Buffer): Buffer {
  return Buffer.concat([Buffer.from([1, 1, 0, 0, 0, 0, 0, 0]), timestamp, clientChallenge, Buffer.alloc(4), targetInfo, Buffer.alloc(4)]);
}

export interface V2Responses { ntProofStr: Buffer; ntResponse: Buffer; lmResponse: Buffer; sessionBaseKey: Buffer }

/** The NT and LM challenge responses and the session base key for one challenge. */
export function computeV2(o: { responseKey: Buffer; serverChallenge: Buffer; clientChallenge: Buffer; blob: Buffer }): V2Responses {
  const ntProofStr = hmacMd5(o.responseKey, o.serverChallenge, o.blob);
  return {
    ntProofStr,
    ntResponse: Buffer.concat([ntProofStr, o.blob]),
    lmResponse: Buffer.concat([hmacMd5(o.responseKey, o.serverChallenge, o.clientChallenge), o.clientChallenge]),
    sessionBaseKey: hmacMd5(o.responseKey, ntProofStr),
  };
}

/** A Date as a Windows FILETIME (100 ns ticks since 1601-01-01), 8 bytes little-endian. */
export function fileTime(date: Date): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE((BigInt(date.getTime()) + 11644473600000n) * 10000n);
  return b;
}
