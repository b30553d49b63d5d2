// A worker's job names its local paths absolutely (job-paths.ts): each form of an option on the command line, the
// values that are not paths, the host's files; and the table of options against commander's own definitions.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Command, type Option } from 'commander';
import type { HostSpec } from '../inventory/types.ts';
import type { CliIo } from './io.ts';
import { absoluteArgv, absoluteHost, SHORT_FLAGS, VALUE_OPTIONS } from './job-paths.ts';
import { runCli } from './program.ts';

const CWD = '/home/ops/rollout';

describe('absoluteArgv', () => {
  const abs = (...argv: string[]): string[] => absoluteArgv(argv, CWD);

  it('--x v, --x=v, a short flag, a short flag with its value attached, and clustered short flags', () => {
    assert.deepEqual(abs('upgrade', '--inventory', 'fleet.yml', '--to', 'go1.27.3'), ['upgrade', '--inventory', `${CWD}/fleet.yml`, '--to', 'go1.27.3']);
    assert.deepEqual(abs('upgrade', '--inventory=inv/fleet.yml'), ['upgrade', `--inventory=${CWD}/inv/fleet.yml`]);
    assert.deepEqual(abs('upgrade', '-i', '../fleet.yml'), ['upgrade', '-i', '/home/ops/fleet.yml']);
    assert.deepEqual(abs('upgrade', '-ifleet.yml'), ['upgrade', `-i${CWD}/fleet.yml`]);
    assert.deepEqual(abs('upgrade', '-yi', 'fleet.yml'), ['upgrade', '-yi', `${CWD}/fleet.yml`]);
    assert.deepEqual(abs('upgrade', '-yifleet.yml', '-y'), ['upgrade', `-yi${CWD}/fleet.yml`, '-y']);
  });

  it('a Windows absolute path is kept as given (a coordinator on Linux for workers on Windows)', () => {
    assert.deepEqual(abs('upgrade', '--cache-dir', 'C:\\gofleet\\cache', '--source', 'D:/mirror,rel', '-i', '\\\\ops\\share\\fleet.yml'), [
      'upgrade', '--cache-dir', 'C:\\gofleet\\cache', '--source', `D:/mirror,${CWD}/rel`, '-i', '\\\\ops\\share\\fleet.yml',
    ]);
  });

  it('every path option: --ssh-config, --vault-password-file, --playbook-dir, --trust-key, --cache-dir, --state', () => {
    const rel = ['--ssh-config', 'ssh/config', '--vault-password-file', 'vault.txt', '--playbook-dir', 'pb', '--trust-key', 'k.pub', '--cache-dir', 'cache', '--state', 'j.db'];
    assert.deepEqual(abs('use', 'go1.2.3', ...rel), ['use', 'go1.2.3', ...rel.map((a, i) => (i % 2 === 1 ? `${CWD}/${a}` : a))]);
  });

  it('keeps absolute paths, `-`, `~`, URLs and the source keywords as given', () => {
    const kept = ['-i', '/etc/gofleet/fleet.yml', '--ssh-config', '~/.ssh/config', '--vault-password-file', '-', '--state', 'postgres://u@db:5432/j',
      '--source', 'https://mirror.example/go/', '--source', 'official', '--source', 'china', '--source', 'goproxy:https://proxy.example,direct',
      '--checksum-source', 'same', '--checksum-source', 'http://sums.example/', '--source', 'file:///srv/dl'];
    assert.deepEqual(abs('upgrade', ...kept), ['upgrade', ...kept]);
  });

  it('--source: each directory of a comma-separated list; --checksum-source: one source', () => {
    assert.deepEqual(abs('upgrade', '--source', 'dl,https://m.example/,/srv/dl,official'), ['upgrade', '--source', `${CWD}/dl,https://m.example/,/srv/dl,official`]);
    assert.deepEqual(abs('upgrade', '--source=dl', '--checksum-source', 'sums'), ['upgrade', `--source=${CWD}/dl`, '--checksum-source', `${CWD}/sums`]);
    assert.deepEqual(abs('upgrade', '--source', 'dl,,x'), ['upgrade', '--source', `${CWD}/dl,,${CWD}/x`], 'an empty item is left for parseSources to refuse');
  });

  it('leaves values that are not paths, and what follows `--`, alone (even when they look like one)', () => {
    const argv = ['upgrade', '--limit', 'web', '-l', 'db', '--health-cmd', 'fleet.yml', '--sha256', 'go1.2.3.linux-amd64.tar.gz=' + 'a'.repeat(64), '--canary', '-i', '--no-journal', '--', '-i', 'x'];
    assert.deepEqual(abs(...argv), argv);
  });
});

describe('absoluteHost', () => {
  const host: HostSpec = {
    name: 'h1', address: 'h1.example', port: 22, transport: 'ssh', identity: ['keys/id_ed25519', '/abs/id_rsa', '~/.ssh/id'], knownHosts: 'known_hosts',
    become: false, tags: [], groups: [], vars: {}, source: { file: 'fleet.yml', line: 3 }, goroot: 'go', versionsDir: 'versions', proxyCommand: 'nc %h %p',
    proxyJump: [{ address: 'bastion', port: 22, identity: 'keys/bastion' }],
    winrm: { scheme: 'https', auth: 'certificate', certValidation: 'validate', caFile: 'ca.pem', clientCert: '/pki/c.pem', clientKey: 'pki/c.key', messageEncryption: 'auto' },
  };

  it("makes the host's local files absolute: keys, known_hosts, the jump hosts' keys, the WinRM certificate files", () => {
    const out = absoluteHost(host, CWD);
    assert.deepEqual(out.identity, [`${CWD}/keys/id_ed25519`, '/abs/id_rsa', '~/.ssh/id']);
    assert.equal(out.knownHosts, `${CWD}/known_hosts`);
    assert.deepEqual(out.proxyJump, [{ address: 'bastion', port: 22, identity: `${CWD}/keys/bastion` }]);
    assert.deepEqual([out.winrm?.caFile, out.winrm?.clientCert, out.winrm?.clientKey], [`${CWD}/ca.pem`, '/pki/c.pem', `${CWD}/pki/c.key`]);
  });

  it('leaves the rest, paths on the host itself (goroot, versions_dir) included, and does not change its input', () => {
    const before = structuredClone(host);
    const out = absoluteHost(host, CWD);
    assert.deepEqual(host, before);
    const { identity: _i, knownHosts: _k, proxyJump: _p, winrm: _w, ...rest } = out;
    const { identity: _i2, knownHosts: _k2, proxyJump: _p2, winrm: _w2, ...restBefore } = before;
    assert.deepEqual(rest, restBefore);
    assert.deepEqual(absoluteHost({ ...host, identity: undefined, winrm: undefined, proxyJump: undefined } as unknown as HostSpec, CWD).identity, undefined);
  });
});

/** The options commander defines for `name`, read from the program runCli builds (its parse is not run). */
async function optionsOf(name: string): Promise<readonly Option[]> {
  const parse = Command.prototype.parseAsync;
  const built: Command[] = [];
  // runCli builds the whole program, then parses: keep the program instead of parsing
  Command.prototype.parseAsync = function (this: Command) {
    built.push(this);
    return Promise.resolve(this);
  };
  try {
    const io: CliIo = { out: () => {}, err: () => {}, stdoutTty: false, stderrTty: false };
    await runCli([name], io);
  } finally {
    Command.prototype.parseAsync = parse;
  }
  const cmd = built[0]?.commands.find((c) => c.name() === name);
  assert.ok(cmd, `program.ts defines ${name}`);
  return cmd.options;
}

/** Options whose value is named like a path and is not one: why. */
const NAMED_LIKE_A_PATH: Record<string, string> = { '--sha256': 'FILE=HEX: FILE is the name of an archive (no directory), not a local file' };

describe('the table of options against program.ts', () => {
  for (const name of ['upgrade', 'use', 'rollback']) {
    it(`${name}: every option that takes a value is in VALUE_OPTIONS (as a path or not), every short flag in SHORT_FLAGS`, async () => {
      const options = await optionsOf(name);
      assert.ok(options.length > 10, 'the options were read');
      for (const o of options) {
        const takesValue = o.required || o.optional;
        assert.equal(o.long !== undefined && o.long in VALUE_OPTIONS, takesValue, `${o.flags}: ${takesValue ? 'takes a value: list it in job-paths.ts VALUE_OPTIONS' : 'takes no value'}`);
        if (o.short) assert.equal(SHORT_FLAGS[o.short], takesValue ? o.long : null, `${o.flags}: SHORT_FLAGS`);
        // a value named like a file, a directory or a key is a path unless the table says why not
        if (takesValue && /<[^>]*(file|dir|path|key)[^>]*>/i.test(o.flags) && !(o.long as string in NAMED_LIKE_A_PATH)) assert.notEqual(VALUE_OPTIONS[o.long as string], 'text', `${o.flags} looks like a path`);
      }
    });
  }

  it('lists no option that none of those commands has', async () => {
    const all = new Set((await Promise.all(['upgrade', 'use', 'rollback'].map(optionsOf))).flat().flatMap((o) => [o.long, o.short]));
    assert.deepEqual(Object.keys(VALUE_OPTIONS).filter((k) => !all.has(k)), []);
    assert.deepEqual(Object.keys(SHORT_FLAGS).filter((k) => !all.has(k)), []);
  });
});
