// The size limit of the controller's archive cache (--cache-max): after a download completes, the least recently
// used archives are removed until the cache is under the limit. "Used" is the mtime, touched on every verified
// reuse (cache.ts). Only files named like an official Go download count and may go (--cache-dir may point at a
// directory that holds other things); never removed: a file this command was handed (it may still be uploading
// to hosts) and anything whose name starts with '.' (a *.part download or a goproxy work dir in progress,
// cache.ts and source-goproxy.ts). An archive larger than the limit on its own is kept for this command; a later command's
// download evicts it. planEviction is pure; enforceCacheLimit does the effects.

import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { formatBytes } from '../util/text-table.ts';
import { parseFileName } from './file-name.ts';

/** One per command: the limit and the files handed out so far (by name, within the cache dir). */
export interface CacheLimit {
  /** bytes; 0 = no limit */
  maxBytes: number;
  /** file names in the cache dir that this command was handed: never evicted by it */
  held: Set<string>;
  /** one line (no newline) per eviction or kept oversize archive */
  onNote?: (message: string) => void;
}

export function cacheLimit(maxBytes: number, onNote?: (message: string) => void): CacheLimit {
  return { maxBytes, held: new Set(), ...(onNote ? { onNote } : {}) };
}

export interface CacheEntry {
  name: string;
  size: number;
  mtimeMs: number;
}

export interface EvictionPlan {
  evict: CacheEntry[];
  /** bytes before and after the eviction */
  total: number;
  remaining: number;
}

/** Oldest first (ties by name) until the total is at most `maxBytes`; held names are skipped. */
export function planEviction(entries: readonly CacheEntry[], maxBytes: number, held: ReadonlySet<string>): EvictionPlan {
  const total = entries.reduce((sum, e) => sum + e.size, 0);
  let remaining = total;
  const evict: CacheEntry[] = [];
  if (maxBytes <= 0 || total <= maxBytes) return { evict, total, remaining };
  const candidates = entries.filter((e) => !held.has(e.name)).sort((a, b) => a.mtimeMs - b.mtimeMs || (a.name < b.name ? -1 : 1));
  for (const e of candidates) {
    if (remaining <= maxBytes) break;
    evict.push(e);
    remaining -= e.size;
  }
  return { evict, total, remaining };
}

/** After `fresh` was downloaded into `dir` (and added to `limit.held`): evict, and say what went. */
export async function enforceCacheLimit(dir: string, limit: CacheLimit, fresh: { filename: string; size: number }): Promise<void> {
  if (limit.maxBytes <= 0) return;
  const max = formatBytes(limit.maxBytes);
  if (fresh.size > limit.maxBytes) {
    limit.onNote?.(`note: ${fresh.filename} (${formatBytes(fresh.size)}) is larger than --cache-max ${max} on its own; kept for this command, a later download evicts it`);
  }
  const plan = planEviction(await listArchives(dir), limit.maxBytes, limit.held);
  if (plan.evict.length === 0) return;
  const gone: CacheEntry[] = [];
  for (const e of plan.evict) {
    // a concurrent command may have removed or reused it; removal is best-effort
    if (await rm(join(dir, e.name), { force: true }).then(() => true, () => false)) gone.push(e);
  }
  if (gone.length === 0) return;
  const freed = gone.reduce((sum, e) => sum + e.size, 0);
  limit.onNote?.(
    `note: archive cache ${dir} was ${formatBytes(plan.total)}, over --cache-max ${max}: evicted ${gone.map((e) => e.name).join(', ')} (${formatBytes(freed)}, least recently used)`,
  );
}

/** The archives in the cache: plain files named like an official Go download (never a '.' name). */
async function listArchives(dir: string): Promise<CacheEntry[]> {
  const entries: CacheEntry[] = [];
  for (const d of await readdir(dir, { withFileTypes: true })) {
    if (!d.isFile() || d.name.startsWith('.') || parseFileName(d.name) === null) continue;
    const st = await stat(join(dir, d.name)).catch(() => null);
    if (st?.isFile()) entries.push({ name: d.name, size: st.size, mtimeMs: st.mtimeMs });
  }
  return entries;
}
