import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GofleetError } from '../../errors.ts';
import { cloneName, isCloneUrl } from './clone-repo.ts';
import { parseTargetList, readTargets } from './read-targets.ts';

test('parseTargetList drops blanks and comments', () => {
  assert.deepEqual(parseTargetList('# repos\n./a\n\n  b   # the b repo\nfile:///x/c.git\n'), ['./a', 'b', 'file:///x/c.git']);
});

test('readTargets resolves PATHS against cwd and --from entries against the file, dropping repeats', async () => {
  const root = await mkdtemp(join(tmpdir(), 'gofleet-targets-'));
  try {
    await mkdir(join(root, 'a'));
    await mkdir(join(root, 'lists', 'b'), { recursive: true });
    await writeFile(join(root, 'lists', 'repos.txt'), 'b\n../a\nfile:///srv/git/c.git\n');
    const t = await readTargets(['a'], 'lists/repos.txt', root);
    assert.deepEqual(t.map((x) => [x.display, x.path, x.url]), [
      ['a', join(root, 'a'), null],
      ['b', join(root, 'lists', 'b'), null],
      ['file:///srv/git/c.git', '', 'file:///srv/git/c.git'],
    ]);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('missing paths and files are REPO_NOT_FOUND; nothing at all is BAD_OPTION', async () => {
  const root = await mkdtemp(join(tmpdir(), 'gofleet-targets-'));
  try {
    await writeFile(join(root, 'list.txt'), 'nope\n');
    const code = (c: string) => (e: unknown) => e instanceof GofleetError && e.code === c;
    await assert.rejects(readTargets(['missing'], undefined, root), code('REPO_NOT_FOUND'));
    await assert.rejects(readTargets([], 'list.txt', root), (e: unknown) => code('REPO_NOT_FOUND')(e) && /list\.txt: nope/.test((e as Error).message));
    await assert.rejects(readTargets([], 'absent.txt', root), code('REPO_NOT_FOUND'));
    await assert.rejects(readTargets([], undefined, root), code('BAD_OPTION'));
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('clone URLs are recognised and named like git names them', () => {
  for (const u of ['file:///srv/app.git', 'https://github.com/o/app', 'ssh://git@host/o/app.git', 'git@github.com:o/app.git']) assert.equal(isCloneUrl(u), true, u);
  for (const p of ['./app', '/srv/app', 'app']) assert.equal(isCloneUrl(p), false, p);
  assert.equal(cloneName('file:///srv/app.git'), 'app');
  assert.equal(cloneName('git@github.com:o/app.git'), 'app');
  assert.equal(cloneName('https://example.com/o/app/'), 'app');
});
