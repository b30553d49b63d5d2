// Fast start: what `gofleet --version`, `--help` and a read-only command load before they run is the
// static import closure of src/cli/main.ts. It must not reach the command modules, the runtime
// (SSH, inventory, engine), the journal (SQLite) or the heavy packages: those are imported in each
// command's action (cli/program.ts). The timings are in bench/cli-start.bench.ts.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';

const root = new URL('..', import.meta.url).pathname;

/** Specifiers of imports that exist at run time (not `import type` / `export type`, not `import(...)`). */
export function runtimeImports(source: string): string[] {
  const re = /^\s*(import|export)\s+(?!type\s)(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/gm;
  return [...source.matchAll(re)].map((m) => m[2] ?? '');
}

function closure(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const walk = (file: string): void => {
    if (files.has(file)) return;
    files.add(file);
    for (const spec of runtimeImports(readFileSync(join(root, file), 'utf8'))) {
      if (spec.startsWith('.')) walk(relative(root, resolve(dirname(join(root, file)), spec)));
      else if (!spec.startsWith('node:')) packages.add(spec);
    }
  };
  walk(entry);
  return { files, packages };
}

test('runtimeImports skips type-only imports and dynamic imports', () => {
  const src = "import type { A } from './a.ts';\nimport { b, type C } from './b.ts';\nexport type { D } from './d.ts';\nconst e = () => import('./e.ts');\n";
  assert.deepEqual(runtimeImports(src), ['./b.ts']);
});

test('the CLI entry loads no command module, runtime, journal or heavy package before a command runs', () => {
  const { files, packages } = closure('src/cli/main.ts');
  const heavy = [...files].filter((f) => /^src\/(cli\/commands\/|cli\/runtime\.ts|store\/|transport\/|repos\/|inventory\/|releases\/|platform\/)/.test(f));
  assert.deepEqual(heavy, []);
  assert.deepEqual([...packages].sort(), ['commander']);
});
