// gofleet YAML inventory -> host drafts. Precedence: defaults < group vars (groups in file
// order, a parent group's vars reaching its children's hosts) < host vars.

import { gofleetLayer, refuseUnknownKeys, throwFirstIssue, type BlockContext } from './gofleet-layer.ts';
import { topLevelSchema } from './gofleet-schema.ts';
import { checkNameEntry, checkNameKey } from './check-name-type.ts';
import { expandMembers, findCycle, groupsByHost, type GroupNode } from './group-tree.ts';
import { groupMembers, type HostDraft, type Layer, type ParsedInventory } from './host-layers.ts';
import { invalidAt } from './inventory-errors.ts';
import { isPlainMap, whereIn, type YamlSource } from './yaml-source.ts';
import type { Env } from './expand-values.ts';

type RawGroup = { hosts?: string[]; vars?: Record<string, unknown> | null; children?: string[] } | null;

/** Groups as written, plus an empty group for each child named but defined nowhere: Ansible creates the group a
 *  `children:` entry names (`children: {ghost: }`), and gofleet YAML does the same for `children: [ghost]`. */
function readGroups(src: YamlSource, raw: Record<string, RawGroup>): Map<string, GroupNode> {
  const groups = new Map<string, GroupNode>();
  for (const [name, g] of Object.entries(raw)) groups.set(name, { hosts: g?.hosts ?? [], children: g?.children ?? [] });
  for (const g of [...groups.values()]) {
    for (const child of g.children) if (!groups.has(child)) groups.set(child, { hosts: [], children: [] });
  }
  const cycle = findCycle(groups);
  if (cycle) throw invalidAt(whereIn(src, ['groups', cycle[0]!, 'children']), `groups form a cycle: ${cycle.join(' -> ')}`);
  return groups;
}

/** Host and group names YAML did not read as strings (`10:`, `hosts: [10]`) are refused, as Ansible does. */
function checkNames(src: YamlSource, data: Record<string, unknown>): void {
  if (isPlainMap(data.hosts)) for (const name of Object.keys(data.hosts)) checkNameKey(src, ['hosts', name], 'host');
  if (!isPlainMap(data.groups)) return;
  for (const [name, g] of Object.entries(data.groups)) {
    checkNameKey(src, ['groups', name], 'group');
    if (!isPlainMap(g)) continue;
    for (const [key, what] of [['hosts', 'host'], ['children', 'group']] as const) {
      const list = g[key];
      if (Array.isArray(list)) list.forEach((v, i) => checkNameEntry(src, ['groups', name, key, i], v, what));
    }
  }
}

/** Host names in inventory order: the `hosts` map first, then hosts only named in groups. */
function hostOrder(src: YamlSource, hosts: Record<string, unknown>, groups: Map<string, GroupNode>): Map<string, number | undefined> {
  const order = new Map<string, number | undefined>();
  for (const name of Object.keys(hosts)) order.set(name, src.lineOf(['hosts', name]));
  for (const [group, g] of groups) {
    g.hosts.forEach((h, i) => {
      if (!order.has(h)) order.set(h, src.lineOf(['groups', group, 'hosts', i]));
    });
  }
  return order;
}

export function parseGofleet(src: YamlSource, env: Env): ParsedInventory {
  const data = src.data ?? {};
  refuseUnknownKeys(src, [], data, 'top');
  if (isPlainMap(data) && isPlainMap(data.groups)) {
    for (const [name, g] of Object.entries(data.groups)) refuseUnknownKeys(src, ['groups', name], g, 'group');
  }
  if (isPlainMap(data)) checkNames(src, data);
  const top = topLevelSchema.safeParse(data);
  if (!top.success) throwFirstIssue(src, [], data, top.error);
  const ctx: BlockContext = { src, env };
  const rawGroups = top.data.groups ?? {};
  const rawHosts = top.data.hosts ?? {};
  const groups = readGroups(src, rawGroups);
  const members = expandMembers(groups);
  const defaults = gofleetLayer(top.data.defaults, ['defaults'], ctx);
  const groupLayers = new Map<string, Layer>();
  for (const [name, g] of Object.entries(rawGroups)) groupLayers.set(name, gofleetLayer(g?.vars, ['groups', name, 'vars'], ctx));

  const drafts: HostDraft[] = [];
  const groupsOf = groupsByHost(members, [...groups.keys()]);
  for (const [name, line] of hostOrder(src, rawHosts, groups)) {
    const hostGroups = groupsOf.get(name) ?? [];
    // a group only named as a child has no vars of its own (and no hosts)
    const layers = [defaults, ...hostGroups.flatMap((g) => groupLayers.get(g) ?? [])];
    if (name in rawHosts) layers.push(gofleetLayer(rawHosts[name], ['hosts', name], ctx));
    drafts.push({ name, source: { file: src.file, line }, groups: hostGroups, layers });
  }
  return { hosts: drafts, groups: groupMembers(drafts, [...groups.keys()]), tree: Object.fromEntries(groups) };
}
