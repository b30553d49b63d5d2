// Which proxy (if any) a request should use, from HTTPS_PROXY / HTTP_PROXY / NO_PROXY, with the
// rules of Go's golang.org/x/net/http/httpproxy (what ops people already configure for `go`):
// - lower-case names win over upper-case; https URLs use HTTPS_PROXY, http URLs HTTP_PROXY;
// - a proxy without a scheme means http://;
// - NO_PROXY: comma/space separated; `*` matches all; `foo.com` matches foo.com and its subdomains;
//   `.foo.com` only subdomains; `host:port` only that port; IPs and CIDR ranges (10.0.0.0/8) match addresses;
// - localhost and loopback addresses are never proxied. Pure.

import { BlockList, isIP } from 'node:net';

export type ProxyEnv = Readonly<Record<string, string | undefined>>;

function pick(env: ProxyEnv, name: string): string {
  return (env[name.toLowerCase()] ?? env[name.toUpperCase()] ?? '').trim();
}

/** The proxy URL for `target`, or null for a direct connection. Throws TypeError on an unparseable proxy. */
export function proxyFor(target: URL, env: ProxyEnv): URL | null {
  const raw = pick(env, target.protocol === 'https:' ? 'https_proxy' : 'http_proxy');
  if (raw === '') return null;
  const host = bareHost(target.hostname);
  if (isLoopback(host)) return null;
  const port = target.port || (target.protocol === 'https:' ? '443' : '80');
  if (bypassed(host, port, pick(env, 'no_proxy'))) return null;
  return new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`);
}

function bareHost(hostname: string): string {
  return hostname.replace(/^\[|\]$/g, '').toLowerCase();
}

function isLoopback(host: string): boolean {
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}

function bypassed(host: string, port: string, noProxy: string): boolean {
  for (const entry of noProxy.split(/[\s,]+/).filter(Boolean)) {
    if (entry === '*') return true;
    if (matchesEntry(host, port, entry.toLowerCase())) return true;
  }
  return false;
}

function matchesEntry(host: string, port: string, entry: string): boolean {
  if (entry.includes('/')) return inCidr(host, entry);
  const { name, entryPort } = splitPort(entry);
  if (entryPort !== null && entryPort !== port) return false;
  if (isIP(name)) return name === host;
  if (name.startsWith('.')) return host.endsWith(name);
  return host === name || host.endsWith(`.${name}`);
}

function splitPort(entry: string): { name: string; entryPort: string | null } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  if (bracketed) return { name: bracketed[1] ?? '', entryPort: bracketed[2] ?? null };
  const m = /^([^:]+):(\d+)$/.exec(entry);
  if (m) return { name: m[1] ?? '', entryPort: m[2] ?? null };
  return { name: entry.replace(/^\*\./, '.'), entryPort: null };
}

function inCidr(host: string, cidr: string): boolean {
  const [net = '', bits = ''] = cidr.split('/');
  const family = isIP(net);
  if (family === 0 || isIP(host) !== family || !/^\d+$/.test(bits)) return false;
  const type = family === 4 ? 'ipv4' : 'ipv6';
  const list = new BlockList();
  try {
    list.addSubnet(net, Number(bits), type);
  } catch {
    return false;
  }
  return list.check(host, type);
}
