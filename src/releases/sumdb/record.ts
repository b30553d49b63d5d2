// A checksum database lookup response: `N\n` + record text + `\n` + the signed tree note
// (tlog.ParseRecord / FormatRecord, re-written). Pure.
import { sumdbError } from './note.ts';

export interface LookupRecord {
  /** the record's index in the tree */
  id: number;
  /** record data: `module version h1:…\nmodule version/go.mod h1:…\n`, hashed as leaf `id` */
  data: Buffer;
  /** the signed tree note that follows the record */
  treeNote: string;
}

export interface ModuleHashLine {
  module: string;
  version: string;
  hash: string;
}

/** Split a lookup response into record id, record data and the signed tree note. */
export function parseLookup(msg: string): LookupRecord {
  const m = /^(0|[1-9][0-9]{0,15})\n/.exec(msg);
  if (!m?.[1]) throw sumdbError('malformed lookup record: no record id line');
  const id = Number(m[1]);
  const rest = msg.slice(m[0].length);
  const end = rest.indexOf('\n\n');
  if (end < 0) throw sumdbError('malformed lookup record: no blank line after the record');
  const data = rest.slice(0, end + 1);
  if (!Number.isSafeInteger(id) || data.length === 0 || data.startsWith('\n')) {
    throw sumdbError('malformed lookup record: bad id or empty record');
  }
  return { id, data: Buffer.from(data, 'utf8'), treeNote: rest.slice(end + 2) };
}

/** The `module version h1:hash` lines of record data. */
export function parseRecordLines(data: Buffer): ModuleHashLine[] {
  const lines = data.toString('utf8').split('\n');
  if (lines.pop() !== '') throw sumdbError('malformed record: does not end in a newline');
  return lines.map((line) => {
    const f = line.split(' ');
    if (f.length !== 3 || !f[0] || !f[1] || !/^h1:[A-Za-z0-9+/]{43}=$/.test(f[2] ?? '')) {
      throw sumdbError(`malformed record line ${JSON.stringify(line)}`);
    }
    return { module: f[0], version: f[1], hash: f[2] as string };
  });
}
