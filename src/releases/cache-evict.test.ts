import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { cacheLimit, enforceCacheLimit, planEviction, type CacheEntry } from './cache-evict.ts';

const e = (name: string, size: number, mtimeMs: number): CacheEntry => ({ name, size, mtimeMs });
const names = (xs: CacheEntry[]) => xs.map((x) => x.name);

describe('planEviction', () => {
  const entries = [e('new', 40, 300), e('old', 30, 100), e('mid', 20, 200), e('tie-b', 5, 50), e('tie-a', 5, 50)];

  it('under or at the limit, or no limit (0): nothing', () => {
    assert.deepEqual(planEviction(entries, 100, new Set()), { evict: [], total: 100, remaining: 100 });
    assert.deepEqual(planEviction(entries, 0, new Set()).evict, []);
  });

  it('least recently used first (ties by name) until at most the limit', () => {
    assert.deepEqual(names(planEviction(entries, 99, new Set()).evict), ['tie-a']);
    const p = planEviction(entries, 60, new Set());
    assert.deepEqual([names(p.evict), p.total, p.remaining], [['tie-a', 'tie-b', 'old'], 100, 60]);
  });

  it('never a held file, even when the cache stays over the limit', () => {
    const p = planEviction(entries, 10, new Set(['old', 'new']));
    assert.deepEqual([names(p.evict), p.remaining], [['tie-a', 'tie-b', 'mid'], 70]);
  });
});

describe('enforceCacheLimit', () => {
  const work = mkdtempSync(join(tmpdir(), 'gofleet-evict-'));
  after(() => rmSync(work, { recursive: true, force: true }));
  let n = 0;

  /** a cache dir with files of `size` bytes, mtimes 1000 s apart in the order given */
  function cache(files: [string, number][]): string {
    const dir = join(work, `c${++n}`);
    mkdirSync(dir);
    files.forEach(([name, size], i) => {
      writeFileSync(join(dir, name), Buffer.alloc(size));
      utimesSync(join(dir, name), 1_000_000 + i * 1000, 1_000_000 + i * 1000);
    });
    return dir;
  }

  it('evicts the oldest archives, never a *.part or dot entry, nor a held file; one note names them', async () => {
    const dir = cache([['.go1.1.linux-amd64.tar.gz.123.ab.part', 500], ['go1.2.linux-amd64.tar.gz', 300], ['go1.3.linux-amd64.tar.gz', 300], ['go1.4.linux-amd64.tar.gz', 300], ['go1.5.linux-amd64.tar.gz', 300]]);
    mkdirSync(join(dir, '.goproxy-1-x'));
    const notes: string[] = [];
    const limit = cacheLimit(700, (m) => notes.push(m));
    limit.held.add('go1.2.linux-amd64.tar.gz'); // handed out earlier in this command, oldest of all
    limit.held.add('go1.5.linux-amd64.tar.gz'); // just downloaded
    await enforceCacheLimit(dir, limit, { filename: 'go1.5.linux-amd64.tar.gz', size: 300 });
    assert.deepEqual(readdirSync(dir).sort(), ['.go1.1.linux-amd64.tar.gz.123.ab.part', '.goproxy-1-x', 'go1.2.linux-amd64.tar.gz', 'go1.5.linux-amd64.tar.gz']);
    assert.equal(notes.length, 1, notes.join('\n'));
    assert.match(notes[0] ?? '', /^note: archive cache .* was 1\.2 KiB, over --cache-max 700 B: evicted go1\.3\.linux-amd64\.tar\.gz, go1\.4\.linux-amd64\.tar\.gz \(600 B, least recently used\)$/);
  });

  it('an archive bigger than the limit on its own is kept for this command, and said so', async () => {
    const dir = cache([['go1.2.linux-amd64.tar.gz', 100], ['go1.3.linux-amd64.tar.gz', 900]]);
    const notes: string[] = [];
    const limit = cacheLimit(500, (m) => notes.push(m));
    limit.held.add('go1.3.linux-amd64.tar.gz');
    await enforceCacheLimit(dir, limit, { filename: 'go1.3.linux-amd64.tar.gz', size: 900 });
    assert.deepEqual(readdirSync(dir), ['go1.3.linux-amd64.tar.gz']);
    assert.match(notes[0] ?? '', /^note: go1\.3\.linux-amd64\.tar\.gz \(900 B\) is larger than --cache-max 500 B on its own; kept for this command/);
    assert.match(notes[1] ?? '', /evicted go1\.2\.linux-amd64\.tar\.gz \(100 B/);
  });

  it('no limit (0) and a cache under the limit: nothing removed, nothing said', async () => {
    const dir = cache([['go1.2.linux-amd64.tar.gz', 100], ['go1.3.linux-amd64.tar.gz', 100]]);
    const notes: string[] = [];
    await enforceCacheLimit(dir, cacheLimit(0, (m) => notes.push(m)), { filename: 'go1.3.linux-amd64.tar.gz', size: 100 });
    await enforceCacheLimit(dir, cacheLimit(200, (m) => notes.push(m)), { filename: 'go1.3.linux-amd64.tar.gz', size: 100 });
    assert.deepEqual([readdirSync(dir).sort(), notes], [['go1.2.linux-amd64.tar.gz', 'go1.3.linux-amd64.tar.gz'], []]);
  });

  it('a file not named like a Go download (--cache-dir shared with other things) is neither counted nor evicted', async () => {
    const dir = cache([['notes.txt', 1000], ['go1.2.linux-amd64.tar.gz.sha256', 1000], ['go1.2.linux-amd64.tar.gz', 100], ['go1.3.windows-amd64.msi', 100]]);
    const notes: string[] = [];
    const limit = cacheLimit(150, (m) => notes.push(m));
    limit.held.add('go1.3.windows-amd64.msi');
    await enforceCacheLimit(dir, limit, { filename: 'go1.3.windows-amd64.msi', size: 100 });
    assert.deepEqual(readdirSync(dir).sort(), ['go1.2.linux-amd64.tar.gz.sha256', 'go1.3.windows-amd64.msi', 'notes.txt']);
    assert.match(notes.join('\n'), /was 200 B, over --cache-max 150 B: evicted go1\.2\.linux-amd64\.tar\.gz \(100 B/);
  });
});
