// history, show and report read the journal and never create or write it: a missing path stays missing, and
// a journal on a read-only filesystem (a real read-only bind mount in a private mount namespace) is readable.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../cli/program.ts';
import type { CliIo } from '../cli/io.ts';
import { syntheticRun } from './testdata/synthetic-run.ts';
import { openStore } from './index.ts';

const BIN = fileURLToPath(new URL('../../bin/gofleet.js', import.meta.url));
const RUN = '20261125-091502-aaaa';

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { out: (t) => void (stdout += t), err: (t) => void (stderr += t), stdoutTty: false, stderrTty: false };
  const code = await runCli(args, io);
  return { code, stdout, stderr };
}

function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'gofleet-ro-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A journal holding one finished run, closed (SQLite removes -wal and -shm on the last close). */
function journalWithRun(path: string): void {
  const store = openStore(path);
  const sink = store.recorder({ run: RUN, user: 'ops', argv: ['upgrade'], command: 'upgrade', target: 'go1.27.3', policy: {} });
  for (const e of syntheticRun(RUN).events) sink(e);
  store.close();
}

test('history on a missing journal: an empty listing, and no file is created; show/report say RUN_NOT_FOUND', async (t) => {
  const dir = tempDir(t);
  const state = join(dir, 'nested', 'gofleet.db');
  const h = await cli('history', '--state', state, '--json');
  assert.equal(h.code, 0, h.stderr);
  assert.deepEqual(JSON.parse(h.stdout), { runs: [] });
  const s = await cli('show', RUN, '--state', state);
  assert.equal(s.code, 4);
  assert.match(s.stderr, /RUN_NOT_FOUND/);
  const r = await cli('report', RUN, '--format', 'json', '--state', state);
  assert.equal(r.code, 4);
  assert.deepEqual(readdirSync(dir), [], 'nothing was created');
  assert.equal(existsSync(state), false);
});

test('history, show and report read a journal on a read-only filesystem', { timeout: 60_000 }, async (t) => {
  const dir = join(tempDir(t), 'ro');
  mkdirSync(dir);
  const state = join(dir, 'gofleet.db');
  journalWithRun(state);
  const sh = [
    'set -e',
    `mount --bind '${dir}' '${dir}'`,
    `mount -o remount,bind,ro '${dir}'`,
    `"$0" "$1" history --json --state '${state}'`,
    `echo '@@'`,
    `"$0" "$1" show ${RUN} --json --state '${state}'`,
    `echo '@@'`,
    `"$0" "$1" report ${RUN} --format junit --state '${state}'`,
  ].join('\n');
  const child = spawn('unshare', ['-m', 'sh', '-c', sh, process.execPath, BIN], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.equal(code, 0, `${out}\n${err}`);
  const [history, show, junit] = out.split('@@\n') as [string, string, string];
  assert.deepEqual((JSON.parse(history) as { runs: { id: string; status: string }[] }).runs.map((r) => [r.id, r.status]), [[RUN, 'done']]);
  assert.equal((JSON.parse(show) as { run: string }).run, RUN);
  assert.match(junit, /<testsuite/);
});
