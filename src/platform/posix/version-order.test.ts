// The hosts' version order is the one Go ordering (src/version/go-version.ts): the TypeScript
// comparator and the prune script's gf_sort_versions must agree with it name for name.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { compareVersions } from '../../version/go-version.ts';
import { SH_PRUNE } from './sh-prune.ts';
import { compareGoVersions } from '../version-order.ts';

// Shuffled on purpose; the expected order is go/version.Compare's (oldest first).
const NAMES = ['go1.27.3', 'go1.21', 'go1.20', 'go1.27rc2', 'go1.27', 'go1.9', 'go1.20rc1', 'go1.27.0', 'go1.21rc1', 'go1.20.1', 'go1.27beta1', 'go1.21.0', 'go1.27alpha1', 'go1.10.1', 'go1.26.8'];
const OLDEST_FIRST = ['go1.9', 'go1.10.1', 'go1.20rc1', 'go1.20', 'go1.20.1', 'go1.21', 'go1.21rc1', 'go1.21.0', 'go1.26.8', 'go1.27', 'go1.27alpha1', 'go1.27beta1', 'go1.27rc2', 'go1.27.0', 'go1.27.3'];

test('compareGoVersions is go/version.Compare (go1.27 < go1.27rc2 < go1.27.0), non-versions first', () => {
  assert.deepEqual([...NAMES].sort(compareGoVersions), OLDEST_FIRST);
  assert.deepEqual([...NAMES].sort(compareVersions), OLDEST_FIRST);
  assert.deepEqual(['go1.9', 'weird', 'go1.27'].sort(compareGoVersions), ['weird', 'go1.9', 'go1.27']);
});

test('gf_sort_versions (prune) sorts newest first in the same order', () => {
  const script = `${SH_PRUNE}\ngf_sort_versions`;
  const r = spawnSync('sh', ['-c', script], { input: `${NAMES.join('\n')}\n`, encoding: 'utf8', env: { PATH: '/usr/bin:/bin', LC_ALL: 'C' } });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(r.stdout.trim().split('\n'), [...OLDEST_FIRST].reverse());
});
