import js from '@eslint/js';
import tseslint from 'typescript-eslint';

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
  // Layers (docs/architecture.md): src/version is a dialect-neutral leaf every layer may import (the one
  // Go version order); a platform never imports releases, the engine, the CLI, repos or a transport.
  { files: ['src/version/**'], rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['../*', '../**'], message: 'src/version is a leaf: it imports no other gofleet module.' }] }] } },
  {
    files: ['src/platform/**'],
    ignores: ['src/platform/**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['**/releases/*', '**/engine/*', '**/cli/*', '**/repos/*', '**/transport/*'], message: 'A platform imports only src/version, src/errors and its own files (layer rule).' }] }] },
  },
);
