// The shape both Ansible parsers (INI, YAML) fill: groups with hosts, children and variable
// blocks, hosts with their own variable blocks. `resolveAnsible` turns it into host drafts with
// Ansible's precedence: all < parent group < child group (by depth, then name) < host.

import { ansibleLayer, type VarBlock } from './ansible-vars.ts';
import type { Env } from './expand-values.ts';
import { expandMembers, findCycle, groupDepths, groupsByHost, type GroupNode } from './group-tree.ts';
import { groupMembers, type HostDraft, type Layer, type ParsedInventory } from './host-layers.ts';
import { invalidAt } from './inventory-errors.ts';

interface ModelGroup extends GroupNode {
  line?: number;
  blocks: VarBlock[];
  /** the same names as `hosts` / `children`, for O(1) "already there?" (an array search made N hosts O(N²)) */
  hostSet: Set<string>;
  childSet: Set<string>;
}

interface ModelHost {
  line?: number;
  blocks: VarBlock[];
}

export interface AnsibleModel {
  file: string;
  groups: Map<string, ModelGroup>;
  hosts: Map<string, ModelHost>;
}

const IMPLICIT = new Set(['all', 'ungrouped']);

export function newModel(file: string): AnsibleModel {
  const model: AnsibleModel = { file, groups: new Map(), hosts: new Map() };
  touchGroup(model, 'all');
  touchGroup(model, 'ungrouped');
  return model;
}

export function touchGroup(model: AnsibleModel, name: string, line?: number): ModelGroup {
  let group = model.groups.get(name);
  if (!group) model.groups.set(name, (group = { hosts: [], children: [], blocks: [], line, hostSet: new Set(), childSet: new Set() }));
  group.line ??= line;
  return group;
}

export function addHost(model: AnsibleModel, group: string, host: string, line: number | undefined, block?: VarBlock): void {
  const g = touchGroup(model, group);
  if (!g.hostSet.has(host)) {
    g.hostSet.add(host);
    g.hosts.push(host);
  }
  let h = model.hosts.get(host);
  if (!h) model.hosts.set(host, (h = { line, blocks: [] }));
  if (block) h.blocks.push(block);
}

export function addChild(model: AnsibleModel, parent: string, child: string, line?: number): void {
  touchGroup(model, child, line);
  const p = touchGroup(model, parent);
  if (!p.childSet.has(child)) {
    p.childSet.add(child);
    p.children.push(child);
  }
}

function linkOrphansToAll(model: AnsibleModel): void {
  const hasParent = new Set([...model.groups.values()].flatMap((g) => g.children));
  for (const name of model.groups.keys()) if (name !== 'all' && !hasParent.has(name)) addChild(model, 'all', name);
}

export function resolveAnsible(model: AnsibleModel, env: Env): ParsedInventory {
  linkOrphansToAll(model);
  const cycle = findCycle(model.groups);
  if (cycle) {
    const line = model.groups.get(cycle[0]!)?.line;
    throw invalidAt({ file: model.file, line, field: cycle[0] }, `groups form a cycle: ${cycle.join(' -> ')}`);
  }
  const layers = new Map<VarBlock, Layer>();
  const layersOf = (blocks: VarBlock[]): Layer[] => blocks.map((b) => layers.get(b)!);
  for (const g of model.groups.values()) for (const b of g.blocks) layers.set(b, ansibleLayer(b, env));
  for (const h of model.hosts.values()) for (const b of h.blocks) layers.set(b, ansibleLayer(b, env));

  const members = expandMembers(model.groups);
  const depths = groupDepths(model.groups, 'all');
  const groupOrder = [...model.groups.keys()].filter((g) => !IMPLICIT.has(g));
  const byPrecedence = [...model.groups.keys()]
    .filter((g) => g !== 'all')
    .sort((a, b) => (depths.get(a) ?? 0) - (depths.get(b) ?? 0) || (a < b ? -1 : a > b ? 1 : 0));
  // host -> its groups, walked from the groups' side: asking every group about every host was O(hosts × groups)
  const inFileOrder = groupsByHost(members, groupOrder);
  const inPrecedence = groupsByHost(members, byPrecedence);
  const drafts: HostDraft[] = [];
  for (const [name, host] of model.hosts) {
    drafts.push({
      name,
      source: { file: model.file, line: host.line },
      groups: inFileOrder.get(name) ?? [],
      layers: [
        ...layersOf(model.groups.get('all')!.blocks),
        ...(inPrecedence.get(name) ?? []).flatMap((g) => layersOf(model.groups.get(g)!.blocks)),
        ...layersOf(host.blocks),
      ],
    });
  }
  const tree = Object.fromEntries(
    groupOrder.map((g) => [g, { hosts: [...model.groups.get(g)!.hosts], children: model.groups.get(g)!.children.filter((c) => !IMPLICIT.has(c)) }]),
  );
  return { hosts: drafts, groups: groupMembers(drafts, groupOrder), tree };
}
