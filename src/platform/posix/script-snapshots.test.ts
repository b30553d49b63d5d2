// Snapshots of the rendered scripts, so that a change to what runs on hosts shows up in review.
// Stored under __snapshots__/<name>.sh; UPDATE_SNAPSHOTS=1 rewrites them. Every script is also
// checked for syntax by dash, busybox sh and bash --posix (macOS /bin/sh is bash in POSIX mode).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { GofleetError } from '../../errors.ts';
import type { HostPaths } from '../types.ts';
import { posix } from './index.ts';
import { standaloneDetectScript, standaloneUpgradeScript } from './standalone-script.ts';

const DIR = fileURLToPath(new URL('./__snapshots__/', import.meta.url));
const paths: HostPaths = { goroot: '/usr/local/go', versionsDir: '/usr/local/gofleet/versions' };
const verify = { build: true, requirePath: true, healthCommand: "go env GOVERSION | grep -q 'go1.27'" };
const run = '20261125-091502-3fa2';

const SCRIPTS: Record<string, () => string> = {
  facts: () => posix.facts(paths),
  upgrade: () =>
    posix.upgrade({
      paths,
      target: 'go1.27.3',
      run,
      verify,
      archive: {
        filename: 'go1.27.3.linux-amd64.tar.gz',
        sha256: '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
        size: 75_000_000,
        remotePath: posix.uploadPath(paths, 'go1.27.3.linux-amd64.tar.gz', { become: true, run }),
      },
    }),
  // --distribution pull: the host downloads the archive into its cache itself (sh-pull.ts)
  'upgrade-pull': () =>
    posix.upgrade({
      paths,
      target: 'go1.27.3',
      run,
      verify,
      archive: {
        filename: 'go1.27.3.linux-amd64.tar.gz',
        sha256: '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
        size: 75_000_000,
        remotePath: posix.cachedArchivePath(paths, 'go1.27.3.linux-amd64.tar.gz'),
        pullUrl: "https://mirror.example/golang/go1.27.3.linux-amd64.tar.gz?a=1&b='2'",
      },
    }),
  reach: () => posix.reachProbe?.('https://mirror.example/golang/go1.27.3.linux-amd64.tar.gz') ?? '',
  switch: () => posix.switchTo({ paths, target: 'go1.26.8', run, verify: { build: false, requirePath: false } }),
  prune: () => posix.prune({ paths, keep: 2, run }),
  'restore-link': () => posix.restoreLink({ paths, run }),
  standalone: () =>
    standaloneUpgradeScript({
      paths,
      target: 'go1.27.3',
      run: 'script-20261202-163000',
      verify,
      method: 'zip',
      archive: {
        filename: 'go1.27.3.linux-amd64.tar.gz',
        sha256: '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
        size: 75_000_000,
        url: 'https://dl.google.com/go/go1.27.3.linux-amd64.tar.gz',
      },
    }),
  'standalone-detect': () => standaloneDetectScript({ paths, target: 'go1.27.3' }),
};

for (const [name, render] of Object.entries(SCRIPTS)) {
  test(`snapshot: ${name}.sh`, () => {
    const text = render();
    const file = join(DIR, `${name}.sh`);
    if (process.env.UPDATE_SNAPSHOTS === '1' || !existsSync(file)) {
      mkdirSync(DIR, { recursive: true });
      writeFileSync(file, text);
      if (process.env.UPDATE_SNAPSHOTS !== '1') assert.fail(`wrote a new snapshot ${file}; review it and re-run`);
    }
    assert.equal(text, readFileSync(file, 'utf8'), `${name}.sh differs from its snapshot; if intended, re-run with UPDATE_SNAPSHOTS=1`);
  });

  test(`syntax: ${name}.sh parses under dash, busybox sh and bash --posix`, () => {
    const text = render();
    const shells = [['dash', '-n'], ['bash', '--posix', '-n'], ['busybox', 'sh', '-n']];
    for (const [cmd, ...args] of shells) {
      if (cmd === 'busybox' && spawnSync('busybox', ['true']).status !== 0) continue;
      const r = spawnSync(cmd ?? 'dash', args, { input: text, encoding: 'utf8' });
      assert.equal(r.status, 0, `${cmd}: ${r.stderr}`);
    }
    // standalone scripts are run as files and take arguments: main "$@"
    assert.match(text, /\n\}\nmain( "\$@")?\n$/, 'main is called on the last line only');
    assert.match(text, /^main\(\) \{\n {2}trap '' HUP PIPE\n {2}umask 022\n {2}LC_ALL=C\n {2}export LC_ALL\n/m);
  });
}

test('scriptCommand, uploadPath and cachedArchivePath', () => {
  assert.equal(posix.scriptCommand({ become: false }), 'sh -s');
  assert.equal(posix.scriptCommand({ become: true }), 'sudo -n sh -s');
  assert.equal(posix.uploadPath(paths, 'go1.27.3.linux-amd64.tar.gz', { become: false, run }), `/tmp/gofleet-${run}-go1.27.3.linux-amd64.tar.gz`);
  assert.equal(posix.cachedArchivePath({ ...paths, versionsDir: '/opt/v/' }, 'go1.27.3.darwin-arm64.tar.gz'), '/opt/v/.gofleet/cache/go1.27.3.darwin-arm64.tar.gz');
  assert.equal(posix.quote("a'b"), `'a'\\''b'`);
});

test('every interpolated value is quoted: a hostile path stays one literal word', () => {
  const hostile = { goroot: "/opt/go'; rm -rf / #", versionsDir: '/opt/$(touch pwned)/`id`' };
  const text = posix.switchTo({ paths: hostile, target: 'go1.27.3', run, verify });
  assert.ok(text.includes(`  G_ROOT='/opt/go'\\''; rm -rf / #'\n`));
  assert.ok(text.includes("  VDIR='/opt/$(touch pwned)/`id`'\n"));
});

test('bad intents are rejected before a script exists', () => {
  const bad = (f: () => unknown): void => assert.throws(f, (e: unknown) => e instanceof GofleetError && e.code === 'BAD_OPTION');
  bad(() => posix.facts({ goroot: 'usr/local/go', versionsDir: '/v' }));
  bad(() => posix.facts({ goroot: '/', versionsDir: '/v' }));
  bad(() => posix.facts({ goroot: '/usr/local/go', versionsDir: '/usr/local/go/versions' }));
  bad(() => posix.facts({ goroot: '/usr/local/go/../go', versionsDir: '/v' }));
  bad(() => posix.switchTo({ paths, target: '../../etc', run, verify }));
  bad(() => posix.switchTo({ paths, target: 'go1.27.3', run: 'a b', verify }));
  bad(() => posix.prune({ paths, keep: -1, run }));
  bad(() => posix.prune({ paths, keep: 1.5, run }));
  const archive = { filename: 'go1.27.3.linux-amd64.tar.gz', sha256: 'x', size: 1, remotePath: '/tmp/a' };
  bad(() => posix.upgrade({ paths, target: 'go1.27.3', run, verify, archive }));
  bad(() => posix.upgrade({ paths, target: 'go1.27.3', run, verify, archive: { ...archive, sha256: 'a'.repeat(64), filename: '../x' } }));
  bad(() => posix.upgrade({ paths, target: 'go1.27.3', run, verify, archive: { ...archive, sha256: 'a'.repeat(64), remotePath: 'rel' } }));
});
