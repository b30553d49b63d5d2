// ~/.ssh/config for SSH hosts (through the `ssh-config` package): HostName, User, Port,
// IdentityFile, UserKnownHostsFile and ProxyJump for an alias, with %-tokens and ~ expanded.
// `Match exec` is never run: loading an inventory must not execute commands.

import { readFile } from 'node:fs/promises';
import SSHConfig from 'ssh-config';
import { GofleetError } from '../errors.ts';
import { expandTilde, homeDir, localUser, type Env } from './expand-values.ts';
import { invalidAt, parseErrorAt } from './inventory-errors.ts';

export interface SshSettings {
  hostName?: string;
  user?: string;
  port?: number;
  identity?: string[];
  knownHosts?: string;
  proxyJump?: string;
}

/** The settings ~/.ssh/config gives an alias (empty when nothing matches). */
export type SshLookup = (alias: string) => SshSettings;

type Computed = Record<string, string | string[]>;

const first = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

function expandTokens(text: string, tokens: Record<string, string>): string {
  return text.replace(/%(.)/g, (m, t: string) => (t === '%' ? '%' : (tokens[t] ?? m)));
}

function settingsFor(config: SSHConfig, alias: string, file: string, env: Env): SshSettings {
  const c: Computed = config.compute(alias, { ignoreCase: true, matchExec: false });
  const out: SshSettings = {};
  const hostName = first(c.hostname);
  if (hostName) out.hostName = expandTokens(hostName, { h: alias, n: alias });
  const user = first(c.user);
  if (user) out.user = user;
  const port = first(c.port);
  if (port !== undefined) {
    if (!/^\d+$/.test(port) || Number(port) < 1 || Number(port) > 65535) {
      throw invalidAt({ file, field: `Port (Host ${alias})` }, `expected a port from 1 to 65535, got ${JSON.stringify(port)}`);
    }
    out.port = Number(port);
  }
  const tokens = {
    d: homeDir(env), u: localUser(env), n: alias, h: out.hostName ?? alias,
    r: out.user ?? localUser(env), p: String(out.port ?? 22),
  };
  const path = (p: string): string => expandTilde(expandTokens(p, tokens), env);
  const identity = c.identityfile;
  if (identity !== undefined) out.identity = (Array.isArray(identity) ? identity : [identity]).map(path);
  const knownHosts = first(c.userknownhostsfile);
  if (knownHosts) out.knownHosts = path(knownHosts);
  const jump = first(c.proxyjump);
  if (jump && jump.toLowerCase() !== 'none') out.proxyJump = jump;
  return out;
}

/** Read an ssh config; a missing file gives undefined (nothing to apply). */
export async function loadSshConfig(file: string, env: Env): Promise<SshLookup | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new GofleetError('INVENTORY_PARSE', `${file}: cannot read the ssh config: ${(err as Error).message}`, {
      location: { file }, cause: err, hint: 'Check the file permissions, or point --ssh-config elsewhere.',
    });
  }
  let config: SSHConfig;
  try {
    config = SSHConfig.parse(text);
  } catch (err) {
    throw parseErrorAt({ file }, `cannot parse the ssh config: ${(err as Error).message}`, err);
  }
  return (alias) => settingsFor(config, alias, file, env);
}
