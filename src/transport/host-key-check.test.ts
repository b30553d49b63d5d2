import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHostKeyCheck } from './host-key-check.ts';

const A = 'AAAAC3NzaC1lZDI1NTE5AAAAIDAGPaQnHyEngNPtgqiniFibpSCorktCUWO8ya86x6OQ';
const C = 'AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBCTFl4XsWvDHc3x358ZE5gfiFJdqTOzjsDhuXFks7AxRTU/hw7DhhoC+0AUYbVrFBYZwCHw1MQ6QAZujzsoI4Jw=';
const keyA = Buffer.from(A, 'base64');

function withDir(fn: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'gofleet-hkc-'));
  try {
    fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('accept-new appends after a last line without newline and keeps the file 0600', () => {
  withDir((dir) => {
    const path = join(dir, 'known_hosts');
    writeFileSync(path, `other ssh-ed25519 ${A}`, { mode: 0o644 });
    const check = createHostKeyCheck({ knownHostsPath: path, address: '10.0.0.9', port: 2200, acceptNew: true, host: 'h9' });
    assert.equal(check.verify(keyA), true);
    assert.equal(check.failure(), undefined);
    assert.equal(readFileSync(path, 'utf8'), `other ssh-ed25519 ${A}\n[10.0.0.9]:2200 ssh-ed25519 ${A}\n`);
    assert.equal(statSync(path).mode & 0o777, 0o600);
  });
});

test('a missing file means unknown; the error names the host and fingerprint', () => {
  withDir((dir) => {
    const check = createHostKeyCheck({ knownHostsPath: join(dir, 'nope'), address: 'h', port: 22, acceptNew: false, host: 'inv-h' });
    assert.equal(check.verify(keyA), false);
    const err = check.failure();
    assert.equal(err?.code, 'HOST_KEY_UNKNOWN');
    assert.equal(err?.host, 'inv-h');
    assert.match(err?.message ?? '', /^h is not in .*nope; it presented ssh-ed25519 key SHA256:VWloK5J5/);
  });
});

test('preferred algorithms put the known key types first, rsa expanded to its signature algorithms', () => {
  withDir((dir) => {
    const path = join(dir, 'known_hosts');
    writeFileSync(path, `[h]:2 ecdsa-sha2-nistp256 ${C}\n[h]:2 ssh-rsa ${A}\n`);
    const check = createHostKeyCheck({ knownHostsPath: path, address: 'h', port: 2, acceptNew: false, host: 'h' });
    assert.deepEqual(check.preferredAlgorithms().slice(0, 5),
      ['ecdsa-sha2-nistp256', 'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa', 'ssh-ed25519']);
    const none = createHostKeyCheck({ knownHostsPath: path, address: 'x', port: 22, acceptNew: false, host: 'x' });
    assert.equal(none.preferredAlgorithms()[0], 'ssh-ed25519');
  });
});
