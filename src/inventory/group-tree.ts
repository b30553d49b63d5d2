// Group membership arithmetic shared by the gofleet and Ansible parsers: children expansion,
// cycle detection and group depth (Ansible applies group vars shallow-to-deep).

export interface GroupNode {
  hosts: string[];
  children: string[];
}

export type GroupMap = ReadonlyMap<string, GroupNode>;

/** A cycle through `children` as a list of group names (first = last), or undefined. */
export function findCycle(groups: GroupMap): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (name: string): string[] | undefined => {
    if (state.get(name) === 'done') return undefined;
    if (state.get(name) === 'open') return [...stack.slice(stack.indexOf(name)), name];
    state.set(name, 'open');
    stack.push(name);
    for (const child of groups.get(name)?.children ?? []) {
      const cycle = visit(child);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(name, 'done');
    return undefined;
  };
  for (const name of groups.keys()) {
    const cycle = visit(name);
    if (cycle) return cycle;
  }
  return undefined;
}

/** Every host of a group, including the hosts of its children (the map must be acyclic). */
export function expandMembers(groups: GroupMap): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const members = (name: string): Set<string> => {
    const known = out.get(name);
    if (known) return known;
    const node = groups.get(name);
    const set = new Set(node?.hosts ?? []);
    out.set(name, set);
    for (const child of node?.children ?? []) for (const h of members(child)) set.add(h);
    return set;
  };
  for (const name of groups.keys()) members(name);
  return out;
}

/** Longest distance of each group from `root` through children (the map must be acyclic). */
export function groupDepths(groups: GroupMap, root: string): Map<string, number> {
  const depth = new Map<string, number>();
  const walk = (name: string, d: number): void => {
    if ((depth.get(name) ?? -1) >= d) return;
    depth.set(name, d);
    for (const child of groups.get(name)?.children ?? []) walk(child, d + 1);
  };
  walk(root, 0);
  return depth;
}

/** Host -> the groups (of `order`, in that order) it is a member of; linear in the total membership. */
export function groupsByHost(members: ReadonlyMap<string, ReadonlySet<string>>, order: readonly string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const group of order) {
    for (const host of members.get(group) ?? []) {
      const list = out.get(host);
      if (list) list.push(group);
      else out.set(host, [group]);
    }
  }
  return out;
}
