// Evaluate an ssh config tree for one name the way `ssh -G <name>` does: the first value obtained for
// an option wins (IdentityFile accumulates), ProxyCommand and ProxyJump exclude each other (the first
// one obtained wins), `Host` lines match the name given to ssh, `Match host` the HostName set so far
// (%h expanded), an Include inside an inactive block contributes nothing, and `Match final` /
// `Match canonical` / CanonicalizeHostname trigger OpenSSH's second pass, in which `Host` lines match
// the resolved host name. Canonicalisation itself (DNS lookups with CanonicalDomains) is not done:
// the second pass runs with the host name as configured.

import type { ConfigLine } from './read-ssh-config.ts';
import { hostLineMatches, matchLineMatches, type MatchContext } from './match-ssh-host.ts';

/** Raw option values as `ssh -G` prints them (IdentityFile and ProxyCommand are not token-expanded). */
export interface SshOptions {
  /** lower-cased keyword -> argument words of the first line that set it */
  values: Map<string, { args: string[]; rest: string; file: string; line: number }>;
  identityFiles: string[];
  /** the host name ssh connects to: HostName with %h expanded, else the given name (lower-cased) */
  hostname: string;
  notes: string[];
}

const ACCUMULATE = new Set(['identityfile']);
const EXCLUSIVE = ['proxycommand', 'proxyjump'];

function setOption(o: SshOptions, line: ConfigLine): void {
  if (line.key === 'host' || line.key === 'match' || line.key === 'include') return;
  if (ACCUMULATE.has(line.key)) {
    // OpenSSH's add_identity_file skips a file already listed (the second pass reads them again)
    const file = line.args[0];
    if (file !== undefined && !o.identityFiles.includes(file)) o.identityFiles.push(file);
    return;
  }
  if (EXCLUSIVE.includes(line.key) && EXCLUSIVE.some((k) => o.values.has(k))) return;
  if (!o.values.has(line.key)) o.values.set(line.key, { args: line.args, rest: line.rest, file: line.file, line: line.line });
}

/** HostName's only token is %h (and %%), as in ssh.c. */
export function expandHostName(hostName: string, given: string): string {
  return hostName.replace(/%([%h])/g, (_m, t: string) => (t === '%' ? '%' : given));
}

function walk(lines: ConfigLine[], o: SshOptions, ctx: MatchContext, state: { active: boolean }, never: boolean): void {
  for (const line of lines) {
    if (line.key === 'host') state.active = !never && hostLineMatches(ctx.hostArg, line.args);
    else if (line.key === 'match') {
      const hostName = o.values.get('hostname')?.args[0];
      ctx.matchHost = ctx.finalPass ? o.hostname : hostName ? expandHostName(hostName, ctx.originalHost) : ctx.originalHost;
      ctx.remoteUser = o.values.get('user')?.args[0] ?? ctx.localUser;
      const value = matchLineMatches(line.args, ctx, line);
      state.active = !never && value;
    } else if (line.key === 'include') {
      const before = state.active;
      for (const file of line.included ?? []) {
        walk(file, o, ctx, state, never || !before);
        state.active = before;
      }
    } else if (state.active) setOption(o, line);
  }
}

export interface ResolveInput {
  /** the name ssh would be given */
  host: string;
  localUser: string;
}

export function resolveSshOptions(tree: ConfigLine[], input: ResolveInput): SshOptions {
  const o: SshOptions = { values: new Map(), identityFiles: [], hostname: input.host.toLowerCase(), notes: [] };
  const ctx: MatchContext = {
    originalHost: input.host, hostArg: input.host, matchHost: input.host, remoteUser: input.localUser,
    localUser: input.localUser, finalPass: false, wantFinal: false, notes: o.notes,
  };
  walk(tree, o, ctx, { active: true }, false);
  const hostName = o.values.get('hostname')?.args[0];
  if (hostName !== undefined) o.hostname = expandHostName(hostName, input.host.toLowerCase()).toLowerCase();
  const canon = o.values.get('canonicalizehostname')?.args[0]?.toLowerCase();
  if (ctx.wantFinal || (canon !== undefined && canon !== 'no')) {
    ctx.finalPass = true;
    ctx.hostArg = o.hostname;
    walk(tree, o, ctx, { active: true }, false);
  }
  return o;
}
