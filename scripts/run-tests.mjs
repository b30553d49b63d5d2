#!/usr/bin/env node
// Runs the test suite with Node's built-in runner (node:test) through tsx.
// Node 20's `--test` does not expand globs, so the files are listed here.
//   npm test                 all tests: unit (src/**/*.test.ts) then end-to-end (test/**/*.test.ts)
//   npm test -- --unit       only the unit tests
//   npm test -- FILE...      only these files
//   npm test -- --test-name-pattern=PAT FILE...   node --test flags (--test-*, --experimental-test-*) are passed
//                            through, `--flag VALUE` or `--flag=VALUE`; a --test-reporter or --test-concurrency
//                            given here replaces the default one
// --test-force-exit: once every test has ended the runner exits, so a handle a test leaked (a socket, a timer)
// cannot keep CI waiting forever.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';

/** node --test flags that take a value (`--flag VALUE` as well as `--flag=VALUE`). */
const VALUE_FLAGS = new Set([
  '--test-name-pattern', '--test-skip-pattern', '--test-reporter', '--test-reporter-destination',
  '--test-concurrency', '--test-timeout', '--test-shard',
]);

const isNodeTestFlag = (a) => a.startsWith('--test-') || a.startsWith('--experimental-test-');

/** Split this script's arguments into node --test flags (kept in order, values attached) and files. */
export function splitArgs(args) {
  const flags = [];
  const files = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (isNodeTestFlag(a)) {
      flags.push(a);
      if (VALUE_FLAGS.has(a) && i + 1 < args.length) flags.push(args[++i]);
    } else if (!a.startsWith('--')) {
      files.push(a);
    }
  }
  return { flags, files, unitOnly: args.includes('--unit') };
}

/** The node arguments for a run of `files` with the user's `flags`; defaults only where the user set none. */
export function nodeArgs(flags, files, concurrency) {
  const has = (name) => flags.some((f) => f === name || f.startsWith(`${name}=`));
  return [
    '--import', 'tsx', '--test', '--test-force-exit',
    ...(has('--test-concurrency') ? [] : [`--test-concurrency=${concurrency}`]),
    ...(has('--test-reporter') ? [] : ['--test-reporter=spec']),
    ...flags,
    ...files,
  ];
}

function find(root, dir, out = []) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) find(root, p, out);
    else if (name.endsWith('.test.ts')) out.push(relative(root, p));
  }
  return out.sort();
}

function main() {
  const root = new URL('..', import.meta.url).pathname;
  const { flags, files: explicit, unitOnly } = splitArgs(process.argv.slice(2));
  const files = explicit.length > 0 ? explicit : [...find(root, join(root, 'src')), ...(unitOnly ? [] : find(root, join(root, 'test')))];
  const concurrency = process.env.GOFLEET_TEST_CONCURRENCY ?? '2';
  const r = spawnSync(process.execPath, nodeArgs(flags, files, concurrency), { cwd: root, stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main();
