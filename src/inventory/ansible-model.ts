// The shape both Ansible parsers (INI, YAML) fill: groups with hosts, children and variable
// blocks, hosts with their own variable blocks. Several files (an inventory directory) fill one
// model. `resolveAnsible` turns it into host drafts with Ansible's precedence (its
// VARIABLE_PRECEDENCE): inventory-file vars of all, then of the host's groups (by depth, then
// name); group_vars/all, then group_vars/<group> (inventory dir before playbook dir); inventory-file
// host vars; host_vars/<host> (inventory dir before playbook dir).

import { ansibleLayer, type VarBlock } from './ansible-vars.ts';
import type { Env } from './expand-values.ts';
import { expandMembers, findCycle, groupDepths, groupsByHost, type GroupNode } from './group-tree.ts';
import { groupMembers, type HostDraft, type Layer, type ParsedInventory } from './host-layers.ts';
import { invalidAt } from './inventory-errors.ts';

interface ModelGroup extends GroupNode {
  file?: string;
  line?: number;
  blocks: VarBlock[];
  /** the same names as `hosts` / `children`, for O(1) "already there?" (an array search made N hosts O(N²)) */
  hostSet: Set<string>;
  childSet: Set<string>;
}

interface ModelHost {
  file: string;
  line?: number;
  blocks: VarBlock[];
}

export interface AnsibleModel {
  /** the file being read now (hosts and groups first seen remember theirs) */
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
  if (!group) model.groups.set(name, (group = { hosts: [], children: [], blocks: [], hostSet: new Set(), childSet: new Set() }));
  if (group.line === undefined && line !== undefined) {
    group.line = line;
    group.file = model.file;
  }
  return group;
}

export function addHost(model: AnsibleModel, group: string, host: string, line: number | undefined, block?: VarBlock): void {
  const g = touchGroup(model, group);
  if (!g.hostSet.has(host)) {
    g.hostSet.add(host);
    g.hosts.push(host);
  }
  let h = model.hosts.get(host);
  if (!h) model.hosts.set(host, (h = { file: model.file, line, blocks: [] }));
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

/** Blocks from group_vars/ and host_vars/ files, per group or host name, lowest precedence first. */
export interface VarsFiles {
  group(name: string): { inventory: VarBlock[]; playbook: VarBlock[] };
  host(name: string): VarBlock[];
}

const NO_VARS_FILES: VarsFiles = { group: () => ({ inventory: [], playbook: [] }), host: () => [] };

export function resolveAnsible(model: AnsibleModel, env: Env, files: VarsFiles = NO_VARS_FILES): ParsedInventory {
  linkOrphansToAll(model);
  const cycle = findCycle(model.groups);
  if (cycle) {
    const g = model.groups.get(cycle[0]!);
    throw invalidAt({ file: g?.file ?? model.file, line: g?.line, field: cycle[0] }, `groups form a cycle: ${cycle.join(' -> ')}`);
  }
  const layers = new Map<VarBlock, Layer>();
  const layersOf = (blocks: VarBlock[]): Layer[] => blocks.map((b) => layers.get(b)!);
  for (const g of model.groups.values()) for (const b of g.blocks) layers.set(b, ansibleLayer(b, env));
  for (const h of model.hosts.values()) for (const b of h.blocks) layers.set(b, ansibleLayer(b, env));
  const fileLayers = (blocks: VarBlock[]): Layer[] => blocks.map((b) => {
    let layer = layers.get(b);
    if (!layer) layers.set(b, (layer = ansibleLayer(b, env)));
    return layer;
  });
  const allFiles = files.group('all');
  const groupFiles = new Map<string, { inventory: Layer[]; playbook: Layer[] }>();
  for (const g of model.groups.keys()) {
    if (g === 'all') continue;
    const f = files.group(g);
    groupFiles.set(g, { inventory: fileLayers(f.inventory), playbook: fileLayers(f.playbook) });
  }

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
    const groups = inPrecedence.get(name) ?? [];
    drafts.push({
      name,
      source: { file: host.file, line: host.line },
      groups: inFileOrder.get(name) ?? [],
      layers: [
        ...layersOf(model.groups.get('all')!.blocks),
        ...groups.flatMap((g) => layersOf(model.groups.get(g)!.blocks)),
        ...fileLayers(allFiles.inventory),
        ...fileLayers(allFiles.playbook),
        ...groups.flatMap((g) => groupFiles.get(g)!.inventory),
        ...groups.flatMap((g) => groupFiles.get(g)!.playbook),
        ...layersOf(host.blocks),
        ...fileLayers(files.host(name)),
      ],
    });
  }
  const tree = Object.fromEntries(
    groupOrder.map((g) => [g, { hosts: [...model.groups.get(g)!.hosts], children: model.groups.get(g)!.children.filter((c) => !IMPLICIT.has(c)) }]),
  );
  return { hosts: drafts, groups: groupMembers(drafts, groupOrder), tree };
}
