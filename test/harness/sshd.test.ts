// The harness itself, checked with the system's OpenSSH client (independent of gofleet's transport).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { portRefused as refused, startHosts, sshdSkip, type Fleet, type SshdHost } from './sshd.ts';

function ssh(fleet: Fleet, host: SshdHost, user: string, cmd: string, input?: string) {
  const args = ['-i', fleet.clientKey, '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=yes',
    '-o', `UserKnownHostsFile=${fleet.knownHostsPath}`, '-o', 'IdentitiesOnly=yes', '-o', 'ConnectTimeout=10',
    '-p', String(host.port), `${user}@127.0.0.1`, cmd];
  const r = spawnSync('ssh', args, { encoding: 'utf8', input: input ?? '' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}


describe('sshd harness', { skip: sshdSkip() }, () => {
  let fleet: Fleet;
  let h1: SshdHost;
  let h2: SshdHost;
  let h3: SshdHost;
  before(async () => {
    fleet = await startHosts(3, {
      hosts: [{ tmpfs: { path: '/usr/local/gofleet', size: '8m' }, deploySudo: 'nopasswd' }, { deploySudo: 'password' }],
    });
    [h1, h2, h3] = fleet.hosts as [SshdHost, SshdHost, SshdHost];
  });
  after(() => fleet?.stop());

  test('each host has its own /usr/local; this machine\'s is not visible', async () => {
    writeFileSync(`${h1.dir}/marker`, 'one\n');
    writeFileSync(`${h2.dir}/marker`, 'two\n');
    assert.equal((await h1.exec('cat /usr/local/marker')).stdout, 'one\n');
    assert.equal((await h2.exec('cat /usr/local/marker')).stdout, 'two\n');
    assert.equal((await h3.exec('test -e /usr/local/marker')).exitCode, 1);
    assert.equal((await h3.exec('ls -A /usr/local')).stdout, '');
    await h2.exec('mkdir -p /usr/local/bin && printf "#!/bin/sh\\necho from-h2\\n" > /usr/local/bin/tool && chmod +x /usr/local/bin/tool');
    assert.equal(existsSync(`${h2.dir}/bin/tool`), true);
    assert.equal(ssh(fleet, h2, 'root', 'tool').stdout, 'from-h2\n'); // /usr/local/bin is on the login PATH
    assert.notEqual(ssh(fleet, h1, 'root', 'tool').code, 0);
  });

  test('a host sees only its own processes; sshd is its pid 1', async () => {
    assert.equal((await h1.exec('cat /proc/1/comm')).stdout, 'sshd\n');
    const ps = (await h1.exec('ls /proc | grep -c "^[0-9]*$"')).stdout;
    assert.ok(Number(ps) < 10, `expected a handful of processes, got ${ps}`);
    assert.ok(existsSync(`/proc/${h1.pid()}`));
    assert.notEqual(h1.pid(), h2.pid());
  });

  test('host.exec reports exit codes and takes stdin', async () => {
    assert.deepEqual(await h1.exec('echo out; echo err >&2; exit 5'), { exitCode: 5, stdout: 'out\n', stderr: 'err\n' });
    assert.equal((await h1.exec('wc -c', { stdin: 'abc' })).stdout.trim(), '3');
  });

  test('the optional tmpfs is small and fills up', async () => {
    const df = await h1.exec('df -k /usr/local/gofleet | tail -1');
    assert.match(df.stdout, /^tmpfs\s+8192\s/);
    const fill = await h1.exec('dd if=/dev/zero of=/usr/local/gofleet/big bs=1M count=20');
    assert.notEqual(fill.exitCode, 0);
    assert.match(fill.stderr, /No space left on device/);
    assert.equal((await h2.exec('df -k /usr/local | tail -1')).stdout.startsWith('tmpfs'), false);
  });

  test('root and deploy log in with the client key; known_hosts is right; deploy sudo per option', () => {
    assert.equal(ssh(fleet, h1, 'root', 'id -u').stdout, '0\n');
    assert.equal(ssh(fleet, h1, 'deploy', 'id -un; id -u; echo $HOME').stdout,
      `deploy\n4242\n${h1.stateDir.replace(/state$/, 'home/deploy')}\n`);
    assert.equal(ssh(fleet, h1, 'deploy', 'sudo -n id -u').stdout, '0\n');
    assert.notEqual(ssh(fleet, h2, 'deploy', 'sudo -n id -u').code, 0);
    assert.equal(ssh(fleet, h2, 'deploy', "sudo -S -p '' id -u", `${h2.deployPassword}\n`).stdout, '0\n');
    const none = ssh(fleet, h3, 'deploy', "sudo -S -p '' id -u", `${h3.deployPassword}\n`);
    assert.notEqual(none.code, 0);
    assert.match(none.stderr, /not in the sudoers file|not allowed/);
    assert.equal(ssh(fleet, h1, 'root', "getent hosts host-3 | awk '{print $1}'").stdout, '127.0.0.1\n');
  });

  test('connectionCount counts accepted connections', () => {
    const before = h3.connectionCount();
    ssh(fleet, h3, 'root', 'true');
    ssh(fleet, h3, 'root', 'true');
    assert.equal(h3.connectionCount() - before, 2);
  });

  test('restart keeps port, keys and files; tmpfs contents and processes are gone (a reboot)', async () => {
    await h1.exec('echo kept > /usr/local/kept; echo lost > /usr/local/gofleet/lost');
    const oldPid = h1.pid();
    await h1.restart();
    assert.notEqual(h1.pid(), oldPid);
    assert.equal(existsSync(`/proc/${oldPid}`), false);
    assert.equal(ssh(fleet, h1, 'root', 'cat /usr/local/kept; ls -A /usr/local/gofleet').stdout, 'kept\n');
  });

  test('stop kills the hosts and removes the temp dirs', async () => {
    const other = await startHosts(1);
    const [h] = other.hosts as [SshdHost];
    const pid = h.pid();
    await other.stop();
    assert.equal(existsSync(`/proc/${pid}`), false);
    assert.equal(existsSync(other.dir), false);
    assert.equal(await refused(h.port), true);
  });
});
