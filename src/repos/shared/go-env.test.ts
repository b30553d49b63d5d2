import { test } from 'node:test';
import assert from 'node:assert/strict';
import { goCommandEnv, withoutModFlag } from './go-env.ts';

const tc = { version: 'go1.27.3', go: '/x/bin/go', gotoolchain: 'local', how: 'test' };

test('GOTOOLCHAIN and GOWORK are always set; other variables pass through', () => {
  const env = goCommandEnv({ PATH: '/bin', GOTOOLCHAIN: 'auto', GOFLAGS: '-mod=mod' }, tc, 'off');
  assert.deepEqual(env, { PATH: '/bin', GOTOOLCHAIN: 'local', GOWORK: 'off', GOFLAGS: '-mod=mod' });
});

test('workspace mode drops -mod flags from GOFLAGS and keeps the rest', () => {
  assert.equal(goCommandEnv({ GOFLAGS: '-mod=mod -modcacherw' }, tc, '/r/go.work').GOFLAGS, '-modcacherw');
  assert.equal('GOFLAGS' in goCommandEnv({ GOFLAGS: '-mod=mod' }, tc, '/r/go.work'), false);
  assert.equal('GOFLAGS' in goCommandEnv({}, tc, '/r/go.work'), false);
  assert.equal(withoutModFlag('  --mod=vendor   -trimpath '), '-trimpath');
  assert.equal(withoutModFlag(undefined), undefined);
});
