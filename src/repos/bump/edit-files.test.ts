import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { changedSince, externalReplaces, rewritePinFiles, snapshotFiles } from './edit-files.ts';
import { parseModFile } from '../shared/parse-mod-file.ts';
import { findPins } from '../discover/pins.ts';
import { planPins } from './plan-pins.ts';

test('externalReplaces makes only directories outside the repo absolute, and knows how to undo it', () => {
  const mod = parseModFile([
    'module x/svc',
    'replace example.com/api => ../api',
    'replace example.com/shared v1.2.0 => ../../shared',
    'replace example.com/abs => /opt/abs',
    'replace example.com/mod => example.com/fork v1.0.0',
  ].join('\n'), 'module');
  assert.deepEqual(externalReplaces(mod, 'svc', '/src/repo'), [
    { apply: '-replace=example.com/shared@v1.2.0=/src/shared', undo: '-replace=example.com/shared@v1.2.0=../../shared' },
  ]);
  assert.deepEqual(externalReplaces(mod, '.', '/src/repo').map((e) => e.apply), ['-replace=example.com/api=/src/api', '-replace=example.com/shared@v1.2.0=/shared']);
});

test('rewritePinFiles writes only files whose pins changed; changedSince reports them (and new files)', async () => {
  const root = await mkdtemp(join(tmpdir(), 'gofleet-edit-'));
  try {
    await writeFile(join(root, '.go-version'), '1.22.5\n');
    await writeFile(join(root, 'Dockerfile'), 'FROM golang:1.27\n');
    const snap = await snapshotFiles(root, ['.go-version', 'Dockerfile', 'go.sum']);
    const pins = [...findPins('.go-version', '1.22.5\n'), ...findPins('Dockerfile', 'FROM golang:1.27\n')];
    assert.deepEqual(await rewritePinFiles(root, planPins(pins, 'go1.27.3')), ['.go-version']);
    await writeFile(join(root, 'go.sum'), 'x\n');
    assert.deepEqual(await changedSince(root, snap), ['.go-version', 'go.sum']);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
