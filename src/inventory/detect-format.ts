// Which kind of inventory a file holds. YAML with a top-level `defaults`/`groups`/`hosts` key
// is gofleet; YAML with `all` or groups of hosts/vars/children maps is Ansible YAML; text that
// starts with a `[section]` or a host line is Ansible INI.

import { extname } from 'node:path';
import { invalidAt } from './inventory-errors.ts';
import { isPlainMap, parseYamlSource, type YamlSource } from './yaml-source.ts';

export type Detected = { format: 'gofleet' | 'ansible-yaml'; src: YamlSource } | { format: 'ansible-ini' };

const GOFLEET_KEYS = ['defaults', 'groups', 'hosts'];
const ANSIBLE_GROUP_KEYS = new Set(['hosts', 'vars', 'children']);
const YAML_EXTENSIONS = new Set(['.yml', '.yaml', '.json']);
const INI_EXTENSIONS = new Set(['.ini', '.cfg']);

function firstContentLine(text: string): string | undefined {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .find((l) => l !== '' && !l.startsWith('#') && !l.startsWith(';'));
}

function looksLikeYaml(file: string, first: string): boolean {
  if (YAML_EXTENSIONS.has(extname(file).toLowerCase())) return true;
  return first === '---' || first.startsWith('{') || /^[^\s=[#;][^\s=]*:(\s|$)/.test(first);
}

function isAnsibleGroup(value: unknown): boolean {
  return value === null || (isPlainMap(value) && Object.keys(value).every((k) => ANSIBLE_GROUP_KEYS.has(k)));
}

function classify(src: YamlSource): Detected {
  const data = src.data ?? {};
  if (!isPlainMap(data)) {
    throw invalidAt({ file: src.file, line: src.lineOf([]) }, 'expected a map at the top of the inventory (defaults/groups/hosts, or all:)');
  }
  const keys = Object.keys(data);
  if (keys.some((k) => GOFLEET_KEYS.includes(k))) return { format: 'gofleet', src };
  if (keys.includes('all') || (keys.length > 0 && Object.values(data).every(isAnsibleGroup))) return { format: 'ansible-yaml', src };
  if (keys.length === 0) return { format: 'gofleet', src };
  throw invalidAt(
    { file: src.file, line: src.lineOf([keys[0]!]), field: keys[0] },
    'not a known inventory layout: a gofleet inventory has defaults, groups and hosts; an Ansible one has all: or groups with hosts/vars/children',
  );
}

/** Detect the format; YAML is parsed here (syntax errors are INVENTORY_PARSE with the line). */
export function detectFormat(file: string, text: string): Detected {
  const first = firstContentLine(text);
  const ext = extname(file).toLowerCase();
  if (INI_EXTENSIONS.has(ext)) return { format: 'ansible-ini' };
  if (first === undefined) return YAML_EXTENSIONS.has(ext) ? classify(parseYamlSource(file, text)) : { format: 'ansible-ini' };
  if (/^\[[^\]]*\]\s*([#;].*)?$/.test(first)) return { format: 'ansible-ini' };
  if (!looksLikeYaml(file, first)) return { format: 'ansible-ini' };
  return classify(parseYamlSource(file, text));
}
