// A small deterministic zip writer, for repacking a windows-* toolchain module zip as the official .zip
// (module-zip.ts packGoZip). Node has no zip writer in core and the project depends on a reader only (yauzl).
// Deterministic: entries sorted by name bytes, one fixed DOS time (1980-01-01 00:00), no extra fields, each
// entry deflated (node:zlib deflateRaw, level 6, in the thread pool) or stored when that is not smaller; so the
// same files give the same bytes, hence the same SHA-256, on the same Node (another zlib build may compress
// differently: hosts check the SHA-256 of what they receive, computed after packing). A real go1.27.3 tree
// (12,071 files, 227 MB) packs in ~25 s on a shared 2-core machine, twice the same bytes. Names are UTF-8 (flag bit 11).
// No zip64: a toolchain zip has ~12,000 entries and ~250 MB; more than 65,535 entries or 4 GiB is refused.

import { open, readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import * as zlib from 'node:zlib';
import { GofleetError } from '../errors.ts';

export interface ZipInput {
  /** the name in the zip, `/`-separated, no leading `/` */
  name: string;
  /** the local file holding its bytes */
  path: string;
}

const DOS_DATE_1980_01_01 = (0 << 9) | (1 << 5) | 1;
const UTF8_NAMES = 1 << 11;
const deflateRaw = promisify(zlib.deflateRaw);
const MAX16 = 0xffff;
const MAX32 = 0xffffffff;

interface Written {
  name: Buffer;
  method: number;
  crc: number;
  csize: number;
  usize: number;
  offset: number;
}

/** Write `files` as a zip at `outPath` (created, not overwritten); returns the number of bytes written. */
export async function writeZip(outPath: string, files: readonly ZipInput[]): Promise<number> {
  if (files.length > MAX16) throw tooLarge(outPath, `${files.length} entries`);
  const sorted = files.map((f) => ({ ...f, key: Buffer.from(f.name, 'utf8') })).sort((a, b) => Buffer.compare(a.key, b.key));
  const out = await open(outPath, 'wx');
  try {
    let offset = 0;
    const written: Written[] = [];
    for (const f of sorted) {
      const data = await readFile(f.path);
      const deflated = await deflateRaw(data, { level: 6 });
      const stored = deflated.length >= data.length;
      const body = stored ? data : deflated;
      const entry = { name: f.key, method: stored ? 0 : 8, crc: crc32(data), csize: body.length, usize: data.length, offset };
      if (data.length > MAX32 || offset + body.length > MAX32) throw tooLarge(outPath, 'more than 4 GiB');
      const header = localHeader(entry);
      await out.write(header);
      await out.write(body);
      offset += header.length + body.length;
      written.push(entry);
    }
    const central = Buffer.concat(written.map(centralHeader));
    if (offset + central.length > MAX32) throw tooLarge(outPath, 'more than 4 GiB');
    const end = endOfCentralDirectory(written.length, central.length, offset);
    await out.write(central);
    await out.write(end);
    return offset + central.length + end.length;
  } finally {
    await out.close();
  }
}

function localHeader(e: Written): Buffer {
  const b = Buffer.alloc(30);
  b.writeUInt32LE(0x04034b50, 0);
  b.writeUInt16LE(20, 4); // version needed: 2.0 (deflate)
  b.writeUInt16LE(UTF8_NAMES, 6);
  b.writeUInt16LE(e.method, 8);
  b.writeUInt16LE(0, 10); // time 00:00:00
  b.writeUInt16LE(DOS_DATE_1980_01_01, 12);
  b.writeUInt32LE(e.crc, 14);
  b.writeUInt32LE(e.csize, 18);
  b.writeUInt32LE(e.usize, 22);
  b.writeUInt16LE(e.name.length, 26);
  b.writeUInt16LE(0, 28); // no extra field
  return Buffer.concat([b, e.name]);
}

function centralHeader(e: Written): Buffer {
  const b = Buffer.alloc(46);
  b.writeUInt32LE(0x02014b50, 0);
  b.writeUInt16LE(20, 4); // made by: MS-DOS (0), 2.0 — no Unix modes, as on Windows
  b.writeUInt16LE(20, 6);
  b.writeUInt16LE(UTF8_NAMES, 8);
  b.writeUInt16LE(e.method, 10);
  b.writeUInt16LE(0, 12);
  b.writeUInt16LE(DOS_DATE_1980_01_01, 14);
  b.writeUInt32LE(e.crc, 16);
  b.writeUInt32LE(e.csize, 20);
  b.writeUInt32LE(e.usize, 24);
  b.writeUInt16LE(e.name.length, 28);
  // extra length, comment length, disk number, internal and external attributes: all 0
  b.writeUInt32LE(e.offset, 42);
  return Buffer.concat([b, e.name]);
}

function endOfCentralDirectory(count: number, size: number, offset: number): Buffer {
  const b = Buffer.alloc(22);
  b.writeUInt32LE(0x06054b50, 0);
  b.writeUInt16LE(count, 8);
  b.writeUInt16LE(count, 10);
  b.writeUInt32LE(size, 12);
  b.writeUInt32LE(offset, 16);
  return b;
}

/** zlib.crc32 exists from Node 20.15 (package.json allows 20.10): the table version otherwise. */
const crc32: (data: Buffer) => number = (zlib as { crc32?: (data: Buffer) => number }).crc32 ?? tableCrc32;

let table: Uint32Array | undefined;
export function tableCrc32(data: Buffer): number {
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (const byte of data) crc = (table[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function tooLarge(outPath: string, what: string): GofleetError {
  return new GofleetError('REPACK_TOO_LARGE', `${outPath}: ${what} needs zip64, which gofleet does not write`);
}
