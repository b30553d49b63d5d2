// Tests that wait must be able to fail rather than hang: every test whose body waits on an
// event or a promise it does not control (`await new Promise`, `once(`, `waitFor`, `.on('close'`)
// carries a node:test `{ timeout }`, so a lost event is a red test with a name, not a stuck CI job.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';

const root = new URL('..', import.meta.url).pathname;
const WAITS = /await new Promise|\bonce\(|\bwaitFor\w*\(|\.on\('(close|exit)'/;

function testFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) testFiles(p, out);
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

/** Top-level test(...) blocks: the header (up to the callback) and the body (up to the next test). */
export function waitingTestsWithoutTimeout(source: string): string[] {
  const starts = [...source.matchAll(/^(?:test|it)\(/gm)].map((m) => m.index ?? 0);
  const found: string[] = [];
  starts.forEach((start, i) => {
    const next = starts[i + 1] ?? source.length;
    const close = source.indexOf('\n});', start);
    // The test's own body: up to its closing `});` at column 0 (helpers after it are not its waits).
    const block = source.slice(start, close >= 0 && close < next ? close : next);
    const arrow = block.indexOf('=>');
    const header = arrow < 0 ? block : block.slice(0, arrow);
    if (WAITS.test(block) && !/\btimeout\s*:/.test(header)) found.push(/^(?:test|it)\(\s*(['"`])(.*?)\1/s.exec(header)?.[2] ?? header.slice(0, 80));
  });
  return found;
}

test('the checker finds a waiting test without a timeout and accepts one with it', () => {
  // Built from pieces so this file's own scan does not see a wait in this test.
  const wait = ['await ', 'once', "(child, 'exit');"].join('');
  const bad = `test('waits', async () => {\n  ${wait}\n});\n`;
  const good = `test('waits', { timeout: 5_000 }, async () => {\n  ${wait}\n});\n`;
  assert.deepEqual(waitingTestsWithoutTimeout(bad), ['waits']);
  assert.deepEqual(waitingTestsWithoutTimeout(good), []);
});

test('every test that waits on an event or a promise has a timeout', () => {
  const offenders = testFiles(join(root, 'src'))
    .concat(testFiles(join(root, 'test')))
    .flatMap((f) => waitingTestsWithoutTimeout(readFileSync(f, 'utf8')).map((h) => `${relative(root, f)}: ${h}`));
  assert.deepEqual(offenders, []);
});
