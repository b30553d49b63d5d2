// NTLM message encoding (MS-NLMP 2.2.1): NEGOTIATE (Type 1), CHALLENGE (Type 2), AUTHENTICATE (Type 3), and the
// AV pairs of a challenge's TargetInfo (2.2.2.1). Every variable field is a (length, max length, offset) triple
// pointing into the payload after the fixed header.
import { AvId, NegotiateFlag, has } from './flags.ts';

export const SIGNATURE = Buffer.from('NTLMSSP\0', 'latin1');
/** Windows 10 build 17763, NTLM revision 15 (NTLMSSP_REVISION_W2K3): informational only. */
export const VERSION = Buffer.from([10, 0, 0x63, 0x45, 0, 0, 0, 0x0f]);
/** Byte offset of the MIC in an AUTHENTICATE message (after the version field). */
export const MIC_OFFSET = 72;
const AUTH_HEADER = 88;

export class NtlmMessageError extends Error {
  override readonly name = 'NtlmMessageError';
}

export interface AvPair { id: number; value: Buffer }

export function encodeAvPairs(pairs: AvPair[]): Buffer {
  const parts = pairs.filter((p) => p.id !== AvId.EOL).flatMap((p) => {
    const head = Buffer.alloc(4);
    head.writeUInt16LE(p.id, 0);
    head.writeUInt16LE(p.value.length, 2);
    return [head, p.value];
  });
  return Buffer.concat([...parts, Buffer.alloc(4)]);
}

export function decodeAvPairs(buf: Buffer): AvPair[] {
  const pairs: AvPair[] = [];
  for (let off = 0; off + 4 <= buf.length;) {
    const id = buf.readUInt16LE(off);
    const len = buf.readUInt16LE(off + 2);
    if (id === AvId.EOL) return pairs;
    if (off + 4 + len > buf.length) break;
    pairs.push({ id, value: buf.subarray(off + 4, off + 4 + len) });
    off += 4 + len;
  }
  throw new NtlmMessageError('NTLM AV pairs are truncated (no MsvAvEOL)');
}

function checkHeader(buf: Buffer, type: number, minLength: number): void {
  if (buf.length < minLength || !buf.subarray(0, 8).equals(SIGNATURE) || buf.readUInt32LE(8) !== type) {
    throw new NtlmMessageError(`not an NTLM type ${type} message`);
  }
}

function readField(buf: Buffer, at: number): Buffer {
  const len = buf.readUInt16LE(at);
  const off = buf.readUInt32LE(at + 4);
  if (off + len > buf.length) throw new NtlmMessageError('NTLM message field points past its end');
  return buf.subarray(off, off + len);
}

/** Lays out a fixed header followed by the fields' payload, writing each field's (len, max, offset) at its position. */
function withPayload(header: Buffer, fields: [at: number, value: Buffer][]): Buffer {
  let off = header.length;
  for (const [at, value] of fields) {
    header.writeUInt16LE(value.length, at);
    header.writeUInt16LE(value.length, at + 2);
    header.writeUInt32LE(off, at + 4);
    off += value.length;
  }
  return Buffer.concat([header, ...fields.map(([, v]) => v)]);
}

export const encodeText = (text: string, flags: number): Buffer => Buffer.from(text, has(flags, NegotiateFlag.UNICODE) ? 'utf16le' : 'latin1');
const decodeText = (buf: Buffer, flags: number): string => buf.toString(has(flags, NegotiateFlag.UNICODE) ? 'utf16le' : 'latin1');

export function encodeNegotiate(flags: number): Buffer {
  const header = Buffer.alloc(40);
  SIGNATURE.copy(header);
  header.writeUInt32LE(1, 8);
  header.writeUInt32LE(flags >>> 0, 12);
  VERSION.copy(header, 32);
  return withPayload(header, [[16, Buffer.alloc(0)], [24, Buffer.alloc(0)]]);
}

export function decodeNegotiate(buf: Buffer): { flags: number } {
  checkHeader(buf, 1, 16);
  return { flags: buf.readUInt32LE(12) };
}

export interface Challenge { flags: number; serverChallenge: Buffer; targetName: string; targetInfo: AvPair[] }

export function encodeChallenge(c: Challenge): Buffer {
  const header = Buffer.alloc(56);
  SIGNATURE.copy(header);
  header.writeUInt32LE(2, 8);
  header.writeUInt32LE(c.flags >>> 0, 20);
  c.serverChallenge.copy(header, 24);
  VERSION.copy(header, 48);
  return withPayload(header, [[12, encodeText(c.targetName, c.flags)], [40, encodeAvPairs(c.targetInfo)]]);
}

/** Reads a CHALLENGE message (the raw NTLMSSP bytes; see unwrapSpnego for a wrapped one). */
export function parseChallenge(buf: Buffer): Challenge {
  checkHeader(buf, 2, 32);
  const flags = buf.readUInt32LE(20);
  const hasInfo = has(flags, NegotiateFlag.TARGET_INFO) && buf.length >= 48;
  return {
    flags,
    serverChallenge: Buffer.from(buf.subarray(24, 32)),
    targetName: decodeText(readField(buf, 12), flags),
    targetInfo: hasInfo ? decodeAvPairs(readField(buf, 40)) : [],
  };
}

export interface Authenticate {
  flags: number;
  lmResponse: Buffer;
  ntResponse: Buffer;
  domain: string;
  user: string;
  workstation: string;
  encryptedRandomSessionKey: Buffer;
  /** 16 bytes; zeros while the MIC is computed */
  mic: Buffer;
}

export function encodeAuthenticate(a: Authenticate): Buffer {
  const header = Buffer.alloc(AUTH_HEADER);
  SIGNATURE.copy(header);
  header.writeUInt32LE(3, 8);
  header.writeUInt32LE(a.flags >>> 0, 60);
  VERSION.copy(header, 64);
  a.mic.copy(header, MIC_OFFSET);
  return withPayload(header, [
    [28, encodeText(a.domain, a.flags)], [36, encodeText(a.user, a.flags)], [44, encodeText(a.workstation, a.flags)],
    [12, a.lmResponse], [20, a.ntResponse], [52, a.encryptedRandomSessionKey],
  ]);
}

export function decodeAuthenticate(buf: Buffer): Authenticate {
  checkHeader(buf, 3, 64);
  const flags = buf.readUInt32LE(60);
  const offsets = [12, 20, 28, 36, 44, 52].filter((at) => buf.readUInt16LE(at) > 0).map((at) => buf.readUInt32LE(at + 4));
  const payloadStart = Math.min(buf.length, ...offsets);
  return {
    flags,
    lmResponse: readField(buf, 12),
    ntResponse: readField(buf, 20),
    domain: decodeText(readField(buf, 28), flags),
    user: decodeText(readField(buf, 36), flags),
    workstation: decodeText(readField(buf, 44), flags),
    encryptedRandomSessionKey: readField(buf, 52),
    mic: payloadStart >= MIC_OFFSET + 16 ? Buffer.from(buf.subarray(MIC_OFFSET, MIC_OFFSET + 16)) : Buffer.alloc(0),
  };
}
