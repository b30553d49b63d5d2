import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHostKeyCheck } from './host-key-check.ts';
import { fingerprint } from './known-hosts.ts';

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

test('accept-new appends after a last line without newline and keeps an existing file\'s mode', () => {
  withDir((dir) => {
    const path = join(dir, 'known_hosts');
    writeFileSync(path, `other ssh-ed25519 ${A}`);
    chmodSync(path, 0o644); // a shared /etc/ssh/ssh_known_hosts must stay readable to other users (issue 8)
    const check = createHostKeyCheck({ knownHostsPath: path, address: '10.0.0.9', port: 2200, acceptNew: true, host: 'h9' });
    assert.equal(check.verify(keyA), true);
    assert.equal(check.failure(), undefined);
    assert.equal(readFileSync(path, 'utf8'), `other ssh-ed25519 ${A}\n[10.0.0.9]:2200 ssh-ed25519 ${A}\n`);
    assert.equal(statSync(path).mode & 0o777, 0o644);
  });
});

test('accept-new creates a missing file 0600 whatever the umask', () => {
  withDir((dir) => {
    const path = join(dir, 'sub', 'known_hosts');
    const umask = process.umask(0o022);
    try {
      const check = createHostKeyCheck({ knownHostsPath: path, address: 'h', port: 22, acceptNew: true, host: 'h' });
      assert.equal(check.verify(keyA), true);
    } finally {
      process.umask(umask);
    }
    assert.equal(readFileSync(path, 'utf8'), `h ssh-ed25519 ${A}\n`);
    assert.equal(statSync(path).mode & 0o777, 0o600);
  });
});

/** a wire blob of type ssh-rsa (the checks read only its type and bytes) */
const keyRsa = Buffer.concat([Buffer.from([0, 0, 0, 7]), Buffer.from('ssh-rsa'), Buffer.from([0, 0, 0, 3, 1, 0, 1, 0, 0, 0, 2, 0x12, 0x34])]);

test('a known host presenting only another key type is refused, with and without accept-new; known_hosts untouched', () => {
  withDir((dir) => {
    const path = join(dir, 'known_hosts');
    const text = `[127.0.0.1]:2200 ssh-ed25519 ${A}\n`;
    writeFileSync(path, text);
    for (const acceptNew of [true, false]) {
      const check = createHostKeyCheck({ knownHostsPath: path, address: '127.0.0.1', port: 2200, acceptNew, host: 'web-1' });
      assert.equal(check.verify(keyRsa), false);
      const err = check.failure();
      assert.equal(err?.code, 'HOST_KEY_TYPE_MISMATCH');
      assert.equal(err?.kind, 'hostkey');
      assert.equal(err?.host, 'web-1');
      const msg = err?.message ?? '';
      assert.doesNotMatch(msg, /not in/);
      assert.ok(msg.startsWith(`[127.0.0.1]:2200 is known in ${path} (line 1) with a ssh-ed25519 key only, but it presented a ssh-rsa key ${fingerprint(keyRsa)}`), msg);
      assert.equal(/accept-new-host-keys adds keys only/.test(msg), acceptNew, msg);
      assert.ok(err?.hint.includes(`ssh-keygen -F '[127.0.0.1]:2200' -f ${path}`), err?.hint);
      assert.ok(err?.hint.includes('ssh-keyscan -p 2200 -t rsa 127.0.0.1 | ssh-keygen -lf -'), err?.hint);
      assert.equal(readFileSync(path, 'utf8'), text);
    }
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
