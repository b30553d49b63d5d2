// push-branch against real git: a local bare remote, a checkout with a campaign branch.

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { GofleetError } from '../../errors.ts';
import { classifyPushFailure, pushBranch, resolveRemote } from './push-branch.ts';
import { runCommand } from '../shared/run-command.ts';

const exec = promisify(execFile);
const dirs: string[] = [];
after(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

async function sandbox(): Promise<{ root: string; env: NodeJS.ProcessEnv; git: (cwd: string, ...args: string[]) => Promise<string> }> {
  const root = await mkdtemp(join(tmpdir(), 'gofleet-push-'));
  dirs.push(root);
  await writeFile(join(root, 'gitconfig'), '[user]\n\tname = T\n\temail = t@example.com\n');
  const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: join(root, 'gitconfig') };
  const git = async (cwd: string, ...args: string[]) => (await exec('git', args, { cwd, env })).stdout.trim();
  return { root, env, git };
}

async function setup() {
  const s = await sandbox();
  const remote = join(s.root, 'remote.git');
  const repo = join(s.root, 'repo');
  await s.git(s.root, 'init', '-q', '--bare', '-b', 'main', remote);
  await s.git(s.root, 'init', '-q', '-b', 'main', repo);
  await writeFile(join(repo, 'a'), '1\n');
  await s.git(repo, 'add', 'a');
  await s.git(repo, 'commit', '-q', '-m', 'one');
  await s.git(repo, 'remote', 'add', 'origin', remote);
  await s.git(repo, 'push', '-q', 'origin', 'main');
  const commit = async (text: string, branch: string) => {
    await s.git(repo, 'checkout', '-q', '-B', branch, 'main');
    await writeFile(join(repo, 'a'), text);
    await s.git(repo, 'commit', '-q', '-am', text);
    const sha = await s.git(repo, 'rev-parse', 'HEAD');
    await s.git(repo, 'checkout', '-q', 'main');
    return sha;
  };
  return { ...s, remote, repo, commit, g: { run: runCommand, env: s.env, tmpDir: s.root } };
}

test('push: new branch, then up to date, then a replaced branch is force-pushed with a lease', async () => {
  const t = await setup();
  const origin = await resolveRemote(t.g, t.repo, 'origin', null);
  assert.deepEqual(origin, { name: 'origin', fetchUrl: t.remote, pushUrl: t.remote });
  const c1 = await t.commit('two\n', 'gofleet/x');
  assert.equal(await pushBranch(t.g, { repo: t.repo, remote: origin, branch: 'gofleet/x', commit: c1 }), 'pushed');
  assert.equal(await t.git(t.remote, 'rev-parse', 'refs/heads/gofleet/x'), c1);
  assert.equal(await pushBranch(t.g, { repo: t.repo, remote: origin, branch: 'gofleet/x', commit: c1 }), 'up-to-date');
  const c2 = await t.commit('three\n', 'gofleet/x');
  assert.equal(await pushBranch(t.g, { repo: t.repo, remote: origin, branch: 'gofleet/x', commit: c2 }), 'force-pushed');
  assert.equal(await t.git(t.remote, 'rev-parse', 'refs/heads/gofleet/x'), c2);
});

test('a remote branch someone else moved is not overwritten (PUSH_REJECTED), unless gofleet knows that tip', async () => {
  const t = await setup();
  const origin = await resolveRemote(t.g, t.repo, 'origin', null);
  const c1 = await t.commit('two\n', 'gofleet/x');
  assert.equal(await pushBranch(t.g, { repo: t.repo, remote: origin, branch: 'gofleet/x', commit: c1 }), 'pushed');
  // a colleague pushes a fix-up onto the campaign branch from another clone
  const other = join(t.root, 'other');
  await t.git(t.root, 'clone', '-q', '-b', 'gofleet/x', t.remote, other);
  await writeFile(join(other, 'b'), 'fix\n');
  await t.git(other, 'add', 'b');
  await t.git(other, 'commit', '-q', '-m', 'fix-up');
  await t.git(other, 'push', '-q', 'origin', 'gofleet/x');
  const theirs = await t.git(other, 'rev-parse', 'HEAD');
  const c2 = await t.commit('three\n', 'gofleet/x');
  await assert.rejects(pushBranch(t.g, { repo: t.repo, remote: origin, branch: 'gofleet/x', commit: c2 }),
    (e: unknown) => e instanceof GofleetError && e.code === 'PUSH_REJECTED' && e.message.includes(theirs.slice(0, 12)));
  assert.equal(await t.git(t.remote, 'rev-parse', 'refs/heads/gofleet/x'), theirs);
  // a tip from the campaign journal (gofleet pushed it, e.g. from an earlier clone) may be replaced
  assert.equal(await pushBranch(t.g, { repo: t.repo, remote: origin, branch: 'gofleet/x', commit: c2, known: [theirs] }), 'force-pushed');
  assert.equal(await t.git(t.remote, 'rev-parse', 'refs/heads/gofleet/x'), c2);
});

test('push without the named remote falls back to the clone URL; with neither it is REPO_NO_REMOTE', async () => {
  const t = await setup();
  await t.git(t.repo, 'remote', 'remove', 'origin');
  const r = await resolveRemote(t.g, t.repo, 'origin', t.remote);
  assert.deepEqual(r, { name: null, fetchUrl: t.remote, pushUrl: t.remote });
  const c1 = await t.commit('two\n', 'gofleet/y');
  assert.equal(await pushBranch(t.g, { repo: t.repo, remote: r, branch: 'gofleet/y', commit: c1 }), 'pushed');
  await assert.rejects(resolveRemote(t.g, t.repo, 'origin', null), (e: unknown) => e instanceof GofleetError && e.code === 'REPO_NO_REMOTE');
});

test('a push that fails is a typed error: a missing remote repository is PUSH_FAILED', async () => {
  const t = await setup();
  const c1 = await t.commit('two\n', 'gofleet/z');
  const gone = join(t.root, 'missing.git');
  await assert.rejects(pushBranch(t.g, { repo: t.repo, remote: { name: null, fetchUrl: gone, pushUrl: gone }, branch: 'gofleet/z', commit: c1 }),
    (e: unknown) => e instanceof GofleetError && e.code === 'PUSH_FAILED' && e.message.includes('missing.git'));
});

test('git output classification', () => {
  assert.equal(classifyPushFailure(' ! [rejected]        gofleet/x -> gofleet/x (stale info)'), 'PUSH_REJECTED');
  assert.equal(classifyPushFailure('!\trefs/heads/a:refs/heads/a\t[rejected] (fetch first)'), 'PUSH_REJECTED');
  assert.equal(classifyPushFailure('git@github.com: Permission denied (publickey).\nfatal: Could not read from remote repository.'), 'PUSH_AUTH_FAILED');
  assert.equal(classifyPushFailure("fatal: unable to access 'https://github.com/a/b/': The requested URL returned error: 403"), 'PUSH_AUTH_FAILED');
  assert.equal(classifyPushFailure("fatal: could not read Username for 'https://github.com': terminal prompts disabled"), 'PUSH_AUTH_FAILED');
  assert.equal(classifyPushFailure("fatal: '/x/missing.git' does not appear to be a git repository"), 'PUSH_FAILED');
});
