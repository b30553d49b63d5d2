// WinRM message encryption over HTTP (MS-WSMV 2.2.9.1, as pywinrm winrm/encryption.py frames it, byte for byte):
//   --Encrypted Boundary\r\n
//   \tContent-Type: application/HTTP-SPNEGO-session-encrypted\r\n
//   \tOriginalContent: type=application/soap+xml;charset=UTF-8;Length=<plaintext bytes>\r\n
//   --Encrypted Boundary\r\n
//   \tContent-Type: application/octet-stream\r\n
//   <uint32 LE signature length><NTLM signature><sealed SOAP>--Encrypted Boundary--\r\n
// NTLM sealing is a stream cipher, so the sealed part is exactly Length bytes: the reader takes it by length
// rather than by searching for the next boundary (which sealed bytes could contain by chance).
import { GofleetError } from '../../errors.ts';
import { NtlmIntegrityError, type NtlmSession } from './ntlm/session.ts';

export const ENCRYPTED_CONTENT_TYPE = 'multipart/encrypted;protocol="application/HTTP-SPNEGO-session-encrypted";boundary="Encrypted Boundary"';

const BOUNDARY = '--Encrypted Boundary';
const PART = Buffer.from(`${BOUNDARY}\r\n`);
const END = Buffer.from(`${BOUNDARY}--`);
const PROTOCOL = 'application/HTTP-SPNEGO-session-encrypted';
const OCTET_STREAM = Buffer.from('\tContent-Type: application/octet-stream\r\n');

/** True when a response's Content-Type says its body is NTLM/SPNEGO-encrypted (then decryptMessage reads it). */
export function isEncryptedContentType(contentType: string | undefined): boolean {
  return contentType !== undefined && /^multipart\/(x-multi-)?encrypted/i.test(contentType) && contentType.includes(`protocol="${PROTOCOL}"`);
}

/** The multipart/encrypted body for `plain` (a SOAP envelope), sealed and signed with the session. */
export function encryptMessage(session: NtlmSession, plain: Buffer): Buffer {
  const { signature, sealed } = session.wrap(plain);
  const sigLength = Buffer.alloc(4);
  sigLength.writeUInt32LE(signature.length);
  return Buffer.concat([
    PART,
    Buffer.from(`\tContent-Type: ${PROTOCOL}\r\n\tOriginalContent: type=application/soap+xml;charset=UTF-8;Length=${plain.length}\r\n`),
    PART, OCTET_STREAM, sigLength, signature, sealed, END, Buffer.from('\r\n'),
  ]);
}

function fail(what: string, cause?: unknown): never {
  throw new GofleetError('WINRM_PROTOCOL', `WinRM encrypted message: ${what}`, cause === undefined ? {} : { cause });
}

const startsWithAt = (buf: Buffer, at: number, prefix: Buffer): boolean => buf.subarray(at, at + prefix.length).equals(prefix);

/**
 * One encrypted part at `at`: returns the plaintext and where the next boundary starts. The sealed bytes run to
 * the next boundary, searched from Length bytes on (NTLM sealing keeps the length, so sealed bytes that happen to
 * contain the boundary text cannot cut the part short); the unsealed length must then equal Length, as pywinrm checks.
 */
function readPart(session: NtlmSession, body: Buffer, at: number): { plain: Buffer; next: number } {
  const headerEnd = body.indexOf(PART, at);
  if (headerEnd < 0) fail('no second boundary after the part header');
  const header = body.subarray(at, headerEnd).toString('latin1');
  if (!header.includes(PROTOCOL)) fail(`the part is not ${PROTOCOL}`);
  const m = /Length=(\d+)/.exec(header);
  if (!m) fail('the part header has no Length=');
  const length = Number(m[1]);
  let off = headerEnd + PART.length;
  if (!startsWithAt(body, off, OCTET_STREAM)) fail('the data part is not application/octet-stream');
  off += OCTET_STREAM.length;
  if (off + 4 > body.length) fail('the body ends before the signature length');
  const sigLength = body.readUInt32LE(off);
  off += 4;
  if (off + sigLength > body.length) fail('the body ends inside the signature');
  const signature = body.subarray(off, off + sigLength);
  off += sigLength;
  const end = body.indexOf(BOUNDARY, off + length);
  if (end < 0) fail(`no boundary after the sealed data (Length=${length})`);
  let plain: Buffer;
  try {
    plain = session.unwrap(body.subarray(off, end), signature);
  } catch (e) {
    if (e instanceof NtlmIntegrityError) fail(`the NTLM signature does not match (${e.message})`, e);
    throw e;
  }
  if (plain.length !== length) fail(`the decrypted length ${plain.length} is not the Length=${length} announced: the message was altered`);
  return { plain, next: end };
}

/** The plaintext SOAP of a multipart/encrypted body: Length= checked, each part's NTLM signature verified. */
export function decryptMessage(session: NtlmSession, body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    if (!startsWithAt(body, at, PART)) fail('a part does not start with the boundary');
    const { plain, next } = readPart(session, body, at + PART.length);
    parts.push(plain);
    at = next;
    // The last part ends with the closing boundary, or (pywinrm accepts both) a plain one.
    const closing = startsWithAt(body, at, END) ? END.length : startsWithAt(body, at, PART) ? PART.length : -1;
    if (closing > 0 && body.subarray(at + closing).toString('latin1').trim() === '') return Buffer.concat(parts);
    if (!startsWithAt(body, at, PART)) fail('unexpected bytes after a part');
  }
}
