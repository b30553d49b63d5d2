import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareModuleVersions, parseModuleVersion, pseudoVersionTime } from './module-version.ts';

test('module versions sort like golang.org/x/mod/semver', () => {
  const ordered = [
    'v0.0.0-20200615200032-f1bc736245b1',
    'v0.0.0-20201202213521-69691e467435',
    'v0.1.0-rc.1',
    'v0.1.0-rc.2',
    'v0.1.0-rc.10',
    'v0.1.0',
    'v0.17.0',
    'v0.26.0',
    'v1.0.1',
    'v1.0.2',
    'v1.11.0',
    'v1.12.0',
    'v2.0.0+incompatible',
  ];
  for (let i = 0; i < ordered.length; i++) {
    for (let j = 0; j < ordered.length; j++) {
      const a = ordered[i] ?? '';
      const b = ordered[j] ?? '';
      assert.equal(compareModuleVersions(a, b), Math.sign(i - j), `${a} vs ${b}`);
    }
  }
});

test('alphanumeric pre-release identifiers sort after numeric ones; build metadata is ignored', () => {
  assert.equal(compareModuleVersions('v1.0.0-1', 'v1.0.0-alpha'), -1);
  assert.equal(compareModuleVersions('v1.0.0-alpha', 'v1.0.0-alpha.1'), -1);
  assert.equal(compareModuleVersions('v1.0.0+meta', 'v1.0.0'), 0);
});

test('unparseable versions sort first and parse to null', () => {
  assert.equal(parseModuleVersion('1.2.3'), null);
  assert.equal(parseModuleVersion('v1.2'), null);
  assert.equal(compareModuleVersions('latest', 'v0.0.1'), -1);
  assert.equal(compareModuleVersions('v0.0.1', 'master'), 1);
});

test('pseudoVersionTime finds the timestamp of all three pseudo-version forms', () => {
  assert.equal(pseudoVersionTime('v0.0.0-20200615200032-f1bc736245b1'), '20200615200032');
  assert.equal(pseudoVersionTime('v1.2.4-0.20191109021931-daa7c04131f5'), '20191109021931');
  assert.equal(pseudoVersionTime('v1.2.3-pre.0.20191109021931-daa7c04131f5+incompatible'), '20191109021931');
  assert.equal(pseudoVersionTime('v0.26.0'), null);
});
