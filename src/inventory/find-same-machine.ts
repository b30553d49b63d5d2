// Two entries of a run that reach one machine (same address and port once ~/.ssh/config is applied: an alias
// and its HostName, or one address written twice) would take turns failing each other with HOST_LOCKED, and a
// report would count one machine twice. They are refused before any host is contacted.

import { GofleetError } from '../errors.ts';
import type { HostSpec } from './types.ts';

/** What makes two entries one machine: the jump chain, the address (case and a trailing dot ignored) and port. */
function machineKey(h: HostSpec): string | undefined {
  if (h.transport === 'local') return undefined;
  const norm = (address: string): string => address.toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
  // the same private address behind two different jump hosts is two machines
  const via = (h.proxyJump ?? []).map((j) => `${norm(j.address)}:${j.port}`).join('>');
  return `${via}|${norm(h.address)}|${h.port}`;
}

function describe(h: HostSpec): string {
  const at = h.source.line === undefined ? h.source.file : `${h.source.file}:${h.source.line}`;
  return `"${h.name}" (${at})`;
}

/** Throw INVENTORY_DUPLICATE_HOST naming the first two entries that reach one machine; linear in the hosts. */
export function refuseSameMachine(hosts: readonly HostSpec[]): void {
  const seen = new Map<string, HostSpec>();
  for (const h of hosts) {
    const key = machineKey(h);
    if (key === undefined) continue;
    const first = seen.get(key);
    if (!first) {
      seen.set(key, h);
      continue;
    }
    const target = `${h.address} port ${h.port}`;
    throw new GofleetError('INVENTORY_DUPLICATE_HOST', `${describe(first)} and ${describe(h)} are the same machine: both connect to ${target}`, {
      location: { file: h.source.file, ...(h.source.line === undefined ? {} : { line: h.source.line }), field: h.name },
    });
  }
}
