// Host selection for --limit. A pattern is a host name, a group name, a glob over host and
// group names (`build-*`, `web-0?`), `tag:NAME` (NAME may be a glob), `~REGEX`, or `all`/`*`.
// Result: (union of plain terms, or all hosts when there are none) ∩ every `&` term − every `!`
// term, in inventory order. A plain or `&` pattern that matches nothing is an error, and so are two selected
// entries that reach one machine (find-same-machine.ts).

import picomatch from 'picomatch';
import { GofleetError } from '../errors.ts';
import { refuseSameMachine } from './find-same-machine.ts';
import { parseLimit } from './limit-pattern.ts';
import type { HostSpec, Inventory } from './types.ts';

const GLOB_CHARS = /[*?[\]{}()!+@]/;

/** A name test for one pattern, compiled once: compiling a glob per host (tag:NAME) cost a compile per host. */
function nameMatcher(pattern: string): (name: string) => boolean {
  if (pattern.startsWith('~')) {
    let re: RegExp;
    try {
      re = new RegExp(pattern.slice(1));
    } catch (err) {
      throw new GofleetError('BAD_OPTION', `--limit: invalid regular expression ${JSON.stringify(pattern)}`, { cause: err });
    }
    return (n) => re.test(n);
  }
  const isGlob = GLOB_CHARS.test(pattern) ? picomatch(pattern, { dot: true }) : undefined;
  return (n) => n === pattern || (isGlob?.(n) ?? false);
}

/** Host names of an inventory, built once per selection (a list of T plain names must not cost T scans). */
function hostNames(inventory: Inventory): Set<string> {
  return new Set(inventory.hosts.map((h) => h.name));
}

/** The names of the hosts one pattern stands for. */
export function matchPattern(inventory: Inventory, pattern: string, names: ReadonlySet<string> = hostNames(inventory)): Set<string> {
  if (pattern === 'all' || pattern === '*') return new Set(names);
  if (!pattern.startsWith('~') && !pattern.startsWith('tag:') && !GLOB_CHARS.test(pattern)) {
    // a plain name: a host, a group, or both
    const out = new Set<string>(Object.hasOwn(inventory.groups, pattern) ? inventory.groups[pattern] : []);
    if (names.has(pattern)) out.add(pattern);
    return out;
  }
  const all = [...names];
  if (pattern.startsWith('tag:')) {
    const matches = nameMatcher(pattern.slice(4));
    return new Set(inventory.hosts.filter((h) => h.tags.some(matches)).map((h) => h.name));
  }
  const matches = nameMatcher(pattern);
  const out = new Set(all.filter(matches));
  for (const group of Object.keys(inventory.groups).filter(matches)) {
    for (const h of inventory.groups[group] ?? []) out.add(h);
  }
  return out;
}

/** The hosts selected by `limit` (all hosts when it is absent), in inventory order. A limit that holds no pattern
 *  (``, blanks, only `,` or `:`) is refused: an empty shell variable must never widen a run to the whole fleet. */
export function selectHosts(inventory: Inventory, limit?: string): HostSpec[] {
  if (limit === undefined) {
    refuseSameMachine(inventory.hosts);
    return [...inventory.hosts];
  }
  const terms = parseLimit(limit);
  if (terms.length === 0) {
    throw new GofleetError('BAD_OPTION', `--limit ${JSON.stringify(limit)} holds no host pattern`, {
      hint: 'Give hosts, groups, globs or tag:NAME (--limit all for every host), or leave --limit out.',
    });
  }
  const bare = terms.find((t) => t.pattern === '');
  if (bare) {
    throw new GofleetError('BAD_OPTION', `--limit ${JSON.stringify(limit)}: ${JSON.stringify(bare.text)} names no host pattern`, {
      hint: 'Write the pattern after ! or &, e.g. !web-01 or &tag:canary.',
    });
  }
  const names = hostNames(inventory);
  const matched = terms.map((t) => ({ ...t, hosts: matchPattern(inventory, t.pattern, names) }));
  const unmatched = matched.filter((t) => t.op !== 'exclude' && t.hosts.size === 0).map((t) => JSON.stringify(t.text));
  if (unmatched.length > 0) {
    throw new GofleetError('LIMIT_NO_MATCH', `--limit ${JSON.stringify(limit)}: nothing matches ${unmatched.join(', ')}`);
  }
  const unions = matched.filter((t) => t.op === 'union');
  let selected = new Set(unions.length > 0 ? unions.flatMap((t) => [...t.hosts]) : inventory.hosts.map((h) => h.name));
  for (const t of matched) {
    if (t.op === 'intersect') selected = new Set([...selected].filter((h) => t.hosts.has(h)));
    if (t.op === 'exclude') for (const h of t.hosts) selected.delete(h);
  }
  const result = inventory.hosts.filter((h) => selected.has(h.name));
  if (result.length === 0) throw new GofleetError('LIMIT_NO_MATCH', `--limit ${JSON.stringify(limit)} selects no hosts`);
  refuseSameMachine(result);
  return result;
}
