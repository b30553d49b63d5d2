import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildReleaseIndex, filesByName, parseReleaseIndex } from './release-index.ts';

// An excerpt in go.dev's exact shape (one-space indent, source entries with empty os/arch).
const GO_DEV = `[
 {
  "version": "go1.27rc1",
  "stable": false,
  "files": [{"filename": "go1.27rc1.linux-amd64.tar.gz", "os": "linux", "arch": "amd64", "version": "go1.27rc1", "sha256": "ABCDEF${'0'.repeat(58)}", "size": 70000000, "kind": "archive"}]
 },
 {
  "version": "go1.26.8",
  "stable": true,
  "files": [
   {"filename": "go1.26.8.src.tar.gz", "os": "", "arch": "", "version": "go1.26.8", "sha256": "${'1'.repeat(64)}", "size": 30000000, "kind": "source"},
   {"filename": "go1.26.8.linux-amd64.tar.gz", "os": "linux", "arch": "amd64", "version": "go1.26.8", "sha256": "${'2'.repeat(64)}", "size": 72000000, "kind": "archive"},
   {"filename": "go1.26.8.windows-amd64.msi", "os": "windows", "arch": "amd64", "version": "go1.26.8", "sha256": "${'3'.repeat(64)}", "size": 60000000, "kind": "installer"},
   {"filename": "go1.26.8.weird", "os": "linux", "arch": "amd64", "version": "go1.26.8", "sha256": "", "size": 1, "kind": "something-new"}
  ]
 },
 {"version": "go1.27.0", "stable": true, "files": []},
 {"version": "not-a-version", "stable": true, "files": []}
]`;

describe('parseReleaseIndex', () => {
  it('reads the go.dev shape, sorted newest first, unknown kinds and versions skipped', () => {
    const releases = parseReleaseIndex(JSON.parse(GO_DEV));
    assert.ok(releases);
    assert.deepEqual(releases.map((r) => [r.version, r.stable, r.files.length]), [['go1.27.0', true, 0], ['go1.27rc1', false, 1], ['go1.26.8', true, 3]]);
    const byName = filesByName(releases);
    assert.equal(byName.get('go1.27rc1.linux-amd64.tar.gz')?.sha256, `abcdef${'0'.repeat(58)}`);
    assert.equal(byName.get('go1.26.8.src.tar.gz')?.kind, 'source');
    assert.equal(byName.has('go1.26.8.weird'), false);
  });
  it('returns null for documents that are not an index', () => {
    for (const doc of [undefined, {}, 'x', [{ nope: 1 }], [{ version: 'go1.2', files: [{ size: 1 }] }]]) assert.equal(parseReleaseIndex(doc), null);
  });
  it('fills defaults for sparse entries (old SHA1-only files have no sha256)', () => {
    const releases = parseReleaseIndex([{ version: 'go1.2.2', files: [{ filename: 'go1.2.2.linux-amd64.tar.gz', kind: 'archive' }] }]);
    assert.deepEqual(releases?.[0]?.files[0], { filename: 'go1.2.2.linux-amd64.tar.gz', os: '', arch: '', version: 'go1.2.2', sha256: '', size: 0, kind: 'archive' });
  });
});

describe('buildReleaseIndex', () => {
  it('groups by version, newest first, files by name', () => {
    const f = (filename: string, version: string) => ({ filename, os: 'linux', arch: 'amd64', version, sha256: '', size: 0, kind: 'archive' as const });
    const releases = buildReleaseIndex([f('b', 'go1.21.0'), f('z', 'go1.27.3'), f('a', 'go1.21.0'), f('c', 'go1.21rc2')]);
    assert.deepEqual(releases.map((r) => [r.version, r.stable, r.files.map((x) => x.filename)]), [
      ['go1.27.3', true, ['z']],
      ['go1.21.0', true, ['a', 'b']],
      ['go1.21rc2', false, ['c']],
    ]);
  });
});
