// A tiny checksum database for tests: a test-generated Ed25519 key, records, RFC 6962 hashes computed
// here from scratch (not with src/releases/sumdb/tree.ts), hash tiles of height 8 and signed tree notes.
import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';

const sha256 = (...parts: Buffer[]): Buffer => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};
const leafHash = (data: Buffer): Buffer => sha256(Buffer.from([0]), data);
const node = (l: Buffer, r: Buffer): Buffer => sha256(Buffer.from([1]), l, r);

/** RFC 6962 MTH over leaf hashes, straight from the RFC's definition. */
export function merkleRoot(leaves: Buffer[]): Buffer {
  if (leaves.length === 0) return sha256();
  if (leaves.length === 1) return leaves[0] as Buffer;
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return node(merkleRoot(leaves.slice(0, k)), merkleRoot(leaves.slice(k)));
}

/** `tile/8/L/x001/234[.p/W]`, written out independently of the code under test. */
export function fakeTilePath(level: number, index: number, width: number): string {
  const groups: string[] = [];
  let n = index;
  do {
    groups.unshift(String(n % 1000).padStart(3, '0'));
    n = Math.floor(n / 1000);
  } while (n > 0);
  const name = groups.map((g, i) => (i < groups.length - 1 ? `x${g}` : g)).join('/');
  return `tile/8/${level}/${name}${width < 256 ? `.p/${width}` : ''}`;
}

export interface FakeSumdb {
  /** the verifier key, `name+hash+base64` */
  vkey: string;
  privateKey: KeyObject;
  name: string;
  /** record data by index */
  records: Buffer[];
  /** path (lookup/…, tile/…) -> bytes, as the server would answer for the tree of `records.length` */
  files: Map<string, Buffer>;
  /** sign `text` as a note with this database's key */
  signNote(text: string): string;
  /** the tree note text of the first `size` records */
  treeText(size: number): string;
  /** add the tiles a client of a tree of `size` records reads (partial tiles at that size) */
  addTiles(size: number): void;
}

export function fakeSumdb(name: string, modules: { module: string; version: string; h1: string; goModH1: string }[]): FakeSumdb {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const rawPub = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  const keyBytes = Buffer.concat([Buffer.from([1]), rawPub]);
  const hash = sha256(Buffer.from(`${name}\n`), keyBytes).subarray(0, 4);
  const vkey = `${name}+${hash.toString('hex')}+${keyBytes.toString('base64')}`;
  const records = modules.map((m) => Buffer.from(`${m.module} ${m.version} ${m.h1}\n${m.module} ${m.version}/go.mod ${m.goModH1}\n`));
  const leaves = records.map(leafHash);
  const files = new Map<string, Buffer>();
  const signNote = (text: string): string => {
    const sig = sign(null, Buffer.from(text), privateKey);
    return `${text}\n\u2014 ${name} ${Buffer.concat([hash, sig]).toString('base64')}\n`;
  };
  const treeText = (size: number): string =>
    `go.sum database tree\n${size}\n${merkleRoot(leaves.slice(0, size)).toString('base64')}\n`;
  const addTiles = (size: number): void => {
    for (let level = 0, span = 1; span <= size; level++, span *= 256) {
      const stored = Math.floor(size / span); // complete subtrees of `span` records
      for (let t = 0; t * 256 < stored; t++) {
        const width = Math.min(256, stored - t * 256);
        const hashes: Buffer[] = [];
        for (let i = t * 256; i < t * 256 + width; i++) hashes.push(merkleRoot(leaves.slice(i * span, (i + 1) * span)));
        files.set(fakeTilePath(level, t, width), Buffer.concat(hashes));
      }
    }
  };
  const headNote = signNote(treeText(records.length));
  records.forEach((data, i) => {
    const m = modules[i] as (typeof modules)[number];
    files.set(`lookup/${m.module}@${m.version}`, Buffer.concat([Buffer.from(`${i}\n`), data, Buffer.from(`\n${headNote}`)]));
  });
  addTiles(records.length);
  return { vkey, privateKey, name, records, files, signNote, treeText, addTiles };
}

/** Module entries with distinct fake hashes (base64 of 32 bytes, as h1 has). */
export function fakeModules(n: number): { module: string; version: string; h1: string; goModH1: string }[] {
  return Array.from({ length: n }, (_, i) => ({
    module: `example.com/m${i}`,
    version: 'v1.0.0',
    h1: `h1:${sha256(Buffer.from(`zip ${i}`)).toString('base64')}`,
    goModH1: `h1:${sha256(Buffer.from(`mod ${i}`)).toString('base64')}`,
  }));
}

/** A fetch over `files` that rejects (like a 404) for a missing path. */
export function fetchFrom(files: Map<string, Buffer>, seen?: string[]): (path: string) => Promise<Buffer> {
  return async (path) => {
    seen?.push(path);
    const data = files.get(path);
    if (!data) throw new Error(`404 ${path}`);
    return Buffer.from(data);
  };
}
