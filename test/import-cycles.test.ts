// No import circles in src/: a circle makes module initialisation order matter (a value read
// before its module ran is undefined) and ties layers together. Walks the static imports and
// re-exports of every non-test module (type-only imports too: they are still a design circle)
// and fails on every strongly connected group of more than one file, or a file importing itself.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';

const root = new URL('..', import.meta.url).pathname;

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) sources(p, out);
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

/** Relative specifiers of static `import ... from` / `export ... from` / `import '...'`. */
export function importsOf(source: string): string[] {
  const re = /^\s*(?:import|export)\s+(?:[^'";]*?\s+from\s+)?['"](\.{1,2}\/[^'"]+)['"]/gm;
  return [...source.matchAll(re)].map((m) => m[1] ?? '');
}

/** Tarjan's strongly connected components; returns the circles (groups of 2+ or a self-import). */
export function findCycles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v) ?? 0, idx.get(w) ?? 0));
    }
    if (low.get(v) === idx.get(v)) {
      const group: string[] = [];
      let w: string | undefined;
      do {
        w = stack.pop();
        if (w === undefined) break;
        on.delete(w);
        group.push(w);
      } while (w !== v);
      if (group.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(group.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!idx.has(v)) visit(v);
  return out;
}

test('findCycles finds a circle of three and ignores a chain', () => {
  const g = new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['a']]]);
  assert.deepEqual(findCycles(g), [['a', 'b', 'c']]);
  assert.deepEqual(findCycles(new Map([['a', ['b']], ['b', []]])), []);
  assert.deepEqual(importsOf("import type { X } from './x.ts';\nexport { y } from '../y.ts';\nimport z from 'node:fs';\n"), ['./x.ts', '../y.ts']);
});

test('src/ has no import circles', () => {
  const files = sources(join(root, 'src'));
  const graph = new Map<string, string[]>();
  for (const f of files) {
    const deps = importsOf(readFileSync(f, 'utf8')).map((s) => relative(root, resolve(dirname(f), s)));
    graph.set(relative(root, f), deps);
  }
  assert.deepEqual(findCycles(graph), []);
});
