// The files of an inventory source. `-i FILE` is one file; `-i DIR` is every file under it, as
// Ansible reads an inventory directory: sorted, recursively, skipping hidden names, group_vars/,
// host_vars/, vars_plugins/ and INVENTORY_IGNORE_EXTS (whose default includes .ini and .cfg:
// Ansible ignores a hosts.ini inside an inventory directory, and so does gofleet).

import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { GofleetError } from '../errors.ts';

const IGNORED_NAMES = new Set(['group_vars', 'host_vars', 'vars_plugins']);
/** Ansible 2.14's default INVENTORY_IGNORE_EXTS */
const IGNORED_ENDINGS = ['.pyc', '.pyo', '.swp', '.bak', '~', '.rpm', '.md', '.txt', '.rst', '.orig', '.ini', '.cfg', '.retry'];

export interface InventoryFile {
  path: string;
  text: string;
}

function notFound(path: string, err: unknown): GofleetError {
  const code = (err as NodeJS.ErrnoException).code;
  const why = code === 'ENOENT' ? 'no such file or directory' : (err as Error).message;
  return new GofleetError('INVENTORY_NOT_FOUND', `inventory ${path}: ${why}`, { location: { file: path }, cause: err });
}

export function ignoredInDir(name: string): boolean {
  return name.startsWith('.') || IGNORED_NAMES.has(name) || IGNORED_ENDINGS.some((e) => name.endsWith(e));
}

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const name of (await readdir(dir)).sort()) {
    if (ignoredInDir(name)) continue;
    const path = join(dir, name);
    if ((await stat(path)).isDirectory()) out.push(...(await filesUnder(path)));
    else out.push(path);
  }
  return out;
}

/** The files of the source and whether it is a directory (its group_vars/ sit in it, not beside it). */
export async function readInventorySources(path: string): Promise<{ isDir: boolean; files: InventoryFile[] }> {
  try {
    if (!(await stat(path)).isDirectory()) return { isDir: false, files: [{ path, text: await readFile(path, 'utf8') }] };
    const files: InventoryFile[] = [];
    for (const file of await filesUnder(path)) files.push({ path: file, text: await readFile(file, 'utf8') });
    if (files.length === 0) {
      throw new GofleetError('INVENTORY_NOT_FOUND', `inventory ${path}: the directory holds no inventory file`, {
        location: { file: path },
        hint: 'Ansible skips .ini, .cfg, .md, .txt and hidden files in an inventory directory; name the file hosts or hosts.yml.',
      });
    }
    return { isDir: true, files };
  } catch (err) {
    if (err instanceof GofleetError) throw err;
    throw notFound(path, err);
  }
}
