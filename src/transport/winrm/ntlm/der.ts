// A minimal DER reader (tag, length, value), enough for SPNEGO tokens and an X.509 certificate's outer fields.

export class DerError extends Error {
  override readonly name = 'DerError';
}

export interface Tlv { tag: number; value: Buffer; end: number }

/** The TLV at `at` (definite lengths only, as DER requires). */
export function readTlv(buf: Buffer, at: number): Tlv {
  if (at + 2 > buf.length) throw new DerError('DER value is truncated');
  const tag = buf[at]!;
  let len = buf[at + 1]!;
  let off = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || off + n > buf.length) throw new DerError('DER value has a bad length');
    len = buf.subarray(off, off + n).reduce((acc, b) => acc * 256 + b, 0);
    off += n;
  }
  if (off + len > buf.length) throw new DerError('DER value is truncated');
  return { tag, value: buf.subarray(off, off + len), end: off + len };
}

/** The TLVs that make up a constructed value's contents. */
export function children(buf: Buffer): Tlv[] {
  const out: Tlv[] = [];
  for (let at = 0; at < buf.length;) {
    const t = readTlv(buf, at);
    out.push(t);
    at = t.end;
  }
  return out;
}
