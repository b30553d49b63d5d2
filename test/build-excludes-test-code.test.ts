// Test-only code never ships: `npm run build` (tsconfig.build.json) must not compile a test, a fake,
// a fixture or a synthetic-data generator into dist/. Asked of tsc itself (--listFilesOnly), so an
// exclude that a production import pulls back in is caught too.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { relative } from 'node:path';
import { test } from 'node:test';

const root = new URL('..', import.meta.url).pathname;

/** What counts as test-only under src/. */
const TEST_ONLY = [/\.test\.ts$/, /\/testing\//, /\/testdata\//, /^src\/transport\/contract\.ts$/, /^src\/inventory\/test-helpers\.ts$/, /\/synthetic-[^/]*\.ts$/];

export function testOnlyFiles(listed: string[]): string[] {
  return listed.filter((f) => TEST_ONLY.some((re) => re.test(f)));
}

test('the patterns name the known test-only files', () => {
  const sample = ['src/transport/contract.ts', 'src/inventory/test-helpers.ts', 'src/inventory/synthetic-inventory.ts', 'src/platform/posix/testing/fake-host.ts', 'src/store/testdata/synthetic-run.ts', 'src/cli/main.test.ts'];
  assert.deepEqual(testOnlyFiles([...sample, 'src/cli/main.ts', 'src/transport/ssh.ts']), sample);
});

test('tsconfig.build.json compiles no test-only file into dist/', { timeout: 300_000 }, () => {
  const tsc = spawnSync(process.execPath, [`${root}node_modules/typescript/bin/tsc`, '-p', 'tsconfig.build.json', '--listFilesOnly'], { cwd: root, encoding: 'utf8' });
  assert.equal(tsc.status, 0, tsc.stderr + tsc.stdout);
  const listed = tsc.stdout
    .split('\n')
    .map((f) => relative(root, f.trim()))
    .filter((f) => f.startsWith('src/'));
  assert.ok(listed.includes('src/cli/main.ts'), 'the build lists the CLI');
  assert.deepEqual(testOnlyFiles(listed), []);
});
