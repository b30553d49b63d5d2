import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// src/repos (docs/architecture.md): stages in pipeline order discover -> bump -> check -> publish; a stage imports
// earlier stages, shared/ and forges/, never a later stage or the campaign files at the top (run-campaign,
// run-repo, campaign-report). shared/ imports only forges/ (for the types a result names); forges/ import no
// stage and not shared/. No part of repos reaches into the engine, the report, the CLI, a platform, a
// transport or the inventory; the store only through its public src/store/index.ts.
const REPOS_OUTSIDE = {
  group: ['**/engine/*', '**/report/*', '**/cli/*', '**/cli/**', '**/platform/**', '**/transport/*', '**/inventory/*', '**/store/*', '!**/store/index.ts'],
  message: 'src/repos imports no engine, report, CLI, platform, transport or inventory module, and the store only through src/store/index.ts; shared helpers live in src/util (layer rule).',
};
const reposLayer = (folder, banned, what) => ({
  files: [`src/repos/${folder}`],
  ignores: ['src/repos/**/*.test.ts', 'src/repos/**/testdata/**'],
  rules: {
    'no-restricted-imports': ['error', { patterns: banned.length === 0 ? [REPOS_OUTSIDE] : [REPOS_OUTSIDE, { group: banned, message: `${what} (repos layer rule).` }] }],
  },
});
const LATER = { discover: ['../bump/*', '../check/*', '../publish/*'], bump: ['../check/*', '../publish/*'], check: ['../publish/*'], publish: [] };
const STAGES = ['../discover/*', '../bump/*', '../check/*', '../publish/*'];
const restrict = (patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });
const dialect = (name, glob) => ({ group: [glob, `**/platform/${name}/**`], message: `A dialect never imports another (${name}/): share code through src/platform/protocol or a neutral src/platform file (layer rule).` });
const PLATFORM_UP = [{ group: ['**/releases/*', '**/engine/*', '**/cli/*', '**/repos/*', '**/transport/*'], message: 'A platform imports only src/version, src/errors and its own files (layer rule).' }];
const DIALECTS = { group: ['**/platform/posix/**', '**/platform/windows/**', '**/platform/protocol/**', '**/platform/registry*'], message: 'Only src/cli picks dialects (platform/registry.ts): use platform/types.ts and what EngineContext/RemoteShell hand over (layer rule).' };
const UP_FROM_ENGINE = { group: ['**/cli/*', '**/report/*', '**/store/*', '**/repos/*', '**/dispatch/*'], message: 'The engine imports no layer above it (cli, report, store, repos, dispatch): it emits events (layer rule).' };
const UP_FROM_TRANSPORT = { group: ['**/engine/*', '**/cli/*', '**/report/*', '**/store/*', '**/releases/*', '**/repos/*'], message: 'A transport moves bytes: it imports no engine, cli, report, store, releases or repos (layer rule).' };

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.cache/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', URL: 'readonly', AbortController: 'readonly', AbortSignal: 'readonly', fetch: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', TextDecoder: 'readonly', TextEncoder: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', { selector: "CallExpression[callee.object.name='process'][callee.property.name='exit']", message: 'Only src/cli/main.ts calls process.exit.' }],
    },
  },
  { files: ['src/cli/main.ts', 'scripts/**', 'bench/**', 'test/harness/**'], rules: { 'no-restricted-syntax': 'off' } },
  // Layers (docs/architecture.md): cli -> engine -> {platform, transport, store, releases}; dependencies point
  // down, and nothing reaches sideways into a dialect. test/layer-rules.test.ts checks that each rule fires.
  // src/version is a dialect-neutral leaf every layer may import (the one Go version order).
  { files: ['src/version/**'], rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['../*', '../**'], message: 'src/version is a leaf: it imports no other gofleet module.' }] }] } },
  // a platform never imports releases, the engine, the CLI, repos or a transport; a dialect never imports another
  { files: ['src/platform/**'], ignores: ['src/platform/**/*.test.ts'], rules: restrict(PLATFORM_UP) },
  { files: ['src/platform/posix/**'], ignores: ['src/platform/**/*.test.ts'], rules: restrict([...PLATFORM_UP, dialect('windows', '**/windows/**')]) },
  { files: ['src/platform/windows/**'], ignores: ['src/platform/**/*.test.ts'], rules: restrict([...PLATFORM_UP, dialect('posix', '**/posix/**')]) },
  // the engine sees a platform only through platform/types.ts (plus the neutral detect-shell, remote-shell,
  // system-paths): dialects come through EngineContext.dialectFor (platform/registry.ts, wired by the CLI)
  { files: ['src/engine/**'], ignores: ['src/engine/**/*.test.ts', 'src/engine/testing/**'], rules: restrict([DIALECTS, UP_FROM_ENGINE]) },
  // a transport moves bytes: it is handed a RemoteShell (platform/remote-shell.ts) and imports no dialect
  { files: ['src/transport/**'], ignores: ['src/transport/**/*.test.ts', 'src/transport/contract.ts'], rules: restrict([DIALECTS, UP_FROM_TRANSPORT]) },
  // src/policy (policy files, windows, drift) sits beside the engine: pure, it reads facts types and the engine's
  // option checks but imports no dialect, transport, store, report or CLI (the CLI wires facts and releases to it)
  { files: ['src/policy/**'], ignores: ['src/policy/**/*.test.ts'], rules: restrict([DIALECTS, { group: ['**/cli/*', '**/report/*', '**/store/*', '**/repos/*', '**/transport/*'], message: 'src/policy is pure: it imports no cli, report, store, repos or transport module (layer rule).' }]) },
  // src/util holds leaf helpers several layers share (the concurrency limiter, the text table): it imports no gofleet module.
  { files: ['src/util/**'], rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['../*', '../**'], message: 'src/util is a leaf: it imports no other gofleet module.' }] }] } },
  // src/vulndb reads a vulnerability database (over releases/http-client) and matches versions: callers (facts,
  // drift, serve) hand it versions; it imports no engine, cli, report, store, platform, transport, repos or inventory
  { files: ['src/vulndb/**'], ignores: ['src/vulndb/**/*.test.ts'], rules: restrict([{ group: ['**/engine/*', '**/cli/*', '**/report/*', '**/store/*', '**/platform/**', '**/transport/*', '**/repos/**', '**/inventory/*'], message: 'src/vulndb imports only src/version, src/errors and src/releases/http-client (layer rule).' }]) },
  // src/serve/ui: the dashboard's browser modules, served as they are (no build step): browser globals, and no
  // import of anything outside the folder (the browser could not load it)
  {
    files: ['src/serve/ui/**/*.js'],
    languageOptions: { sourceType: 'module', globals: { document: 'readonly', location: 'readonly', history: 'readonly', URLSearchParams: 'readonly', EventSource: 'readonly', Node: 'readonly', ResizeObserver: 'readonly', requestAnimationFrame: 'readonly', cancelAnimationFrame: 'readonly', performance: 'readonly' } },
    rules: restrict([{ group: ['../*', '../**'], message: 'A dashboard module imports only its neighbours in src/serve/ui (the browser loads them from /ui/).' }]),
  },
  // src/serve: the dashboard's server reads the fleet through DashboardData (types.ts) and the tokens through the
  // store's public index; the service (service.ts) sees a rollout through its events and its wave hook; neither
  // reaches into the engine's workings, a platform, a transport, the inventory or the CLI
  { files: ['src/serve/**/*.ts'], ignores: ['src/serve/**/*.test.ts', 'src/serve/testing/**'], rules: restrict([DIALECTS, { group: ['**/cli/*', '**/cli/**', '**/transport/*', '**/platform/*', '**/inventory/*', '**/repos/**', '**/store/*', '!**/store/index.ts', '**/engine/*', '!**/engine/events.ts', '!**/engine/wave-gate.ts', '!**/engine/drain-options.ts'], message: 'src/serve reads through DashboardData (serve/types.ts) and src/store/index.ts; the service sees rollouts only through their events and wave hook; the CLI wires it to the engine (layer rule).' }]) },
  // src/dispatch (issue 14) hands hosts to workers through the queue: it imports the store (its PostgreSQL parts),
  // src/errors, the engine's event types and the inventory's types, never the engine's workings, the CLI, a report,
  // a platform or a transport; the store never imports it (the CLI wires the two)
  { files: ['src/dispatch/**'], ignores: ['src/dispatch/**/*.test.ts'], rules: restrict([DIALECTS, { group: ['**/cli/*', '**/cli/**', '**/report/*', '**/transport/*', '**/platform/*', '**/repos/**', '**/serve/**', '**/policy/*', '**/releases/*', '**/engine/*', '!**/engine/events.ts', '**/inventory/*', '!**/inventory/types.ts'], message: 'src/dispatch imports only src/store, src/errors, engine/events.ts and inventory/types.ts; the CLI wires it to the engine (layer rule).' }]) },
  { files: ['src/store/**'], ignores: ['src/store/**/*.test.ts'], rules: restrict([{ group: ['**/dispatch/*', '**/dispatch/**'], message: 'The store knows nothing of dispatch: src/dispatch builds on the store, not the other way (layer rule).' }]) },
  reposLayer('*.ts', [], ''),
  ...Object.entries(LATER).map(([stage, later]) => reposLayer(`${stage}/**`, [...later, '../*.ts'], `A ${stage} module imports no later stage and not the campaign files at the top of src/repos`)),
  reposLayer('shared/**', [...STAGES, '../*.ts'], 'src/repos/shared imports no stage: stages import it'),
  reposLayer('forges/**', [...STAGES, '../shared/*', '../*.ts'], 'A forge client imports no stage and not src/repos/shared'),
);
