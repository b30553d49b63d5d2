// Read a Go vulnerability database from a directory, a file:// URL or an http(s) URL (through releases/http-client:
// proxies, timeouts). The vuln.go.dev layout: index/db.json, index/modules.json (which ids concern "stdlib" and
// "toolchain"), ID/<id>.json OSV records; only those records are fetched. A local directory without an index is
// read whole: its ID/*.json, or its own *.json. Failures are VULNDB_UNAVAILABLE / VULNDB_INVALID naming the file.

import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GofleetError } from '../errors.ts';
import { displayUrl, httpGetText, type HttpOptions } from '../releases/http-client.ts';
import { dbModified, invalid, parseRecord, toolchainIds } from './parse-record.ts';
import type { VulnDb, VulnRecord } from './types.ts';

export interface LoadOptions {
  http?: HttpOptions;
  /** records fetched at once over http(s); default 8 */
  concurrency?: number;
}

interface Reader {
  where: string;
  /** the text of a file relative to the root; null when it does not exist */
  read(rel: string): Promise<string | null>;
  /** the *.json names in a directory relative to the root; null when there is no such directory (or it is remote) */
  list(rel: string): Promise<string[] | null>;
}

/** Load the toolchain records of the database at `source` (DIR, file:///DIR or http(s)://HOST/PATH). */
export async function loadVulnDb(source: string, options: LoadOptions = {}): Promise<VulnDb> {
  const reader = await openReader(source, options.http ?? {});
  const dbText = await reader.read('index/db.json');
  const modified = dbText === null ? null : dbModified(dbText, 'index/db.json');
  const modulesText = await reader.read('index/modules.json');
  let files: string[];
  if (modulesText !== null) {
    files = toolchainIds(modulesText, 'index/modules.json').map((id) => `ID/${id}.json`);
  } else {
    const inId = await reader.list('ID');
    const own = inId ? null : await reader.list('');
    if (!inId && !own) throw unavailable(`${reader.where} has no index/modules.json`);
    files = inId ? inId.map((n) => `ID/${n}`) : (own as string[]);
  }
  const records = await mapLimit(files, options.concurrency ?? 8, async (rel) => {
    const text = await reader.read(rel);
    if (text === null) throw invalid(rel, 'listed in index/modules.json but missing');
    return parseRecord(text, rel);
  });
  return { source: reader.where, modified, records: records.filter((r): r is VulnRecord => r !== null) };
}

async function openReader(source: string, http: HttpOptions): Promise<Reader> {
  if (/^https?:\/\//i.test(source)) return httpReader(source, http);
  const dir = /^file:/i.test(source) ? fileURLToPath(source) : source;
  const info = await stat(dir).catch(() => null);
  if (!info?.isDirectory()) throw unavailable(`${dir} is not a directory`);
  return dirReader(dir);
}

function dirReader(root: string): Reader {
  return {
    where: root,
    read: async (rel) => {
      try {
        return await readFile(join(root, rel), 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw unavailable(`${join(root, rel)}: ${(err as Error).message}`, err);
      }
    },
    list: async (rel) => {
      const names = await readdir(join(root, rel)).catch(() => null);
      return names && names.filter((n) => n.endsWith('.json')).sort();
    },
  };
}

function httpReader(source: string, http: HttpOptions): Reader {
  const base = source.endsWith('/') ? source : `${source}/`;
  return {
    where: displayUrl(base),
    read: async (rel) => {
      try {
        return await httpGetText(new URL(rel, base).toString(), { ...http, allowNotFound: true });
      } catch (err) {
        throw unavailable(err instanceof Error ? err.message : String(err), err);
      }
    },
    list: async () => null,
  };
}

function unavailable(message: string, cause?: unknown): GofleetError {
  return new GofleetError('VULNDB_UNAVAILABLE', `vulnerability database: ${message}`, { cause });
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
