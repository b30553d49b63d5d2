// scripts/run-tests.mjs (what `npm test` and CI run): node --test flags given after `--` reach the runner, with
// their value as the next argument too, and a test that leaks a handle cannot keep the run from ending
// (--test-force-exit). Runs the real script on two small test files written to a temp dir.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';

const root = new URL('..', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'gofleet-run-tests-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function fixture(name: string, body: string): string {
  const file = join(dir, name);
  writeFileSync(file, `import { test } from 'node:test';\n${body}\n`);
  return file;
}

/** Run the script; a run still going after 60 s is killed (status null), so a hang fails instead of hanging. */
function runTests(...args: string[]): { status: number | null; output: string } {
  // without NODE_TEST_CONTEXT (set for this file by the runner): a nested runner would skip its files
  const { NODE_TEST_CONTEXT: _, ...env } = process.env;
  const r = spawnSync(process.execPath, ['scripts/run-tests.mjs', ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...env, GOFLEET_TEST_CONCURRENCY: '1' },
  });
  return { status: r.status, output: r.stdout + r.stderr };
}

test('--test-name-pattern VALUE reaches node --test: only the matching test runs', { timeout: 90_000 }, () => {
  const file = fixture('names.test.mjs', "test('alpha runs', () => {});\ntest('beta runs', () => { throw new Error('beta ran'); });");
  for (const flag of [['--test-name-pattern', 'alpha'], ['--test-name-pattern=alpha']]) {
    const r = runTests(...flag, file);
    assert.equal(r.status, 0, r.output);
    assert.match(r.output, /✔ alpha runs/);
    assert.doesNotMatch(r.output, /beta ran/);
  }
});

test('a test that leaves a timer running does not keep the run from ending', { timeout: 90_000 }, () => {
  const file = fixture('leak.test.mjs', "test('leaks an interval', () => { setInterval(() => {}, 1000); });");
  const r = runTests(file);
  assert.notEqual(r.status, null, `the run did not end within 60 s:\n${r.output}`);
  assert.equal(r.status, 0, r.output);
  assert.match(r.output, /✔ leaks an interval/);
});

test('a reporter given on the command line replaces the default spec reporter', { timeout: 90_000 }, () => {
  const file = fixture('one.test.mjs', "test('one', () => {});");
  const r = runTests('--test-reporter', 'tap', file);
  assert.equal(r.status, 0, r.output);
  assert.match(r.output, /^ok 1 - one$/m);
  assert.doesNotMatch(r.output, /✔ one/, 'spec output too: the default reporter was added as well');
});
