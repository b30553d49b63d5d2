import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { archiveFileName, normalizeArch, normalizeOs, parseFileName, type ParsedFileName } from './file-name.ts';

describe('parseFileName', () => {
  const cases: [string, ParsedFileName | null][] = [
    ['go1.27.3.linux-amd64.tar.gz', { version: 'go1.27.3', os: 'linux', arch: 'amd64', kind: 'archive' }],
    ['go1.27.3.windows-arm64.zip', { version: 'go1.27.3', os: 'windows', arch: 'arm64', kind: 'archive' }],
    ['go1.27.3.windows-amd64.msi', { version: 'go1.27.3', os: 'windows', arch: 'amd64', kind: 'installer' }],
    ['go1.27.3.darwin-arm64.pkg', { version: 'go1.27.3', os: 'darwin', arch: 'arm64', kind: 'installer' }],
    ['go1.22.1.src.tar.gz', { version: 'go1.22.1', os: '', arch: '', kind: 'source' }],
    ['go1.21rc2.linux-armv6l.tar.gz', { version: 'go1.21rc2', os: 'linux', arch: 'armv6l', kind: 'archive' }],
    ['go1.10.linux-386.tar.gz', { version: 'go1.10', os: 'linux', arch: '386', kind: 'archive' }],
    ['go1.27.3.linux-amd64.tar.gz.sha256', null],
    ['go1.27.3.linux-amd64.tar.gz.asc', null],
    ['go1.2.2.darwin-amd64-osx10.8.tar.gz', null],
    ['go1.4-bootstrap-20171003.tar.gz', null],
    ['index.json', null],
    ['go1.27.x.linux-amd64.tar.gz', null],
  ];
  for (const [name, want] of cases) it(name, () => assert.deepEqual(parseFileName(name), want));
});

describe('platform names', () => {
  const arch: [string, string][] = [
    ['x86_64', 'amd64'], ['AMD64', 'amd64'], ['aarch64', 'arm64'], ['arm64', 'arm64'], ['armv7l', 'armv6l'],
    ['armv6l', 'armv6l'], ['i686', '386'], ['x86', '386'], ['ppc64le', 'ppc64le'], ['riscv64', 'riscv64'],
  ];
  for (const [from, to] of arch) it(`arch ${from} -> ${to}`, () => assert.equal(normalizeArch(from), to));
  const os: [string, string][] = [['Linux', 'linux'], ['Darwin', 'darwin'], ['Windows_NT', 'windows'], ['MINGW64_NT-10.0', 'windows'], ['freebsd', 'freebsd']];
  for (const [from, to] of os) it(`os ${from} -> ${to}`, () => assert.equal(normalizeOs(from), to));
  it('builds archive names', () => {
    assert.equal(archiveFileName('go1.27.3', 'Linux', 'x86_64'), 'go1.27.3.linux-amd64.tar.gz');
    assert.equal(archiveFileName('go1.27.3', 'windows', 'AMD64'), 'go1.27.3.windows-amd64.zip');
  });
});
