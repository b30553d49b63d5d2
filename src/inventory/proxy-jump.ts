// ProxyJump specs (`[user@]host[:port]`, `ssh://[user@]host[:port]`, comma-separated hops) ->
// ProxyJump hops, each resolved through the same ssh config (HostName, User, Port, IdentityFile,
// and the hop's own ProxyJump, which comes before it in the chain).

import { invalidAt, type Where } from './inventory-errors.ts';
import type { SshLookup } from './ssh-config.ts';
import type { ProxyJump } from './types.ts';

export interface JumpHop {
  host: string;
  user?: string;
  port?: number;
}

const MAX_CHAIN = 8;

/** Parse one hop; throws a plain Error with a message on a malformed hop. */
export function parseJumpHop(text: string): JumpHop {
  let rest = text.trim().replace(/^ssh:\/\//, '');
  const hop: Partial<JumpHop> = {};
  const at = rest.lastIndexOf('@');
  if (at >= 0) {
    hop.user = rest.slice(0, at);
    rest = rest.slice(at + 1);
  }
  const m = /^\[([^\]]+)\](?::(\d+))?$/.exec(rest) ?? /^([^:[\]]+)(?::(\d+))?$/.exec(rest);
  if (!m || !m[1]) throw new Error(`malformed ProxyJump hop ${JSON.stringify(text)} (expected [user@]host[:port])`);
  hop.host = m[1];
  if (m[2] !== undefined) {
    const port = Number(m[2]);
    if (port < 1 || port > 65535) throw new Error(`ProxyJump hop ${JSON.stringify(text)} has a port outside 1-65535`);
    hop.port = port;
  }
  return hop as JumpHop;
}

function resolveHop(hop: JumpHop, lookup: SshLookup | undefined, where: Where, depth: number): ProxyJump[] {
  const cfg = lookup?.(hop.host) ?? {};
  const out: ProxyJump = { address: cfg.hostName ?? hop.host, port: hop.port ?? cfg.port ?? 22 };
  const user = hop.user ?? cfg.user;
  if (user) out.user = user;
  if (cfg.identity?.[0]) out.identity = cfg.identity[0];
  const before = cfg.proxyJump ? resolveChain(cfg.proxyJump, lookup, where, depth + 1) : [];
  return [...before, out];
}

function resolveChain(spec: string, lookup: SshLookup | undefined, where: Where, depth: number): ProxyJump[] {
  if (depth > MAX_CHAIN) throw invalidAt(where, `ProxyJump chain is longer than ${MAX_CHAIN} hops (a loop in the ssh config?)`);
  const hops = spec.split(',').filter((s) => s.trim() !== '');
  return hops.flatMap((text) => {
    let hop: JumpHop;
    try {
      hop = parseJumpHop(text);
    } catch (err) {
      throw invalidAt(where, (err as Error).message);
    }
    return resolveHop(hop, lookup, where, depth);
  });
}

/** All hops to pass through, first hop first. */
export function resolveProxyJump(spec: string, lookup: SshLookup | undefined, where: Where): ProxyJump[] {
  return resolveChain(spec, lookup, where, 1);
}
