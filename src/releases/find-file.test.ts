import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GofleetError } from '../errors.ts';
import { findFile } from './find-file.ts';
import { parseFileName } from './file-name.ts';
import { buildReleaseIndex } from './release-index.ts';

const names = [
  'go1.27.3.linux-amd64.tar.gz', 'go1.27.3.linux-arm64.tar.gz', 'go1.27.3.linux-armv6l.tar.gz', 'go1.27.3.linux-386.tar.gz',
  'go1.27.3.darwin-arm64.tar.gz', 'go1.27.3.darwin-arm64.pkg', 'go1.27.3.windows-amd64.zip', 'go1.27.3.windows-amd64.msi',
  'go1.27.3.src.tar.gz', 'go1.19.linux-amd64.tar.gz',
];
const releases = buildReleaseIndex(names.map((filename) => ({ filename, ...parseFileName(filename)!, sha256: 'a'.repeat(64), size: 1 })));

describe('findFile', () => {
  const cases: [string, string, string, string][] = [
    ['go1.27.3', 'linux', 'x86_64', 'go1.27.3.linux-amd64.tar.gz'],
    ['go1.27.3', 'Linux', 'aarch64', 'go1.27.3.linux-arm64.tar.gz'],
    ['go1.27.3', 'linux', 'armv7l', 'go1.27.3.linux-armv6l.tar.gz'],
    ['go1.27.3', 'linux', 'i686', 'go1.27.3.linux-386.tar.gz'],
    ['go1.27.3', 'Darwin', 'arm64', 'go1.27.3.darwin-arm64.tar.gz'],
    ['go1.27.3', 'windows', 'AMD64', 'go1.27.3.windows-amd64.zip'],
    ['go1.19.0', 'linux', 'amd64', 'go1.19.linux-amd64.tar.gz'],
  ];
  for (const [v, os, arch, want] of cases) it(`${v} ${os}/${arch} -> ${want}`, () => assert.equal(findFile(releases, v, os, arch).filename, want));

  it('RELEASE_FILE_MISSING lists what exists', () => {
    assert.throws(
      () => findFile(releases, 'go1.27.3', 'linux', 's390x'),
      (e: unknown) => e instanceof GofleetError && e.code === 'RELEASE_FILE_MISSING' && /no \.tar\.gz archive for linux\/s390x \(archives: darwin\/arm64, linux\/386, linux\/amd64, linux\/arm64, linux\/armv6l, windows\/amd64\)/.test(e.message),
    );
    assert.throws(() => findFile(releases, 'go1.27.3', 'windows', 'arm64'), (e: unknown) => e instanceof GofleetError && e.code === 'RELEASE_FILE_MISSING');
  });
  it('VERSION_UNKNOWN for an unlisted version', () => {
    assert.throws(() => findFile(releases, 'go1.27.4', 'linux', 'amd64'), (e: unknown) => e instanceof GofleetError && e.code === 'VERSION_UNKNOWN');
  });
});
