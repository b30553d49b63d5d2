// Ed25519 keys and signatures of a signed mirror (`gofleet mirror keygen|sync`, `--trust-key`).
//   private key file: PKCS#8 PEM, mode 0600, never printed
//   public key (KEYFILE.pub, and what --trust-key reads): one line `gofleet-mirror+<base64 of the raw 32 bytes>`
//   index.json.sig: one line `gofleet-mirror-sig+<base64 of the 64-byte signature>` over index.json's exact bytes
// Pure except the key file I/O in the two *File functions.

import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { GofleetError } from '../errors.ts';

const PUB_PREFIX = 'gofleet-mirror+';
const SIG_PREFIX = 'gofleet-mirror-sig+';
/** DER SubjectPublicKeyInfo prefix of an Ed25519 key; the raw 32 bytes follow */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export interface MirrorKeyPair {
  /** PKCS#8 PEM */
  privatePem: string;
  /** `gofleet-mirror+<base64>` */
  publicText: string;
}

export function generateMirrorKey(): MirrorKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), publicText: publicKeyText(publicKey) };
}

function publicKeyText(key: KeyObject): string {
  const der = key.export({ type: 'spki', format: 'der' });
  return PUB_PREFIX + der.subarray(ED25519_SPKI_PREFIX.length).toString('base64');
}

/** Parse `gofleet-mirror+<base64>`; BAD_OPTION naming `where` for anything else. */
export function parsePublicKey(text: string, where: string): KeyObject {
  const line = text.trim();
  const raw = line.startsWith(PUB_PREFIX) ? Buffer.from(line.slice(PUB_PREFIX.length), 'base64') : null;
  if (!raw || raw.length !== 32 || raw.toString('base64') !== line.slice(PUB_PREFIX.length)) {
    throw new GofleetError('BAD_OPTION', `${where} is not a gofleet mirror public key (one line: ${PUB_PREFIX}<base64 of 32 bytes>)`);
  }
  return createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
}

/** The `index.json.sig` text for `data`. */
export function signIndex(data: Buffer, privatePem: string, where: string): string {
  let key: KeyObject;
  try {
    key = createPrivateKey(privatePem);
  } catch (err) {
    throw new GofleetError('BAD_OPTION', `${where} is not a PEM private key (make one with gofleet mirror keygen)`, { cause: err });
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new GofleetError('BAD_OPTION', `${where} is not an Ed25519 key (make one with gofleet mirror keygen)`);
  return `${SIG_PREFIX}${sign(null, data, key).toString('base64')}\n`;
}

/** Throw SOURCE_SIGNATURE_MISSING / _INVALID unless `sig` is a valid signature of `data` by `key`. */
export function verifyIndex(data: Buffer, sig: string | null, key: KeyObject, where: string): void {
  if (sig === null) {
    throw new GofleetError('SOURCE_SIGNATURE_MISSING', `${where}index.json.sig does not exist, and --trust-key requires a signed index.json`);
  }
  const line = sig.trim();
  const raw = line.startsWith(SIG_PREFIX) ? Buffer.from(line.slice(SIG_PREFIX.length), 'base64') : Buffer.alloc(0);
  if (raw.length !== 64 || !verify(null, data, key, raw)) {
    throw new GofleetError('SOURCE_SIGNATURE_INVALID', `${where}index.json does not carry a valid signature by the --trust-key key (${publicKeyText(key)})`);
  }
}

/** Read a --trust-key file. */
export async function readPublicKeyFile(path: string): Promise<KeyObject> {
  const text = await readFile(path, 'utf8').catch((err: unknown) => {
    throw new GofleetError('BAD_OPTION', `--trust-key ${path}: ${(err as Error).message}`, { cause: err });
  });
  return parsePublicKey(text, `--trust-key ${path}`);
}

/** Write a new key pair: KEYFILE (0600, refused if it exists) and KEYFILE.pub. Returns the public key text. */
export async function writeKeyFiles(path: string): Promise<string> {
  const pair = generateMirrorKey();
  try {
    await writeFile(path, pair.privatePem, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    const exists = (err as NodeJS.ErrnoException).code === 'EEXIST';
    throw new GofleetError('BAD_OPTION', exists ? `${path} exists; gofleet never overwrites a key` : `cannot write ${path}: ${(err as Error).message}`, { cause: err });
  }
  await writeFile(`${path}.pub`, `${pair.publicText}\n`, { mode: 0o644 });
  return pair.publicText;
}
