// gofleet YAML inventory -> host drafts. Precedence: defaults < group vars (groups in file
// order, a parent group's vars reaching its children's hosts) < host vars.

import { gofleetLayer, refuseUnknownKeys, throwFirstIssue, type BlockContext } from './gofleet-layer.ts';
import { topLevelSchema } from './gofleet-schema.ts';
import { expandMembers, findCycle, groupsByHost, type GroupNode } from './group-tree.ts';
import { groupMembers, type HostDraft, type Layer, type ParsedInventory } from './host-layers.ts';
import { invalidAt } from './inventory-errors.ts';
import { isPlainMap, whereIn, type YamlSource } from './yaml-source.ts';
import type { Env } from './expand-values.ts';

type RawGroup = { hosts?: string[]; vars?: Record<string, unknown> | null; children?: string[] } | null;

function readGroups(src: YamlSource, raw: Record<string, RawGroup>): Map<string, GroupNode> {
  const groups = new Map<string, GroupNode>();
  for (const [name, g] of Object.entries(raw)) groups.set(name, { hosts: g?.hosts ?? [], children: g?.children ?? [] });
  for (const [name, g] of groups) {
    g.children.forEach((child, i) => {
      if (!groups.has(child)) {
        throw invalidAt(whereIn(src, ['groups', name, 'children', i]), `unknown group "${child}" (define it under groups)`);
      }
    });
  }
  const cycle = findCycle(groups);
  if (cycle) throw invalidAt(whereIn(src, ['groups', cycle[0]!, 'children']), `groups form a cycle: ${cycle.join(' -> ')}`);
  return groups;
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
    const layers = [defaults, ...hostGroups.map((g) => groupLayers.get(g)!)];
    if (name in rawHosts) layers.push(gofleetLayer(rawHosts[name], ['hosts', name], ctx));
    drafts.push({ name, source: { file: src.file, line }, groups: hostGroups, layers });
  }
  return { hosts: drafts, groups: groupMembers(drafts, [...groups.keys()]), tree: Object.fromEntries(groups) };
}
