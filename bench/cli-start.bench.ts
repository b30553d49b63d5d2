// CLI start-up benchmark: how long `gofleet` takes to answer a read-only command, from the build
// (dist/, as installed) and from the sources through tsx (a checkout). N runs each, median and min.
//
//   npm run build && node --import tsx bench/cli-start.bench.ts --runs 15
//
// `node -e 1` is measured too, as the floor on this machine. Figures go to stdout as a markdown
// table (copy them into docs/benchmarks.md). This is not a test: nothing here asserts a timing.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '15' } } });
const runs = Math.max(1, Number(values.runs));
const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist', 'cli', 'main.js');
const empty = mkdtempSync(join(tmpdir(), 'gofleet-bench-start-'));
const state = join(empty, 'none.db');

function timeRun(args: string[]): number {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', env: { ...process.env, GOFLEET_STATE: state } });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0 && r.status !== 2) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

function stats(args: string[]): { median: number; min: number } {
  timeRun(args); // warm the file cache once
  const t = Array.from({ length: runs }, () => timeRun(args)).sort((a, b) => a - b);
  return { median: t[Math.floor(t.length / 2)] ?? 0, min: t[0] ?? 0 };
}

const commands: [string, string[]][] = [
  ['--version', ['--version']],
  ['--help', ['--help']],
  ['history --state <empty>', ['history', '--state', state]],
];
const rows: string[] = [];
const floor = stats(['-e', '1']);
rows.push(`| node -e 1 | floor | ${floor.median.toFixed(0)} | ${floor.min.toFixed(0)} |`);
for (const [name, args] of commands) {
  if (existsSync(dist)) {
    const s = stats([dist, ...args]);
    rows.push(`| gofleet ${name} | dist/ | ${s.median.toFixed(0)} | ${s.min.toFixed(0)} |`);
  }
  const s = stats([join(root, 'bin', 'gofleet.js'), ...args]);
  rows.push(`| gofleet ${name} | tsx (checkout) | ${s.median.toFixed(0)} | ${s.min.toFixed(0)} |`);
}
rmSync(empty, { recursive: true, force: true });
console.log(`CLI start, ${runs} runs each (ms)${existsSync(dist) ? '' : ' — no dist/: run `npm run build` first'}\n`);
console.log('| command | from | median | min |\n|---|---|---|---|\n' + rows.join('\n'));
