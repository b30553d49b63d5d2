// group_vars/ and host_vars/ beside an Ansible inventory (and beside --playbook-dir), read as
// Ansible's host_group_vars plugin reads them: for a group or host NAME the first of `NAME`,
// `NAME.yml`, `NAME.yaml`, `NAME.json` that exists; a directory is read whole (recursively,
// sorted, hidden and `~` files skipped, only those extensions or none), later files winning.

import { readdir, readFile, stat } from 'node:fs/promises';
import { refuseVaultFile } from './ansible-vault.ts';
import { extname, join } from 'node:path';
import { GofleetError } from '../errors.ts';
import type { VarsFiles } from './ansible-model.ts';
import type { VarBlock } from './ansible-vars.ts';
import { describeValue, invalidAt } from './inventory-errors.ts';
import { isPlainMap, parseYamlSource, whereIn } from './yaml-source.ts';

const EXTENSIONS = ['', '.yml', '.yaml', '.json'];

async function listDir(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).sort();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw new GofleetError('INVENTORY_NOT_FOUND', `${dir}: ${(err as Error).message}`, { location: { file: dir }, cause: err });
  }
}

async function isDir(path: string): Promise<boolean> {
  return (await stat(path)).isDirectory();
}

/** Every vars file of a `group_vars/NAME/` directory, in Ansible's order. */
async function filesInDir(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await listDir(dir)) {
    if (entry.startsWith('.') || entry.endsWith('~')) continue;
    const path = join(dir, entry);
    const ext = extname(entry);
    if (await isDir(path)) {
      if (!ext) out.push(...(await filesInDir(path)));
    } else if (EXTENSIONS.includes(ext)) out.push(path);
  }
  return out;
}

async function readBlock(file: string): Promise<VarBlock | undefined> {
  const text = await readFile(file, 'utf8');
  refuseVaultFile(file, text);
  const src = parseYamlSource(file, text);
  if (src.data === null || src.data === undefined) return undefined;
  if (!isPlainMap(src.data)) {
    throw invalidAt({ file, line: src.lineOf([]) }, `expected a map of variables, got ${describeValue(src.data)}`);
  }
  return { vars: src.data, where: (key) => whereIn(src, [key]) };
}

/** The blocks of `<base>/<kind>/` for each of `names` that has a file or directory there. */
async function loadKind(base: string, kind: 'group_vars' | 'host_vars', names: ReadonlySet<string>): Promise<Map<string, VarBlock[]>> {
  const dir = join(base, kind);
  const present = new Set(await listDir(dir));
  const out = new Map<string, VarBlock[]>();
  for (const name of names) {
    // Ansible takes the first candidate that exists and stops there
    const entry = EXTENSIONS.map((ext) => name + ext).find((e) => present.has(e));
    if (entry === undefined) continue;
    const path = join(dir, entry);
    const files = (await isDir(path)) ? await filesInDir(path) : [path];
    const blocks: VarBlock[] = [];
    for (const file of files) {
      const block = await readBlock(file);
      if (block) blocks.push(block);
    }
    out.set(name, blocks);
  }
  return out;
}

export interface VarsFilesOptions {
  /** directories of the inventory sources (a file's directory, or the inventory directory itself) */
  inventoryDirs: readonly string[];
  playbookDir?: string;
  groups: ReadonlySet<string>;
  hosts: ReadonlySet<string>;
}

export async function loadVarsFiles(o: VarsFilesOptions): Promise<VarsFiles> {
  const inventoryGroups: Map<string, VarBlock[]>[] = [];
  const hostMaps: Map<string, VarBlock[]>[] = [];
  for (const dir of o.inventoryDirs) {
    inventoryGroups.push(await loadKind(dir, 'group_vars', o.groups));
    hostMaps.push(await loadKind(dir, 'host_vars', o.hosts));
  }
  const playbookGroups = o.playbookDir === undefined ? new Map<string, VarBlock[]>() : await loadKind(o.playbookDir, 'group_vars', o.groups);
  if (o.playbookDir !== undefined) hostMaps.push(await loadKind(o.playbookDir, 'host_vars', o.hosts));
  return {
    group: (name) => ({
      inventory: inventoryGroups.flatMap((m) => m.get(name) ?? []),
      playbook: playbookGroups.get(name) ?? [],
    }),
    host: (name) => hostMaps.flatMap((m) => m.get(name) ?? []),
  };
}
