// The SSH transport against real OpenSSH hosts (test/harness/sshd.ts): the shared contract, then
// authentication, host keys, retries, lost connections and ProxyJump.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GofleetError } from '../errors.ts';
import { startHosts, sshdSkip, type Fleet, type SshdHost } from '../../test/harness/sshd.ts';
import { startCutProxy } from '../../test/harness/tcp-cut-proxy.ts';
import { runTransportContract } from './contract.ts';
import { connectSsh, type SshConnectOptions } from './ssh.ts';
import { posixRemoteShell } from '../platform/posix/remote-shell.ts';

const skip = sshdSkip();
let fleetStarted: Promise<Fleet> | undefined;
const getFleet = (): Promise<Fleet> => (fleetStarted ??= startHosts(3));
// hosts with other host keys: one offering only RSA, one offering ed25519 and RSA
let keyFleetStarted: Promise<Fleet> | undefined;
const getKeyFleet = (): Promise<Fleet> =>
  (keyFleetStarted ??= startHosts(2, { hosts: [{ hostKeyTypes: ['rsa'] }, { hostKeyTypes: ['ed25519', 'rsa'] }] }));
const scratch = mkdtempSync(join(tmpdir(), 'gofleet-ssh-test-'));
after(async () => {
  if (fleetStarted) await (await fleetStarted).stop();
  if (keyFleetStarted) await (await keyFleetStarted).stop();
  rmSync(scratch, { recursive: true, force: true });
});

/** no agent from the environment, no real sleeping between retries; the hosts' shell is POSIX */
const base: SshConnectOptions = { agent: null, sleep: async () => undefined, shell: posixRemoteShell };

function caught(p: Promise<unknown>): Promise<GofleetError> {
  return p.then(
    () => assert.fail('expected a rejection'),
    (err: unknown) => {
      assert.ok(err instanceof GofleetError, `expected a GofleetError, got ${String(err)}`);
      return err;
    },
  );
}

let n = 0;
function tempFile(content?: string): string {
  const path = join(scratch, `f${++n}`);
  if (content !== undefined) writeFileSync(path, content, { mode: 0o600 });
  return path;
}

function fingerprintOf(host: SshdHost): string {
  const pub = tempFile(`${host.hostKeyPub}\n`);
  const out = spawnSync('ssh-keygen', ['-l', '-f', pub], { encoding: 'utf8' }).stdout;
  const fp = /SHA256:\S+/.exec(out)?.[0];
  assert.ok(fp, `ssh-keygen -l printed ${out}`);
  return fp;
}

async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const port = (srv.address() as { port: number }).port;
  await new Promise((resolve) => srv.close(resolve));
  return port;
}

runTransportContract('ssh (root@host-1)', async () => {
  const fleet = await getFleet();
  const host = fleet.hosts[0] as SshdHost;
  const before = host.connectionCount();
  const transport = await connectSsh(fleet.specFor(host), base);
  return { transport, connections: () => host.connectionCount() - before };
}, { skip });

describe('ssh transport', { skip }, () => {
  test('key auth as an unprivileged user', async () => {
    const fleet = await getFleet();
    const t = await connectSsh(fleet.specFor(fleet.hosts[1] as SshdHost, { user: 'deploy' }), base);
    assert.equal((await t.exec('id -un; id -u')).stdout, 'deploy\n4242\n');
    assert.ok(t.stats.connectMs > 0);
    await t.close();
  });

  test('password auth works; a wrong one fails with AUTH_FAILED after ONE connection, never retried, never shown', async () => {
    const fleet = await getFleet();
    const h = fleet.hosts[1] as SshdHost;
    const spec = fleet.specFor(h, { user: 'deploy', identity: [] });
    const ok = await connectSsh(spec, { ...base, password: h.deployPassword });
    assert.equal((await ok.exec('id -un')).stdout, 'deploy\n');
    await ok.close();

    const wrong = `wrong-${randomBytes(6).toString('hex')}`;
    const before = h.connectionCount();
    let attempts = 0;
    const sleeps: number[] = [];
    const err = await caught(connectSsh(spec, {
      ...base, password: wrong, retries: 3, onAttempt: () => attempts++, sleep: async (ms) => void sleeps.push(ms),
    }));
    assert.equal(err.code, 'AUTH_FAILED');
    assert.equal(err.host, h.name);
    assert.match(err.message, /password/);
    assert.equal(attempts, 1);
    assert.deepEqual(sleeps, []);
    assert.equal(h.connectionCount() - before, 1);
    assert.match(h.readLog(), /Failed password for deploy/);
    for (const text of [err.message, err.hint, String(err.stack)]) assert.ok(!text.includes(wrong), 'the password leaked');
  });

  test('an unusable identity is explained in the AUTH_FAILED message', async () => {
    const fleet = await getFleet();
    const encrypted = join(scratch, 'encrypted_key');
    spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', 'secret phrase', '-f', encrypted]);
    const missing = join(scratch, 'missing_key');
    const spec = fleet.specFor(fleet.hosts[1] as SshdHost, { identity: [encrypted, missing] });
    const err = await caught(connectSsh(spec, base));
    assert.equal(err.code, 'AUTH_FAILED');
    assert.match(err.message, /passphrase-protected.*ssh-add/);
    assert.match(err.message, /missing_key not found/);
  });

  test('an unknown host key is refused with HOST_KEY_UNKNOWN and its SHA256 fingerprint', async () => {
    const fleet = await getFleet();
    const h = fleet.hosts[1] as SshdHost;
    const knownHosts = tempFile('');
    const err = await caught(connectSsh(fleet.specFor(h, { knownHosts }), base));
    assert.equal(err.code, 'HOST_KEY_UNKNOWN');
    assert.ok(err.message.includes(fingerprintOf(h)), err.message);
    assert.equal(readFileSync(knownHosts, 'utf8'), '');
  });

  test('accept-new records the key (new 0600 file) and the next connect needs no flag', async () => {
    const fleet = await getFleet();
    const h = fleet.hosts[1] as SshdHost;
    const knownHosts = join(scratch, 'new-dir', 'known_hosts');
    const t1 = await connectSsh(fleet.specFor(h, { knownHosts }), { ...base, acceptNewHostKeys: true });
    await t1.close();
    assert.equal(readFileSync(knownHosts, 'utf8'), `[127.0.0.1]:${h.port} ${h.hostKeyPub}\n`);
    assert.equal(statSync(knownHosts).mode & 0o777, 0o600);
    const t2 = await connectSsh(fleet.specFor(h, { knownHosts }), base);
    assert.equal((await t2.exec('echo ok')).stdout, 'ok\n');
    await t2.close();
  });

  test('a changed host key is refused with HOST_KEY_CHANGED, even with accept-new', async () => {
    const fleet = await getFleet();
    const [, h2, h3] = fleet.hosts as [SshdHost, SshdHost, SshdHost];
    const line = `[127.0.0.1]:${h2.port} ${h3.hostKeyPub}\n`; // another host's key under h2's name
    const knownHosts = tempFile(line);
    const err = await caught(connectSsh(fleet.specFor(h2, { knownHosts }), { ...base, acceptNewHostKeys: true }));
    assert.equal(err.code, 'HOST_KEY_CHANGED');
    assert.match(err.message, new RegExp(`${knownHosts}:1`));
    assert.equal(readFileSync(knownHosts, 'utf8'), line);
  });

  test('a @revoked key is refused; hashed entries (ssh-keygen -H) are accepted', async () => {
    const fleet = await getFleet();
    const h = fleet.hosts[1] as SshdHost;
    const revoked = tempFile(`@revoked * ${h.hostKeyPub}\n[127.0.0.1]:${h.port} ${h.hostKeyPub}\n`);
    const err = await caught(connectSsh(fleet.specFor(h, { knownHosts: revoked }), { ...base, acceptNewHostKeys: true }));
    assert.equal(err.code, 'HOST_KEY_REVOKED');
    const hashed = tempFile(readFileSync(fleet.knownHostsPath, 'utf8'));
    spawnSync('ssh-keygen', ['-H', '-f', hashed]);
    assert.match(readFileSync(hashed, 'utf8'), /^\|1\|/);
    const t = await connectSsh(fleet.specFor(h, { knownHosts: hashed }), base);
    await t.close();
  });

  test('an unreachable port fails with HOST_UNREACHABLE after the configured retries', async () => {
    const fleet = await getFleet();
    const port = await closedPort();
    let attempts = 0;
    const sleeps: number[] = [];
    const err = await caught(connectSsh(fleet.specFor(fleet.hosts[0] as SshdHost, { port }), {
      ...base, retries: 2, onAttempt: () => attempts++, sleep: async (ms) => void sleeps.push(ms),
    }));
    assert.equal(err.code, 'HOST_UNREACHABLE');
    assert.equal(attempts, 3);
    assert.equal(sleeps.length, 2);
    assert.match(err.message, /after 3 attempts/);
  });

  test('a host that accepts TCP but never speaks SSH fails with CONNECT_TIMEOUT', async () => {
    const fleet = await getFleet();
    const sockets: Array<{ destroy(): void }> = [];
    const silent: Server = createServer((s) => void sockets.push(s));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    try {
      const err = await caught(connectSsh(fleet.specFor(fleet.hosts[0] as SshdHost, { port }),
        { ...base, connectTimeoutMs: 300, retries: 0 }));
      assert.equal(err.code, 'CONNECT_TIMEOUT');
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  describe('through a proxy that cuts the connection', () => {
    async function viaProxy(mode: 'close' | 'freeze', o: SshConnectOptions = {}) {
      const fleet = await getFleet();
      const h = fleet.hosts[2] as SshdHost;
      const proxy = await startCutProxy({ targetPort: h.port, mode });
      const knownHosts = tempFile(`[127.0.0.1]:${proxy.port} ${h.hostKeyPub}\n`);
      const t = await connectSsh(fleet.specFor(h, { port: proxy.port, knownHosts }), { ...base, ...o });
      return { h, proxy, t };
    }

    test('a put cut mid-transfer rejects with a coded error, leaves no file under the final name, does not hang',
      { timeout: 30_000 }, async () => {
        const { h, proxy, t } = await viaProxy('close');
        try {
          const src = tempFile();
          writeFileSync(src, randomBytes(16 * 1024 * 1024));
          const dst = '/usr/local/cut target'; // inside the host: its /usr/local is h.dir here
          proxy.setCutAfter(proxy.bytesUp + 4 * 1024 * 1024);
          const err = await caught(t.put(src, dst));
          assert.equal(err.code, 'CONNECTION_LOST', err.message);
          assert.equal(err.host, h.name);
          assert.equal(proxy.cuts, 1);
          assert.equal(existsSync(join(h.dir, 'cut target')), false);
          assert.equal((await caught(t.exec('true'))).code, 'CONNECTION_LOST');
        } finally {
          await t.close();
          await proxy.close();
        }
      });

    test('a connection lost mid-exec rejects with CONNECTION_LOST', { timeout: 30_000 }, async () => {
      const { proxy, t } = await viaProxy('close');
      try {
        const err = await caught(t.exec('echo started; sleep 20', { onStdout: () => proxy.cutAll() }));
        assert.equal(err.code, 'CONNECTION_LOST');
      } finally {
        await t.close();
        await proxy.close();
      }
    });

    test('an upload that stops moving (keepalives off) fails as stalled after putIdleMs, not never', { timeout: 30_000 }, async () => {
      const { proxy, t } = await viaProxy('freeze', { keepalive: false, putIdleMs: 1500 });
      try {
        const src = tempFile();
        writeFileSync(src, randomBytes(16 * 1024 * 1024));
        proxy.setCutAfter(proxy.bytesUp + 2 * 1024 * 1024);
        const err = await caught(t.put(src, '/usr/local/stalled'));
        assert.equal(err.code, 'TRANSFER_FAILED', err.message);
        assert.match(err.message, /stalled: no progress for 2 s/);
      } finally {
        await t.close();
        await proxy.close();
      }
    });

    test('a silent partition is noticed by keepalives: CONNECTION_LOST', { timeout: 30_000 }, async () => {
      const { proxy, t } = await viaProxy('freeze', { keepalive: { intervalMs: 200, countMax: 2 } });
      try {
        proxy.cutAll();
        const err = await caught(t.exec('echo never answered'));
        assert.equal(err.code, 'CONNECTION_LOST');
      } finally {
        await t.close();
        await proxy.close();
      }
    });
  });

  test('ProxyJump: through host-1 to host-2 by a name only host-1 can resolve', async () => {
    const fleet = await getFleet();
    const [h1, h2] = fleet.hosts as [SshdHost, SshdHost];
    assert.ok(!/\bhost-2\b/.test(readFileSync('/etc/hosts', 'utf8')), 'this machine must not resolve host-2 itself');
    const before = [h1.connectionCount(), h2.connectionCount()];
    const spec = fleet.specFor(h2, { address: 'host-2', proxyJump: [{ address: '127.0.0.1', port: h1.port, user: 'root' }] });
    const t = await connectSsh(spec, base);
    assert.equal((await t.exec('id -un')).stdout, 'root\n');
    await t.close();
    assert.deepEqual([h1.connectionCount() - (before[0] ?? 0), h2.connectionCount() - (before[1] ?? 0)], [1, 1]);

    // each hop is host-key-checked: the jump host is unknown here
    const onlyTarget = tempFile(`[host-2]:${h2.port} ${h2.hostKeyPub}\n`);
    const err = await caught(connectSsh({ ...spec, knownHosts: onlyTarget }, base));
    assert.equal(err.code, 'HOST_KEY_UNKNOWN');
    assert.match(err.message, new RegExp(`\\[127\\.0\\.0\\.1\\]:${h1.port}`));
  });
});

describe('host key types', { skip }, () => {
  test('a host known with ed25519 that offers only RSA is refused, with and without accept-new; known_hosts untouched', async () => {
    const fleet = await getKeyFleet();
    const [rsaOnly, both] = fleet.hosts as [SshdHost, SshdHost];
    assert.match(rsaOnly.hostKeyPub, /^ssh-rsa /);
    const line = `[127.0.0.1]:${rsaOnly.port} ${both.hostKeyPub}\n`; // an ed25519 key under the RSA-only host's name
    const knownHosts = tempFile(line);
    for (const acceptNewHostKeys of [true, false]) {
      const before = rsaOnly.connectionCount();
      const err = await caught(connectSsh(fleet.specFor(rsaOnly, { knownHosts }), { ...base, acceptNewHostKeys, retries: 2 }));
      assert.equal(err.code, 'HOST_KEY_TYPE_MISMATCH', err.message);
      assert.equal(rsaOnly.connectionCount() - before, 1, 'never retried');
      assert.doesNotMatch(err.message, /not in/);
      assert.match(err.message, /with a ssh-ed25519 key only, but it presented a ssh-rsa key/);
      assert.ok(err.message.includes(fingerprintOf(rsaOnly)), err.message);
      assert.match(err.hint, new RegExp(`ssh-keyscan -p ${rsaOnly.port} -t rsa 127\\.0\\.0\\.1`));
      assert.equal(readFileSync(knownHosts, 'utf8'), line, `known_hosts changed (acceptNew ${acceptNewHostKeys})`);
    }
  });

  test('a host offering ed25519 and RSA presents the type known_hosts lists (RSA only here), so it connects', async () => {
    const fleet = await getKeyFleet();
    const both = fleet.hosts[1] as SshdHost;
    const rsaLine = `[127.0.0.1]:${both.port} ${both.hostKeyPubs[1]}\n`;
    assert.match(rsaLine, / ssh-rsa /);
    const knownHosts = tempFile(rsaLine);
    const t = await connectSsh(fleet.specFor(both, { knownHosts }), base);
    assert.equal((await t.exec('echo ok')).stdout, 'ok\n');
    await t.close();
    assert.equal(readFileSync(knownHosts, 'utf8'), rsaLine);
  });
});
