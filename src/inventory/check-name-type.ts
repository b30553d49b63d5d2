// Host and group names are strings. YAML reads an unquoted `10:` as a number and `1.10:` as 1.1, so a name
// left unquoted could silently become another one. Ansible refuses such names ("Host pattern 10 must be a
// string. Enclose integers/floats in quotation marks."); both YAML formats gofleet reads do the same, with
// the same hint, at the name's line.

import { invalidAt } from './inventory-errors.ts';
import { whereIn, type YamlPath, type YamlSource } from './yaml-source.ts';

export type NameKind = 'host' | 'group';

function refuse(src: YamlSource, path: YamlPath, value: unknown, what: NameKind, quoted: string): never {
  const type = value === null ? 'null' : typeof value;
  throw invalidAt(whereIn(src, path), `${what} name ${String(value)} is a YAML ${type}, not a string`, `Quote it (${quoted}), as Ansible requires.`);
}

function refuseComplex(src: YamlSource, path: YamlPath, what: NameKind): never {
  throw invalidAt(whereIn(src, path), `${what} name ${JSON.stringify(String(path[path.length - 1]))} is a YAML map or list, not a string`);
}

/** A name written as a map key (`hosts: {10: ...}`): refused unless YAML typed the key as a string. */
export function checkNameKey(src: YamlSource, path: YamlPath, what: NameKind): void {
  const key = src.keyAt(path);
  if (typeof key === 'string') return;
  if (key === undefined) refuseComplex(src, path, what);
  refuse(src, path, key, what, `${JSON.stringify(String(key))}:`);
}

/** A name written as a list entry (`hosts: [10]`): refused unless it is a string. */
export function checkNameEntry(src: YamlSource, path: YamlPath, value: unknown, what: NameKind): void {
  if (typeof value === 'string') return;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) refuse(src, path, value, what, JSON.stringify(String(value)));
  // anything else (a map, a list) is left to the schema's "expected a string" 
}
