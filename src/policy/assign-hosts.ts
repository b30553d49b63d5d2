// Which assignment each host falls under: the first in `assign` whose --limit-style pattern selects it
// (select-hosts.ts semantics: union of plain terms, then every `&` term intersected, every `!` term
// removed). Unlike --limit, a term that matches nothing is not an error: a policy names groups that may
// be empty today. Pure.

import { matchPattern, parseLimit, type Inventory } from '../inventory/index.ts';
import type { Assignment, Policy } from './types.ts';

function selects(inventory: Inventory, pattern: string): Set<string> {
  const terms = parseLimit(pattern).map((t) => ({ ...t, hosts: matchPattern(inventory, t.pattern) }));
  const unions = terms.filter((t) => t.op === 'union');
  let out = new Set(unions.length > 0 ? unions.flatMap((t) => [...t.hosts]) : inventory.hosts.map((h) => h.name));
  for (const t of terms) {
    if (t.op === 'intersect') out = new Set([...out].filter((h) => t.hosts.has(h)));
    if (t.op === 'exclude') for (const h of t.hosts) out.delete(h);
  }
  return out;
}

/** Host name -> its assignment (hosts no assignment selects are absent). */
export function assignHosts(policy: Policy, inventory: Inventory): Map<string, Assignment> {
  const out = new Map<string, Assignment>();
  for (const a of policy.assign) {
    for (const name of selects(inventory, a.hosts)) if (!out.has(name)) out.set(name, a);
  }
  return out;
}
