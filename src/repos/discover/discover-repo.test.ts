import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { discoverRepo, owningGoFile } from './discover-repo.ts';

async function tree(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'gofleet-discover-'));
  for (const [rel, text] of Object.entries(files)) {
    await mkdir(dirname(join(root, rel)), { recursive: true });
    await writeFile(join(root, rel), text);
  }
  return root;
}

test('discoverRepo finds go.mod/go.work files and pin files, skipping what the go command skips', async () => {
  const root = await tree({
    'go.work': 'go 1.22\n',
    'go.mod': 'module a\n',
    'svc/go.mod': 'module a/svc\n',
    'svc/Dockerfile': 'FROM golang:1.22\n',
    'api/v2/go.mod': 'module a/api/v2\n',
    'vendor/x/go.mod': 'module x\n',
    'testdata/mod/go.mod': 'module t\n',
    '_old/go.mod': 'module o\n',
    '.hidden/go.mod': 'module h\n',
    'node_modules/y/go.mod': 'module y\n',
    '.go-version': '1.22.5\n',
    '.tool-versions': 'golang 1.22.5\n',
    '.github/workflows/ci.yml': 'x',
    '.github/workflows/notes.txt': 'x',
    '.gitlab-ci.yml': 'image: golang:1.22\n',
  });
  try {
    await symlink(join(root, 'svc'), join(root, 'svc-link'));
    const layout = await discoverRepo(root);
    assert.deepEqual(layout.goFiles.map((g) => g.file), ['go.work', 'go.mod', 'api/v2/go.mod', 'svc/go.mod']);
    assert.deepEqual(layout.goFiles.map((g) => g.dir), ['.', '.', 'api/v2', 'svc']);
    assert.deepEqual(layout.pinFiles, ['.github/workflows/ci.yml', '.gitlab-ci.yml', '.go-version', '.tool-versions', 'svc/Dockerfile']);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('a directory without go files yields nothing', async () => {
  const root = await tree({ 'README.md': 'hi' });
  try {
    assert.deepEqual(await discoverRepo(root), { goFiles: [], pinFiles: [] });
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('owningGoFile picks the nearest enclosing directory; a go.work wins a tie', () => {
  const files = [
    { dir: '.', kind: 'workspace' as const, file: 'go.work' },
    { dir: '.', kind: 'module' as const, file: 'go.mod' },
    { dir: 'svc', kind: 'module' as const, file: 'svc/go.mod' },
  ];
  assert.equal(owningGoFile(files, 'svc/Dockerfile')?.file, 'svc/go.mod');
  assert.equal(owningGoFile(files, 'svcx/Dockerfile')?.file, 'go.work');
  assert.equal(owningGoFile(files, '.github/workflows/ci.yml')?.file, 'go.work');
  assert.equal(owningGoFile([{ dir: 'a', kind: 'module', file: 'a/go.mod' }], 'Dockerfile')?.file, 'a/go.mod');
  assert.equal(owningGoFile([], 'Dockerfile'), null);
});
