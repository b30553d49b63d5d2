// The layer rules of eslint.config.js fire: each violating import below, linted as if it were a file at that
// path (ESLint's lintText with a filePath applies that path's config; nothing is written), is reported by
// no-restricted-imports, and the allowed neighbour of each one is not.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ESLint } from 'eslint';

const root = new URL('..', import.meta.url).pathname;

async function restricted(filePath: string, specifier: string): Promise<boolean> {
  const eslint = new ESLint({ cwd: root });
  const [result] = await eslint.lintText(`import type { X } from '${specifier}';\nexport type Y = X;\n`, { filePath: `${root}${filePath}` });
  const messages = result?.messages ?? [];
  const other = messages.filter((m) => m.ruleId !== 'no-restricted-imports');
  assert.deepEqual(other.map((m) => m.message), [], `${filePath}: unexpected findings`);
  return messages.some((m) => m.ruleId === 'no-restricted-imports');
}

const CASES: Array<[file: string, specifier: string, reported: boolean]> = [
  // engine: platform only through platform/types.ts and the neutral files; no layer above it
  ['src/engine/probe-x.ts', '../platform/posix/index.ts', true],
  ['src/engine/probe-x.ts', '../platform/windows/remote-shell.ts', true],
  ['src/engine/probe-x.ts', '../platform/protocol/parse-run.ts', true],
  ['src/engine/probe-x.ts', '../platform/registry.ts', true],
  ['src/engine/probe-x.ts', '../cli/runtime.ts', true],
  ['src/engine/probe-x.ts', '../report/summary.ts', true],
  ['src/engine/probe-x.ts', '../platform/types.ts', false],
  ['src/engine/probe-x.ts', '../platform/detect-shell.ts', false],
  ['src/engine/probe-x.ts', '../transport/types.ts', false],
  // policy: pure, beside the engine
  ['src/policy/x.ts', '../cli/runtime.ts', true],
  ['src/policy/x.ts', '../transport/types.ts', true],
  ['src/policy/x.ts', '../platform/posix/index.ts', true],
  ['src/policy/x.ts', '../store/index.ts', true],
  ['src/policy/x.ts', '../engine/facts-host.ts', false],
  ['src/policy/x.ts', '../inventory/index.ts', false],
  // transport: handed a RemoteShell, no dialect, nothing above it
  ['src/transport/winrm-x.ts', '../platform/posix/remote-shell.ts', true],
  ['src/transport/winrm-x.ts', '../platform/windows/remote-shell.ts', true],
  ['src/transport/winrm-x.ts', '../engine/context.ts', true],
  ['src/transport/winrm-x.ts', '../releases/cache.ts', true],
  ['src/transport/winrm-x.ts', '../platform/remote-shell.ts', false],
  ['src/transport/winrm-x.ts', '../inventory/types.ts', false],
  // platform: never upwards; a dialect never imports another
  ['src/platform/posix/x.ts', '../../transport/types.ts', true],
  ['src/platform/posix/x.ts', '../../engine/context.ts', true],
  ['src/platform/posix/x.ts', '../windows/quote.ts', true],
  ['src/platform/windows/x.ts', '../posix/percent.ts', true],
  ['src/platform/windows/x.ts', '../protocol/percent.ts', false],
  ['src/platform/windows/x.ts', '../types.ts', false],
  ['src/platform/detect-shell-x.ts', '../transport/types.ts', true],
  // vulndb: versions in, matches out; nothing above it
  ['src/vulndb/x.ts', '../engine/facts-host.ts', true],
  ['src/vulndb/x.ts', '../report/summary.ts', true],
  ['src/vulndb/x.ts', '../cli/runtime.ts', true],
  ['src/vulndb/x.ts', '../releases/http-client.ts', false],
  ['src/vulndb/x.ts', '../version/go-version.ts', false],
  // serve: through DashboardData and the store's index; ui modules only import their neighbours
  ['src/serve/x.ts', '../cli/runtime.ts', true],
  ['src/serve/x.ts', '../engine/run-fleet.ts', true],
  ['src/serve/x.ts', '../store/serve-store.ts', true],
  ['src/serve/x.ts', '../transport/types.ts', true],
  ['src/serve/x.ts', '../store/index.ts', false],
  ['src/serve/x.ts', '../engine/events.ts', false],
  ['src/serve/x.ts', '../report/html-escape.ts', false],
  ['src/serve/ui/x.js', '../types.ts', true],
  ['src/serve/ui/x.js', './dom.js', false],
  // dispatch: over the store; neither the engine nor the store imports it
  ['src/dispatch/x.ts', '../engine/run-fleet.ts', true],
  ['src/dispatch/x.ts', '../cli/runtime.ts', true],
  ['src/dispatch/x.ts', '../transport/types.ts', true],
  ['src/dispatch/x.ts', '../inventory/load.ts', true],
  ['src/dispatch/x.ts', '../engine/events.ts', false],
  ['src/dispatch/x.ts', '../inventory/types.ts', false],
  ['src/dispatch/x.ts', '../store/pg/pg-migrate.ts', false],
  ['src/dispatch/x.ts', '../errors.ts', false],
  ['src/engine/x.ts', '../dispatch/index.ts', true],
  ['src/store/x.ts', '../dispatch/index.ts', true],
  ['src/store/pg/x.ts', '../../dispatch/index.ts', true],
];

test('layer rules: every violating import is reported, its allowed neighbour is not', { timeout: 120_000 }, async () => {
  const wrong: string[] = [];
  for (const [file, specifier, reported] of CASES) {
    if ((await restricted(file, specifier)) !== reported) wrong.push(`${file} importing ${specifier}: expected ${reported ? '' : 'no '}report`);
  }
  assert.deepEqual(wrong, []);
});
