// MD4 (RFC 1320) in TypeScript. NTLM needs it for the NT hash (NTOWF), and Node 20's OpenSSL 3 refuses it
// (ERR_OSSL_EVP_UNSUPPORTED) unless the legacy provider is loaded, which gofleet never asks users to do.
// MD4 is broken as a hash; it is used here only because the NTLM protocol is defined with it.

const rotl = (x: number, n: number): number => (x << n) | (x >>> (32 - n));

const F = (x: number, y: number, z: number): number => (x & y) | (~x & z);
const G = (x: number, y: number, z: number): number => (x & y) | (x & z) | (y & z);
const H = (x: number, y: number, z: number): number => x ^ y ^ z;

/** Round 1 word order is 0..15; rounds 2 and 3 use these orders, with these shifts. */
const R2_ORDER = [0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15];
const R3_ORDER = [0, 8, 4, 12, 2, 10, 6, 14, 1, 9, 5, 13, 3, 11, 7, 15];
const S1 = [3, 7, 11, 19];
const S2 = [3, 5, 9, 13];
const S3 = [3, 9, 11, 15];

/** The message padded to a multiple of 64 bytes: 0x80, zeros, the bit length as a 64-bit little-endian number. */
function pad(data: Buffer): Buffer {
  const padded = Buffer.alloc((((data.length + 8) >>> 6) + 1) * 64);
  data.copy(padded);
  padded[data.length] = 0x80;
  const bits = data.length * 8;
  padded.writeUInt32LE(bits >>> 0, padded.length - 8);
  padded.writeUInt32LE(Math.floor(bits / 0x100000000), padded.length - 4);
  return padded;
}

/** One 64-byte block folded into the state (a, b, c, d). */
function block(state: number[], x: number[]): void {
  const h = [...state] as [number, number, number, number];
  const step = (f: (x: number, y: number, z: number) => number, k: number, s: number, add: number, i: number): void => {
    const [a, b, c, d] = [h[(4 - i) % 4]!, h[(5 - i) % 4]!, h[(6 - i) % 4]!, h[(7 - i) % 4]!];
    h[(4 - i) % 4] = rotl((a + f(b, c, d) + x[k]! + add) | 0, s);
  };
  for (let i = 0; i < 16; i++) step(F, i, S1[i % 4]!, 0, i % 4);
  for (let i = 0; i < 16; i++) step(G, R2_ORDER[i]!, S2[i % 4]!, 0x5a827999, i % 4);
  for (let i = 0; i < 16; i++) step(H, R3_ORDER[i]!, S3[i % 4]!, 0x6ed9eba1, i % 4);
  for (let i = 0; i < 4; i++) state[i] = (state[i]! + h[i]!) | 0;
}

/** The 16-byte MD4 digest of `data`. */
export function md4(data: Buffer): Buffer {
  const padded = pad(data);
  const state = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476];
  const x = new Array<number>(16);
  for (let off = 0; off < padded.length; off += 64) {
    for (let i = 0; i < 16; i++) x[i] = padded.readInt32LE(off + i * 4);
    block(state, x);
  }
  const out = Buffer.alloc(16);
  state.forEach((v, i) => out.writeInt32LE(v, i * 4));
  return out;
}
