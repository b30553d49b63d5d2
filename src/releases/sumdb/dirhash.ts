// The `h1:` hash of a Go module zip (golang.org/x/mod/sumdb/dirhash Hash1 / HashZip, re-written):
// for each file name in sorted order, `hex(sha256(content))  name\n`; h1 = base64(sha256(all those lines)).
// Only names and contents count (not compression, times or order in the zip).
import { createHash } from 'node:crypto';
import yauzl from 'yauzl';
import { sumdbError } from './note.ts';

/** One file of a module: its name as raw bytes (UTF-8 for module zips) and the hex SHA-256 of its content. */
export interface HashedFile {
  name: Buffer;
  sha256: string;
}

/** h1 over files; names are compared and hashed as bytes, as Go does, and must not contain newlines. */
export function hash1(files: HashedFile[]): string {
  const sorted = [...files].sort((a, b) => Buffer.compare(a.name, b.name));
  const summary = createHash('sha256');
  for (const { name, sha256 } of sorted) {
    if (name.includes(0x0a)) throw sumdbError(`dirhash: file name with a newline: ${JSON.stringify(name.toString())}`);
    summary.update(`${sha256}  `).update(name).update('\n');
  }
  return `h1:${summary.digest('base64')}`;
}

/** The h1 hash of the module zip at `zipPath`, as the go command writes it to `.ziphash`. */
export async function hashZip(zipPath: string): Promise<string> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) => {
    yauzl.open(zipPath, { lazyEntries: true, autoClose: false, decodeStrings: false }, (err, z) => (err ? reject(err) : resolve(z)));
  });
  try {
    return hash1(await hashEntries(zip));
  } finally {
    zip.close();
  }
}

function hashEntries(zip: yauzl.ZipFile): Promise<HashedFile[]> {
  const files: HashedFile[] = [];
  const seen = new Set<string>();
  return new Promise((resolve, reject) => {
    zip.on('error', reject);
    zip.on('end', () => resolve(files));
    zip.on('entry', (entry: yauzl.Entry) => {
      // decodeStrings: false gives the raw name bytes: Go hashes those whatever the UTF-8 flag says
      const name = Buffer.from(entry.fileName as unknown as Buffer);
      const key = name.toString('hex');
      if (seen.has(key)) {
        reject(sumdbError(`dirhash: ${name.toString()} appears twice in the zip`));
        return;
      }
      seen.add(key);
      zip.openReadStream(entry, (err, stream) => {
        if (err) return reject(err);
        const h = createHash('sha256');
        stream.on('data', (chunk: Buffer) => h.update(chunk));
        stream.on('error', reject);
        stream.on('end', () => {
          files.push({ name, sha256: h.digest('hex') });
          zip.readEntry();
        });
      });
    });
    zip.readEntry();
  });
}
