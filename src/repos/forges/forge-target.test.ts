import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GofleetError } from '../../errors.ts';
import { forgeTarget, parseRemoteUrl, safeUrl } from './forge-target.ts';

test('remote URL forms: https, scp-like, ssh://, file:// and local paths', () => {
  assert.deepEqual(parseRemoteUrl('https://github.com/acme/app.git'), { host: 'github.com', path: 'acme/app' });
  assert.deepEqual(parseRemoteUrl('https://x-access-token:secret@github.com/acme/app'), { host: 'github.com', path: 'acme/app' });
  assert.deepEqual(parseRemoteUrl('git@github.com:acme/app.git'), { host: 'github.com', path: 'acme/app' });
  assert.deepEqual(parseRemoteUrl('ssh://git@gitlab.example.com:2222/group/sub/app.git'), { host: 'gitlab.example.com', path: 'group/sub/app' });
  assert.deepEqual(parseRemoteUrl('file:///srv/git/acme/app.git'), { host: null, path: 'acme/app' });
  assert.deepEqual(parseRemoteUrl('/srv/git/acme/app.git/'), { host: null, path: 'acme/app' });
});

test('the forge and its API root follow the host; --forge, --forge-url and the env override', () => {
  const env = {};
  assert.deepEqual(forgeTarget('git@github.com:acme/app.git', { env }), { kind: 'github', apiUrl: 'https://api.github.com', project: 'acme/app' });
  assert.deepEqual(forgeTarget('https://gitlab.com/group/sub/app.git', { env }), { kind: 'gitlab', apiUrl: 'https://gitlab.com/api/v4', project: 'group/sub/app' });
  assert.deepEqual(forgeTarget('https://ghe.corp/acme/app.git', { env, forge: 'github' }), { kind: 'github', apiUrl: 'https://ghe.corp/api/v3', project: 'acme/app' });
  assert.deepEqual(forgeTarget('https://gitlab.corp/a/b', { env }), { kind: 'gitlab', apiUrl: 'https://gitlab.corp/api/v4', project: 'a/b' });
  assert.equal(forgeTarget('https://github.com/acme/app', { env: { GOFLEET_GITHUB_API: 'http://127.0.0.1:9/' } }).apiUrl, 'http://127.0.0.1:9');
  assert.equal(forgeTarget('https://github.com/acme/app', { env: { GOFLEET_GITHUB_API: 'http://a' }, apiUrl: 'http://b' }).apiUrl, 'http://b');
  assert.deepEqual(forgeTarget('file:///tmp/remotes/group/app.git', { env, forge: 'gitlab', apiUrl: 'http://127.0.0.1:1/api/v4' }), { kind: 'gitlab', apiUrl: 'http://127.0.0.1:1/api/v4', project: 'group/app' });
});

test('an unknown host or a path without owner/repo is FORGE_UNKNOWN, and the message carries no credentials', () => {
  assert.throws(() => forgeTarget('https://user:hunter22@git.corp/acme/app.git', { env: {} }), (e: unknown) =>
    e instanceof GofleetError && e.code === 'FORGE_UNKNOWN' && !e.message.includes('hunter22'));
  assert.throws(() => forgeTarget('https://github.com/app', { env: {} }), /no owner\/repository/);
  assert.equal(safeUrl('https://tok:x-oauth@github.com/a/b.git'), 'https://github.com/a/b.git');
  assert.equal(safeUrl('git@github.com:a/b.git'), 'git@github.com:a/b.git');
});
