// Ansible YAML inventory -> host drafts:
//   all: { hosts: {h: {vars...}}, vars: {...}, children: {g: {hosts, vars, children}} }
// Top-level groups other than `all` are children of `all`, as in Ansible.

import { addChild, addHost, newModel, resolveAnsible, touchGroup, type AnsibleModel } from './ansible-model.ts';
import type { VarBlock } from './ansible-vars.ts';
import { checkNameKey } from './check-name-type.ts';
import type { Env } from './expand-values.ts';
import type { ParsedInventory } from './host-layers.ts';
import { expandHostRange, HostRangeError } from './host-range.ts';
import { describeValue, invalidAt } from './inventory-errors.ts';
import { isPlainMap, whereIn, type YamlPath, type YamlSource } from './yaml-source.ts';

const GROUP_KEYS = new Set(['hosts', 'vars', 'children']);

interface Ctx {
  src: YamlSource;
  model: AnsibleModel;
}

function mapAt(ctx: Ctx, value: unknown, path: YamlPath, what: string): Record<string, unknown> {
  if (value === null || value === undefined) return {};
  if (!isPlainMap(value)) throw invalidAt(whereIn(ctx.src, path), `expected ${what}, got ${describeValue(value)}`);
  return value;
}

function block(ctx: Ctx, vars: Record<string, unknown>, path: YamlPath): VarBlock {
  return { vars, where: (key) => whereIn(ctx.src, [...path, key]) };
}

function readHosts(ctx: Ctx, group: string, raw: unknown, path: YamlPath): void {
  for (const [pattern, vars] of Object.entries(mapAt(ctx, raw, path, 'a map of host names'))) {
    const hostPath = [...path, pattern];
    checkNameKey(ctx.src, hostPath, 'host');
    const hostVars = mapAt(ctx, vars, hostPath, 'a map of host variables');
    let names: string[];
    try {
      names = expandHostRange(pattern);
    } catch (err) {
      if (err instanceof HostRangeError) throw invalidAt(whereIn(ctx.src, hostPath), err.message);
      throw err;
    }
    const b = block(ctx, hostVars, hostPath);
    for (const name of names) addHost(ctx.model, group, name, ctx.src.lineOf(hostPath), b);
  }
}

function readGroup(ctx: Ctx, name: string, raw: unknown, path: YamlPath): void {
  checkNameKey(ctx.src, path, 'group');
  touchGroup(ctx.model, name, ctx.src.lineOf(path));
  const def = mapAt(ctx, raw, path, 'a group (a map with hosts, vars or children)');
  for (const key of Object.keys(def)) {
    if (!GROUP_KEYS.has(key)) throw invalidAt(whereIn(ctx.src, [...path, key]), 'unknown key (a group holds hosts, vars and children)');
  }
  const vars = mapAt(ctx, def.vars, [...path, 'vars'], 'a map of variables');
  if (Object.keys(vars).length > 0) touchGroup(ctx.model, name).blocks.push(block(ctx, vars, [...path, 'vars']));
  readHosts(ctx, name, def.hosts, [...path, 'hosts']);
  for (const [child, childDef] of Object.entries(mapAt(ctx, def.children, [...path, 'children'], 'a map of groups'))) {
    const childPath = [...path, 'children', child];
    addChild(ctx.model, name, child, ctx.src.lineOf(childPath));
    readGroup(ctx, child, childDef, childPath);
  }
}

/** Read one YAML file into `model` (an inventory directory fills one model from several files). */
export function fillAnsibleYaml(model: AnsibleModel, src: YamlSource): void {
  model.file = src.file;
  const ctx: Ctx = { src, model };
  for (const [name, def] of Object.entries(mapAt(ctx, src.data, [], 'a map of groups'))) readGroup(ctx, name, def, [name]);
}

export function parseAnsibleYaml(src: YamlSource, env: Env): ParsedInventory {
  const model = newModel(src.file);
  fillAnsibleYaml(model, src);
  return resolveAnsible(model, env);
}
