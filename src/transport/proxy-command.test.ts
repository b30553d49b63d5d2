// ProxyCommand end to end: an ssh config's ProxyCommand (a small node program connecting its stdio to
// a TCP port, like `nc`) reaches a real sshd host (test/harness/sshd.ts), is killed when the transport
// closes, and a command that dies before the handshake is HOST_UNREACHABLE with its stderr.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GofleetError } from '../errors.ts';
import { loadInventory } from '../inventory/load-inventory.ts';
import { startHosts, sshdSkip, type Fleet, type SshdHost } from '../../test/harness/sshd.ts';
import { connectSsh } from './ssh.ts';

const skip = sshdSkip();
let fleetStarted: Promise<Fleet> | undefined;
const getFleet = (): Promise<Fleet> => (fleetStarted ??= startHosts(1));
const dir = mkdtempSync(join(tmpdir(), 'gofleet-proxy-command-'));
after(async () => {
  if (fleetStarted) await (await fleetStarted).stop();
  rmSync(dir, { recursive: true, force: true });
});

const pipe = join(dir, 'pipe.mjs');
writeFileSync(pipe, `
import { connect } from 'node:net';
import { writeFileSync } from 'node:fs';
const [host, port, marker] = process.argv.slice(2);
writeFileSync(marker, process.pid + ' ' + host + ' ' + port + '\\n');
const s = connect(Number(port), host);
process.stdin.pipe(s);
s.pipe(process.stdout);
// like some real proxies (aws ssm), it does not leave on its own when the connection ends
setInterval(() => undefined, 1000);
`);

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function hostVia(fleet: Fleet, h: SshdHost, proxyCommand: string): Promise<ReturnType<Fleet['specFor']>> {
  const config = join(dir, `config-${h.port}-${Math.random()}`);
  writeFileSync(config, [
    'Host proxied', '  HostName 127.0.0.1', `  Port ${h.port}`, '  User root', `  IdentityFile ${fleet.clientKey}`,
    `  UserKnownHostsFile ${fleet.knownHostsPath}`, `  ProxyCommand ${proxyCommand}`, '',
  ].join('\n'));
  const inventory = join(dir, 'fleet.yml');
  writeFileSync(inventory, 'hosts:\n  proxied: {}\n');
  const inv = await loadInventory(inventory, { sshConfigPath: config, env: { HOME: dir, USER: 'tester' } });
  return inv.hosts[0]!;
}

describe('ProxyCommand', { skip }, () => {
  test('the command\'s stdio is the SSH connection (tokens expanded); it is killed on close', async () => {
    const fleet = await getFleet();
    const h = fleet.hosts[0]!;
    const marker = join(dir, 'marker');
    const spec = await hostVia(fleet, h, `${process.execPath} ${pipe} %h %p ${marker}`);
    assert.equal(spec.proxyCommand, `${process.execPath} ${pipe} 127.0.0.1 ${h.port} ${marker}`);
    const before = h.connectionCount();
    const t = await connectSsh(spec, { agent: null, retries: 0 });
    assert.equal((await t.exec('id -un')).stdout, 'root\n');
    const [pid, host, port] = readFileSync(marker, 'utf8').trim().split(' ');
    assert.deepEqual([host, port], ['127.0.0.1', String(h.port)]);
    assert.equal(h.connectionCount() - before, 1);
    assert.ok(alive(Number(pid)), 'the ProxyCommand runs while connected');
    await t.close();
    for (let i = 0; i < 50 && alive(Number(pid)); i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(alive(Number(pid)), false, 'the ProxyCommand is gone after close');
  });

  test('a command that exits before the handshake is HOST_UNREACHABLE with its stderr', async () => {
    const fleet = await getFleet();
    const spec = await hostVia(fleet, fleet.hosts[0]!, 'sh -c "echo no route to bastion %h >&2; exit 3"');
    const err = await connectSsh(spec, { agent: null, retries: 0 }).then(() => assert.fail('expected a rejection'), (e: unknown) => e);
    assert.ok(err instanceof GofleetError);
    assert.equal(err.code, 'HOST_UNREACHABLE');
    assert.match(err.message, /exited with code 3 before the SSH handshake finished: no route to bastion 127\.0\.0\.1/);
  });
});
