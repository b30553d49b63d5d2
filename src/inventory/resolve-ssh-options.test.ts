// gofleet's ssh config resolution against OpenSSH's own: `ssh -G -F <config> <name>` on tricky configs
// (-F so this machine's ~/.ssh is never read; Include paths are absolute for the same reason).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { userInfo } from 'node:os';
import { after, describe, it } from 'node:test';
import { readConfigFile } from './read-ssh-config.ts';
import { resolveSshOptions } from './resolve-ssh-options.ts';
import { loadSshConfig } from './ssh-config.ts';
import { scratch } from './test-helpers.ts';

const s = scratch();
after(() => s.cleanup());
const d = s.dir;
const me = userInfo();
const env = { HOME: me.homedir, USER: me.username };

s.write('conf.d-b.conf', 'Host glob-*\n  User from-b\n  Port 2202\n');
s.write('conf.d-a.conf', 'Host glob-*\n  Port 2201\nHost inner-only\n  User from-a\n');
s.write('nested-1.conf', `Include ${d}/nested-2.conf\n`);
s.write('nested-2.conf', 'Host nested\n  User deep-inside\n');
s.write('in-block.conf', 'User from-block-include\nHost *\n  Port 2999\n');

const config = s.write('ssh_config', `
  Include ${d}/conf.d-*.conf
  Include ${d}/nested-1.conf

  Host scoped
    Include ${d}/in-block.conf

  Host web
    HostName %h.internal
    Port 2201

  Match host *.internal
    User matched-after-hostname
    UserKnownHostsFile ${d}/kh_%h_%p_%r

  Match originalhost WEB2 user root,deploy
    ProxyJump jumper@bastion:2022

  Host Upper
    User case-sensitive

  Host jump-first
    ProxyJump first@hop
    ProxyCommand never %h

  Host cmd-first
    ProxyCommand /bin/nc -q0 %h %p # the rest of the line, as written
    ProxyJump never@hop

  Host cmd-none
    ProxyCommand none
    ProxyJump never@hop

  Host "quoted" equals
    User=eq-user
    IdentityFile "${d}/key with space"
    IdentityFile %d/.ssh/id_%n

  Host * !neg-* neg-*
    IdentityFile ${d}/id_default

  Match host "!neg-1,neg-*"
    User neg-user

  Host alias-final
    HostName real.example
  Match final host real.example
    User final-user
  Host real.example
    Port 2345
    User final-host-block

  Host *
    User fallback
    Port 22
`);

const canonConfig = s.write('canon_config', `
  CanonicalizeHostname yes
  Host canon-alias
    HostName canon.example
  Host canon.example
    User canon-user
`);

const FIELDS = ['hostname', 'port', 'user', 'identityfile', 'proxyjump', 'proxycommand', 'userknownhostsfile'];

function openssh(file: string, name: string): Record<string, string[]> {
  const text = execFileSync('ssh', ['-G', '-F', file, name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const out: Record<string, string[]> = {};
  for (const line of text.split('\n')) {
    const sp = line.indexOf(' ');
    const key = line.slice(0, sp);
    if (FIELDS.includes(key)) (out[key] ??= []).push(line.slice(sp + 1));
  }
  return out;
}

async function gofleet(file: string, name: string): Promise<Record<string, string[]>> {
  const tree = (await readConfigFile(file, { env, depth: 0 }))!;
  const o = resolveSshOptions(tree, { host: name, localUser: me.username });
  const settings = (await loadSshConfig(file, env))!(name);
  const raw = (k: string): string[] | undefined => (o.values.has(k) ? [o.values.get(k)!.args.join(' ')] : undefined);
  const out: Record<string, string[]> = {
    hostname: [o.hostname], port: raw('port') ?? ['22'], user: raw('user') ?? [me.username],
  };
  if (o.identityFiles.length > 0) out.identityfile = o.identityFiles;
  if (settings.proxyJump) out.proxyjump = [settings.proxyJump];
  if (settings.proxyCommand) out.proxycommand = [settings.proxyCommand];
  if (settings.knownHosts) out.userknownhostsfile = [settings.knownHosts];
  return out;
}

/** ssh -G prints defaults gofleet leaves unset (identity files, known_hosts): compare what gofleet set. */
function comparable(ssh: Record<string, string[]>, ours: Record<string, string[]>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const k of FIELDS) {
    if (ours[k] === undefined && (k === 'identityfile' || k === 'userknownhostsfile')) continue;
    let v = ssh[k];
    if (k === 'userknownhostsfile' && v) v = [v[0]!.split(' ')[0]!];
    if (v) out[k] = v;
  }
  return out;
}

const cases: [string, string, string][] = [
  ['Include with a glob: files in sorted order, first value wins', config, 'glob-1'],
  ['nested Include', config, 'nested'],
  ['Include inside a Host block applies to that host', config, 'scoped'],
  ['... and to no other host', config, 'other'],
  ['a Host line in an included file', config, 'inner-only'],
  ['Match host sees HostName (%h expanded), tokens in UserKnownHostsFile', config, 'web'],
  ['Match host against the given name when no HostName', config, 'api.internal'],
  ['Match originalhost (case-insensitive) and user', config, 'web2'],
  ['Host patterns are case-sensitive', config, 'upper'],
  ['Host patterns are case-sensitive (exact)', config, 'Upper'],
  ['ProxyJump first: ProxyCommand ignored', config, 'jump-first'],
  ['ProxyCommand first: ProxyJump ignored, kept raw', config, 'cmd-first'],
  ['ProxyCommand none also blocks a later ProxyJump', config, 'cmd-none'],
  ['quoted patterns, Key=value, quoted IdentityFile, accumulated IdentityFile', config, 'quoted'],
  ['negated Host pattern', config, 'neg-1'],
  ['negation in a Match host list', config, 'neg-2'],
  ['Match final: a second pass with the resolved host name', config, 'alias-final'],
  ['CanonicalizeHostname: Host blocks match the host name in the second pass', canonConfig, 'canon-alias'],
];

describe('ssh config resolution agrees with ssh -G', () => {
  for (const [title, file, name] of cases) {
    it(`${title} (${name})`, async () => {
      const ours = await gofleet(file, name);
      assert.deepEqual(ours, comparable(openssh(file, name), ours));
    });
  }
});
