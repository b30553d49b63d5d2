import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseModFile } from '../shared/parse-mod-file.ts';
import { currentVersion } from './rerun-failed-tests.ts';
import type { RunCommand } from '../shared/run-command.ts';
import type { GoRunner } from '../shared/run-go.ts';

function runner(local: string | null): GoRunner {
  const run: RunCommand = async () => ({ exitCode: local ? 0 : 1, output: '', stdout: local ? `${local}\n` : '', timedOut: false, durationMs: 1 });
  return { run, env: {}, toolchain: { version: 'go1.27.3', go: '/tc/bin/go', gotoolchain: 'local', how: 't' }, testTimeoutMs: 1000 };
}

test('today\'s toolchain is the local go unless the old toolchain or go line asks for a newer release (GOTOOLCHAIN=auto)', async () => {
  const mod = (text: string) => parseModFile(`module a\n\n${text}`, 'module');
  assert.equal(await currentVersion(runner('go1.26.8'), mod('go 1.20\n'), '/tmp'), 'go1.26.8');
  assert.equal(await currentVersion(runner('go1.26.8'), mod('go 1.24.0\n\ntoolchain go1.26.10\n'), '/tmp'), 'go1.26.10');
  assert.equal(await currentVersion(runner('go1.25.1'), mod('go 1.26.2\n'), '/tmp'), 'go1.26.2');
  assert.equal(await currentVersion(runner(null), mod('go 1.21\n'), '/tmp'), null);
});
