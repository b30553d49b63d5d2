// report -o: a path the report cannot be written to is the user's error (a code and a hint), not a bug.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../store/index.ts';
import { syntheticRun } from '../../store/testdata/synthetic-run.ts';
import type { CliIo } from '../io.ts';
import { runCli } from '../program.ts';

test('report -o into a missing directory: OUTPUT_UNWRITABLE (exit 4) with a hint; nothing created', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'gofleet-report-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const state = join(dir, 'gofleet.db');
  const run = '20261125-091502-aaaa';
  const store = openStore(state);
  const sink = store.recorder({ run, argv: ['upgrade'], command: 'upgrade', target: 'go1.27.3', policy: {} });
  for (const e of syntheticRun(run).events) sink(e);
  store.close();

  let stderr = '';
  const io: CliIo = { out: () => {}, err: (s) => void (stderr += s), stdoutTty: false, stderrTty: false };
  const out = join(dir, 'missing', 'report.xml');
  const code = await runCli(['report', run, '--format', 'junit', '-o', out, '--state', state], io);
  assert.equal(code, 4, stderr);
  assert.match(stderr, /error OUTPUT_UNWRITABLE: -o .*report\.xml: cannot write the report: the directory .*missing does not exist/);
  assert.match(stderr, /hint: .*create its directory first/);
  assert.equal(existsSync(join(dir, 'missing')), false);
  assert.deepEqual(readdirSync(dir).filter((n) => !n.startsWith('gofleet.db')), [], 'no temp file left');

  const ok = await runCli(['report', run, '--format', 'junit', '-o', join(dir, 'report.xml'), '--state', state], io);
  assert.equal(ok, 0, stderr);
  assert.ok(existsSync(join(dir, 'report.xml')));
});

test('report --help names every format the command renders: json, junit and html', async () => {
  let stderr = '';
  const io: CliIo = { out: (s) => void (stderr += s), err: (s) => void (stderr += s), stdoutTty: false, stderrTty: false };
  assert.equal(await runCli(['report', '--help'], io), 0);
  assert.match(stderr, /--format <format> +json, junit or html\b/);
});
