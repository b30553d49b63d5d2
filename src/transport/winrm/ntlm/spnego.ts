// A server may answer `Negotiate <base64>` with the NTLM CHALLENGE wrapped in SPNEGO (RFC 4178): a NegTokenResp
// ([1] SEQUENCE { [0] negState, [1] supportedMech, [2] responseToken OCTET STRING, [3] mechListMIC }) or, rarely,
// a NegTokenInit inside the GSS-API [APPLICATION 0] header. Only the token is needed: this is a minimal DER reader.
import { DerError, children, readTlv } from './der.ts';
import { SIGNATURE } from './messages.ts';

export class SpnegoError extends Error {
  override readonly name = 'SpnegoError';
}

/** The token ([2]) of a NegTokenInit or NegTokenResp SEQUENCE. */
function tokenOf(negToken: Buffer): Buffer {
  const seq = readTlv(negToken, 0);
  if (seq.tag !== 0x30) throw new SpnegoError('SPNEGO NegToken is not a SEQUENCE');
  const field = children(seq.value).find((t) => t.tag === 0xa2);
  if (!field) throw new SpnegoError('SPNEGO token carries no mechanism token');
  const octets = readTlv(field.value, 0);
  if (octets.tag !== 0x04) throw new SpnegoError('SPNEGO mechanism token is not an OCTET STRING');
  return Buffer.from(octets.value);
}

/** The NTLMSSP message inside `buf`; a raw NTLMSSP message is returned as is. */
export function unwrapSpnego(buf: Buffer): Buffer {
  if (buf.subarray(0, 8).equals(SIGNATURE)) return buf;
  try {
    return unwrapDer(buf);
  } catch (e) {
    if (e instanceof DerError) throw new SpnegoError(`SPNEGO token: ${e.message}`);
    throw e;
  }
}

function unwrapDer(buf: Buffer): Buffer {
  const outer = readTlv(buf, 0);
  let token: Buffer;
  if (outer.tag === 0xa1) token = tokenOf(outer.value);
  else if (outer.tag === 0x60) {
    const init = children(outer.value).find((t) => t.tag === 0xa0);
    if (!init) throw new SpnegoError('SPNEGO GSS token carries no NegTokenInit');
    token = tokenOf(init.value);
  } else throw new SpnegoError(`not an NTLM or SPNEGO token (first byte 0x${(buf[0] ?? 0).toString(16)})`);
  if (!token.subarray(0, 8).equals(SIGNATURE)) throw new SpnegoError('the SPNEGO token does not hold an NTLM message (another mechanism was chosen)');
  return token;
}

/**
 * The token of a `WWW-Authenticate` header for NTLM: `Negotiate <base64>` or `NTLM <base64>` (several challenges
 * may come as an array or comma-joined). Null when the header offers no token for either scheme.
 */
export function tokenFromAuthHeader(header: string | string[] | undefined): Buffer | null {
  const values = (Array.isArray(header) ? header : [header ?? '']).flatMap((h) => h.split(','));
  for (const v of values) {
    const m = /^\s*(?:Negotiate|NTLM)\s+([A-Za-z0-9+/=]+)\s*$/i.exec(v);
    if (m) return unwrapSpnego(Buffer.from(m[1]!, 'base64'));
  }
  return null;
}
