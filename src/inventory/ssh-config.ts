// ~/.ssh/config for SSH hosts, resolved as `ssh -G <name>` resolves it (read-ssh-config.ts reads the
// files and their Includes, resolve-ssh-options.ts applies Host/Match and first-value-wins): HostName,
// User, Port, IdentityFile, UserKnownHostsFile, ProxyJump and ProxyCommand for the name ssh would be
// given (the inventory address, else the inventory name), with %-tokens and ~ expanded where OpenSSH
// expands them. `Match exec` is never run: loading an inventory must not execute commands.

import { hostname as localHostName, userInfo } from 'node:os';
import { expandTilde, homeDir, localUser, type Env } from './expand-values.ts';
import { invalidAt } from './inventory-errors.ts';
import { readConfigFile } from './read-ssh-config.ts';
import { resolveSshOptions, type SshOptions } from './resolve-ssh-options.ts';

export interface SshSettings {
  hostName?: string;
  user?: string;
  port?: number;
  identity?: string[];
  knownHosts?: string;
  proxyJump?: string;
  /** as written (tokens expanded at connect-plan time with the final host, port and user); never 'none' */
  proxyCommand?: string;
  /** what could not be applied as OpenSSH would (a `Match exec` not run, ...) */
  notes?: string[];
}

/** The settings ~/.ssh/config gives the name ssh would be given (empty when nothing matches). */
export type SshLookup = (name: string) => SshSettings;

/** Expand OpenSSH %-tokens; an unknown token is left as written. */
export function expandTokens(text: string, tokens: Record<string, string>): string {
  return text.replace(/%(.)/g, (m, t: string) => (t === '%' ? '%' : (tokens[t] ?? m)));
}

function portOf(o: SshOptions, name: string): number | undefined {
  const v = o.values.get('port');
  if (!v) return undefined;
  const port = v.args[0] ?? '';
  if (!/^\d+$/.test(port) || Number(port) < 1 || Number(port) > 65535) {
    throw invalidAt({ file: v.file, line: v.line, field: `Port (Host ${name})` },
      `expected a port from 1 to 65535, got ${JSON.stringify(port)}`);
  }
  return Number(port);
}

function settingsFor(o: SshOptions, name: string, env: Env): SshSettings {
  const out: SshSettings = {};
  if (o.values.has('hostname')) out.hostName = o.hostname;
  const user = o.values.get('user')?.args[0];
  if (user) out.user = user;
  const port = portOf(o, name);
  if (port !== undefined) out.port = port;
  const host = localHostName();
  const tokens = {
    d: homeDir(env), u: localUser(env), n: name, h: o.hostname, r: out.user ?? localUser(env),
    p: String(out.port ?? 22), l: host, L: host.split('.')[0] ?? host, i: String(userInfo().uid),
  };
  const path = (p: string): string => expandTilde(expandTokens(p, tokens), env);
  const identity = o.identityFiles.filter((f) => f.toLowerCase() !== 'none');
  if (identity.length > 0) out.identity = identity.map(path);
  const knownHosts = o.values.get('userknownhostsfile')?.args[0];
  if (knownHosts) out.knownHosts = path(knownHosts);
  const jump = o.values.get('proxyjump')?.args[0];
  if (jump && jump.toLowerCase() !== 'none') out.proxyJump = jump;
  const command = o.values.get('proxycommand')?.rest.trim();
  if (command && command.toLowerCase() !== 'none') out.proxyCommand = command;
  if (o.notes.length > 0) out.notes = o.notes;
  return out;
}

/** Read an ssh config (and its Includes); a missing file gives undefined (nothing to apply). */
export async function loadSshConfig(file: string, env: Env): Promise<SshLookup | undefined> {
  const tree = await readConfigFile(file, { env, depth: 0 });
  if (!tree) return undefined;
  return (name) => settingsFor(resolveSshOptions(tree, { host: name, localUser: localUser(env) }), name, env);
}
