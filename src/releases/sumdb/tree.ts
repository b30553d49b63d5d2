// The Merkle tree of a Go checksum database (golang.org/x/mod/sumdb/tlog, re-written): the signed tree head,
// RFC 6962 hashing, hash tiles of height 8, and an inclusion check of one record against the signed root.
// Pure: tiles come from a `fetch(path)` callback.
import { createHash } from 'node:crypto';
import { sumdbError } from './note.ts';

export const HASH_SIZE = 32;
export const TILE_HEIGHT = 8;
const TILE_WIDTH = 1 << TILE_HEIGHT;

export interface Tree {
  size: number;
  hash: Buffer;
}

export type Fetch = (path: string) => Promise<Buffer>;

const TREE_HEADER = 'go.sum database tree\n';

/** Parse the text of a signed tree head: `go.sum database tree\nN\nbase64 hash\n`. */
export function parseTree(text: string): Tree {
  const m = /^go\.sum database tree\n(0|[1-9][0-9]{0,15})\n([A-Za-z0-9+/]{43}=)\n$/.exec(text);
  if (!m?.[1] || !m[2]) throw sumdbError(`malformed tree note: ${JSON.stringify(text.slice(0, 80))}`);
  const size = Number(m[1]);
  if (!Number.isSafeInteger(size)) throw sumdbError(`tree size ${m[1]} out of range`);
  return { size, hash: Buffer.from(m[2], 'base64') };
}

export function formatTree(tree: Tree): string {
  return `${TREE_HEADER}${tree.size}\n${tree.hash.toString('base64')}\n`;
}

/** RFC 6962 leaf hash: SHA-256(0x00 || data). */
export function recordHash(data: Buffer): Buffer {
  return createHash('sha256').update(Buffer.from([0])).update(data).digest();
}

/** RFC 6962 interior node hash: SHA-256(0x01 || left || right). */
export function nodeHash(left: Buffer, right: Buffer): Buffer {
  return createHash('sha256').update(Buffer.from([1])).update(left).update(right).digest();
}

/** `tile/8/L/x001/234[.p/W]`: N in 3-digit groups, all but the last prefixed with x. */
export function tilePath(level: number | 'data', index: number, width: number): string {
  let n = String(index % 1000).padStart(3, '0');
  for (let rest = Math.floor(index / 1000); rest > 0; rest = Math.floor(rest / 1000)) {
    n = `x${String(rest % 1000).padStart(3, '0')}/${n}`;
  }
  const partial = width < TILE_WIDTH ? `.p/${width}` : '';
  return `tile/${TILE_HEIGHT}/${level}/${n}${partial}`;
}

/**
 * Reads hashes of complete subtrees of a tree of `treeSize` records out of hash tiles, each tile fetched once.
 * A tile is fetched at the width the tree gives it (partial `.p/W` at the right edge, the full tile if that fails).
 */
export class TileReader {
  private readonly tiles = new Map<string, Promise<Buffer>>();

  constructor(private readonly treeSize: number, private readonly fetch: Fetch) {}

  /** Hash of the complete subtree of 2^level records starting at record index * 2^level. */
  async hashAt(level: number, index: number): Promise<Buffer> {
    const tileLevel = Math.floor(level / TILE_HEIGHT);
    const sub = level - tileLevel * TILE_HEIGHT;
    const first = index * 2 ** sub;
    const count = 2 ** sub;
    const tileIndex = Math.floor(first / TILE_WIDTH);
    const tile = await this.tile(tileLevel, tileIndex);
    const offset = first - tileIndex * TILE_WIDTH;
    if ((offset + count) * HASH_SIZE > tile.length) {
      throw sumdbError(`tile ${tilePath(tileLevel, tileIndex, TILE_WIDTH)} does not hold the hashes the tree needs`);
    }
    let row: Buffer[] = [];
    for (let i = 0; i < count; i++) row.push(tile.subarray((offset + i) * HASH_SIZE, (offset + i + 1) * HASH_SIZE));
    while (row.length > 1) {
      const next: Buffer[] = [];
      for (let i = 0; i < row.length; i += 2) next.push(nodeHash(row[i] as Buffer, row[i + 1] as Buffer));
      row = next;
    }
    return row[0] as Buffer;
  }

  /** Merkle tree hash of records [lo, hi) (RFC 6962 MTH), from complete subtrees. */
  async rangeHash(lo: number, hi: number): Promise<Buffer> {
    const n = hi - lo;
    const k = largestPowerOfTwoBelow(n + 1);
    if (k === n && lo % k === 0) return this.hashAt(Math.log2(k), lo / k);
    const split = largestPowerOfTwoBelow(n);
    return nodeHash(await this.rangeHash(lo, lo + split), await this.rangeHash(lo + split, hi));
  }

  private tile(level: number, index: number): Promise<Buffer> {
    const stored = Math.floor(this.treeSize / TILE_WIDTH ** level);
    const width = Math.min(TILE_WIDTH, stored - index * TILE_WIDTH);
    if (width <= 0) return Promise.reject(sumdbError(`tile ${level}/${index} lies beyond the tree of ${this.treeSize}`));
    const path = tilePath(level, index, width);
    let tile = this.tiles.get(path);
    if (!tile) {
      tile = this.fetchTile(level, index, width);
      this.tiles.set(path, tile);
    }
    return tile;
  }

  private async fetchTile(level: number, index: number, width: number): Promise<Buffer> {
    const path = tilePath(level, index, width);
    let data: Buffer;
    try {
      data = await this.fetch(path);
    } catch (err) {
      if (width === TILE_WIDTH) throw err;
      data = await this.fetch(tilePath(level, index, TILE_WIDTH)); // the partial tile may be gone once full
    }
    if (data.length < width * HASH_SIZE || (data.length !== width * HASH_SIZE && data.length !== TILE_WIDTH * HASH_SIZE)) {
      throw sumdbError(`tile ${path} has ${data.length} bytes, want ${width * HASH_SIZE}`);
    }
    return data.subarray(0, width * HASH_SIZE);
  }
}

/** Largest power of two strictly below n (n >= 2). */
function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** The root hash of the whole tree, from tiles. */
export function treeHash(reader: TileReader, size: number): Promise<Buffer> {
  if (size === 0) return Promise.resolve(createHash('sha256').digest());
  return reader.rangeHash(0, size);
}

/**
 * Check that `leaf` is the hash of record `index` in `tree`: rebuild the root from the leaf and the
 * RFC 6962 audit path (sibling subtree hashes read from tiles) and compare it with the signed root.
 */
export async function checkRecord(tree: Tree, index: number, leaf: Buffer, fetch: Fetch): Promise<void> {
  if (!Number.isSafeInteger(index) || index < 0 || index >= tree.size) {
    throw sumdbError(`record ${index} is not in the tree of ${tree.size} records`);
  }
  const reader = new TileReader(tree.size, fetch);
  const root = await rootWith(reader, index, leaf, 0, tree.size);
  if (!root.equals(tree.hash)) {
    throw sumdbError(`record ${index} is not included in the signed tree of ${tree.size} records (tiles or record tampered with)`);
  }
}

async function rootWith(reader: TileReader, index: number, leaf: Buffer, lo: number, hi: number): Promise<Buffer> {
  if (hi - lo === 1) return leaf;
  const mid = lo + largestPowerOfTwoBelow(hi - lo);
  if (index < mid) return nodeHash(await rootWith(reader, index, leaf, lo, mid), await reader.rangeHash(mid, hi));
  return nodeHash(await reader.rangeHash(lo, mid), await rootWith(reader, index, leaf, mid, hi));
}

/**
 * Check that the smaller of two signed trees is a prefix of the larger (tlog's consistency check): rebuild the
 * larger root from tiles split at the smaller size, and the smaller root from the pieces left of that split.
 * A server that forked its log (showed different histories to different clients) fails here.
 */
export async function checkTreeConsistency(a: Tree, b: Tree, fetch: Fetch): Promise<void> {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  if (small.size === large.size) {
    if (!small.hash.equals(large.hash)) throw sumdbError(`two signed trees of ${small.size} records differ: the checksum database forked its log`);
    return;
  }
  if (small.size === 0) return;
  const reader = new TileReader(large.size, fetch);
  const pieces: Buffer[] = [];
  const root = await rootSplitAt(reader, small.size, 0, large.size, pieces);
  if (!root.equals(large.hash)) throw sumdbError(`tiles do not match the signed tree of ${large.size} records (tampered tile)`);
  let smallRoot = pieces[pieces.length - 1] as Buffer;
  for (let i = pieces.length - 2; i >= 0; i--) smallRoot = nodeHash(pieces[i] as Buffer, smallRoot);
  if (!smallRoot.equals(small.hash)) {
    throw sumdbError(`the signed tree of ${small.size} records is not a prefix of the one of ${large.size}: the checksum database forked its log`);
  }
}

/** MTH(lo, hi), never reading a subtree that straddles `split`; subtrees left of it are pushed to `pieces`. */
async function rootSplitAt(reader: TileReader, split: number, lo: number, hi: number, pieces: Buffer[]): Promise<Buffer> {
  if (hi <= split || lo >= split) {
    const h = await reader.rangeHash(lo, hi);
    if (hi <= split) pieces.push(h);
    return h;
  }
  const mid = lo + largestPowerOfTwoBelow(hi - lo);
  const left = await rootSplitAt(reader, split, lo, mid, pieces);
  return nodeHash(left, await rootSplitAt(reader, split, mid, hi, pieces));
}
