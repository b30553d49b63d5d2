#!/usr/bin/env node
// Runs the test suite with Node's built-in runner (node:test) through tsx.
// Node 20's `--test` does not expand globs, so the files are listed here.
//   npm test                 all tests: unit (src/**/*.test.ts) then end-to-end (test/**/*.test.ts)
//   npm test -- --unit       only the unit tests
//   npm test -- FILE...      only these files
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
const unitOnly = args.includes('--unit');
const explicit = args.filter((a) => !a.startsWith('--'));

function find(dir, out = []) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) find(p, out);
    else if (name.endsWith('.test.ts')) out.push(relative(root, p));
  }
  return out.sort();
}

const files = explicit.length > 0 ? explicit : [...find(join(root, 'src')), ...(unitOnly ? [] : find(join(root, 'test')))];
const concurrency = process.env.GOFLEET_TEST_CONCURRENCY ?? '2';
const r = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...files],
  { cwd: root, stdio: 'inherit' },
);
process.exit(r.status ?? 1);
