// Percent-encoding of protocol values (the @@gofleet lines and the facts lines), shared by every dialect.
// The host side encodes every byte outside [A-Za-z0-9._~/:@+-] as %XX (POSIX: `gf_enc` in posix/sh-common.ts);
// this side decodes bytes and then reads them as UTF-8 (an invalid or cut sequence becomes U+FFFD).

/** Decode a percent-encoded protocol value. Malformed escapes are kept literally. */
export function percentDecode(value: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (ch === '%' && /^[0-9A-Fa-f]{2}$/.test(value.slice(i + 1, i + 3))) {
      bytes.push(parseInt(value.slice(i + 1, i + 3), 16));
      i += 2;
      continue;
    }
    for (const b of Buffer.from(ch ?? '', 'utf8')) bytes.push(b);
  }
  return Buffer.from(bytes).toString('utf8');
}

const SAFE = /[A-Za-z0-9._~/:@+-]/;

/** Encode like the host does (used by tests and for symmetry). */
export function percentEncode(value: string): string {
  let out = '';
  for (const b of Buffer.from(value, 'utf8')) {
    const ch = String.fromCharCode(b);
    out += b < 128 && SAFE.test(ch) ? ch : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}
