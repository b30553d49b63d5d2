// Signed notes of a Go checksum database (golang.org/x/mod/sumdb/note, re-written):
// a verifier key `name+hash8hex+base64(0x01 || ed25519 public key)` and a note
// `text\n` + `\n` + lines `— name base64(keyhash4 || signature64)\n`. Pure: no I/O.
import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { GofleetError } from '../../errors.ts';

export interface VerifierKey {
  name: string;
  /** first 4 bytes of SHA-256(name + "\n" + 0x01 || key), big-endian */
  hash: number;
  publicKey: KeyObject;
}

export interface SignedNote {
  /** the signed text, ending in "\n" */
  text: string;
  signatures: { name: string; hash: number; signature: Buffer }[];
}

const ALG_ED25519 = 1;
/** DER prefix of an Ed25519 SubjectPublicKeyInfo; the raw 32-byte key follows. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const SIG_PREFIX = '\u2014 ';

export function sumdbError(message: string, cause?: unknown): GofleetError {
  return new GofleetError('SUMDB_VERIFY_FAILED', message, { cause });
}

function isValidName(name: string): boolean {
  return name.length > 0 && !/[\s+]/u.test(name) && /^[\x21-\x7e]+$/.test(name);
}

/** SHA-256(name + "\n" + key)[0:4] as a big-endian number, as note.go's keyHash. */
export function keyHash(name: string, key: Buffer): number {
  const h = createHash('sha256').update(`${name}\n`).update(key).digest();
  return h.readUInt32BE(0);
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function decodeBase64(s: string, what: string): Buffer {
  if (!BASE64.test(s) || s.length % 4 !== 0) throw sumdbError(`${what}: not base64`);
  return Buffer.from(s, 'base64');
}

/** Parse a verifier key like `sum.golang.org+033de0ae+Ac4z…`. */
export function parseVerifierKey(vkey: string): VerifierKey {
  const m = /^([^+]*)\+([^+]*)\+(.*)$/s.exec(vkey);
  if (!m) throw sumdbError(`malformed verifier key ${JSON.stringify(vkey)}: want name+hash+key`);
  const [, name = '', hashHex = '', keyB64 = ''] = m;
  if (!isValidName(name) || !/^[0-9a-f]{8}$/.test(hashHex)) {
    throw sumdbError(`malformed verifier key ${JSON.stringify(vkey)}: bad name or hash`);
  }
  const key = decodeBase64(keyB64, `verifier key ${name}`);
  if (key.length !== 33 || key[0] !== ALG_ED25519) {
    throw sumdbError(`verifier key ${name}: unknown algorithm or length (want 0x01 + 32-byte Ed25519 key)`);
  }
  const hash = Number.parseInt(hashHex, 16);
  if (keyHash(name, key) !== hash) throw sumdbError(`verifier key ${name}: hash ${hashHex} does not match the key`);
  const publicKey = createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, key.subarray(1)]), format: 'der', type: 'spki' });
  return { name, hash, publicKey };
}

/** Split a signed note into its text and signature lines (no verification). */
export function parseNote(msg: string): SignedNote {
  const split = msg.lastIndexOf('\n\n');
  if (split < 0) throw sumdbError('malformed note: no blank line before the signatures');
  const text = msg.slice(0, split + 1);
  const sigBlock = msg.slice(split + 2);
  if (!sigBlock.endsWith('\n')) throw sumdbError('malformed note: signatures do not end in a newline');
  const signatures: SignedNote['signatures'] = [];
  for (const line of sigBlock.slice(0, -1).split('\n')) {
    if (!line.startsWith(SIG_PREFIX)) throw sumdbError(`malformed note: bad signature line ${JSON.stringify(line)}`);
    const fields = line.slice(SIG_PREFIX.length).split(' ');
    const [name = '', b64 = ''] = fields;
    if (fields.length !== 2 || !isValidName(name)) throw sumdbError(`malformed note: bad signature line ${JSON.stringify(line)}`);
    const raw = decodeBase64(b64, `signature by ${name}`);
    if (raw.length < 5) throw sumdbError(`malformed note: signature by ${name} too short`);
    signatures.push({ name, hash: raw.readUInt32BE(0), signature: raw.subarray(4) });
  }
  if (signatures.length === 0) throw sumdbError('malformed note: no signatures');
  return { text, signatures };
}

/**
 * Parse `msg` and verify it with `key`: a signature whose name and key hash match must be present and valid.
 * Signatures by other keys are ignored. Returns the verified text.
 */
export function openNote(msg: string, key: VerifierKey): string {
  const note = parseNote(msg);
  const mine = note.signatures.filter((s) => s.name === key.name && s.hash === key.hash);
  if (mine.length === 0) throw sumdbError(`note is not signed by ${key.name} (unknown or unsigned note)`);
  for (const sig of mine) {
    if (sig.signature.length !== 64 || !verify(null, Buffer.from(note.text, 'utf8'), key.publicKey, sig.signature)) {
      throw sumdbError(`note signature by ${key.name} does not verify: the note was tampered with`);
    }
  }
  return note.text;
}
