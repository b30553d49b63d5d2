// The one entry point: read an inventory file of any supported format, resolve every host
// (groups, variables, ~/.ssh/config, defaults) and return plain HostSpecs.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GofleetError } from '../errors.ts';
import { refuseVaultFile } from './ansible-vault.ts';
import { detectFormat } from './detect-format.ts';
import { homeDir, type Env } from './expand-values.ts';
import { finalizeHost } from './finalize-host.ts';
import type { ParsedInventory } from './host-layers.ts';
import { parseAnsibleIni } from './parse-ansible-ini.ts';
import { parseAnsibleYaml } from './parse-ansible-yaml.ts';
import { parseGofleet } from './parse-gofleet.ts';
import { loadSshConfig } from './ssh-config.ts';
import type { Inventory } from './types.ts';

export interface LoadInventoryOptions {
  /** ssh config to honour for SSH hosts (default ~/.ssh/config; a missing file is ignored) */
  sshConfigPath?: string;
  /** environment for ${env:NAME}, lookup('env', ...) and ~ (default process.env) */
  env?: Env;
}

async function readInventory(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (err as Error).message;
    throw new GofleetError('INVENTORY_NOT_FOUND', `inventory ${path}: ${why}`, { location: { file: path }, cause: err });
  }
}

export async function loadInventory(path: string, options: LoadInventoryOptions = {}): Promise<Inventory> {
  const env = options.env ?? process.env;
  const text = await readInventory(path);
  refuseVaultFile(path, text);
  const detected = detectFormat(path, text);
  let parsed: ParsedInventory;
  if (detected.format === 'gofleet') parsed = parseGofleet(detected.src, env);
  else if (detected.format === 'ansible-yaml') parsed = parseAnsibleYaml(detected.src, env);
  else parsed = parseAnsibleIni(path, text, env);
  const ssh = await loadSshConfig(options.sshConfigPath ?? join(homeDir(env), '.ssh', 'config'), env);
  const hosts = parsed.hosts.map((draft) => finalizeHost(draft, { ssh, env }));
  return { file: path, format: detected.format, hosts, groups: parsed.groups, ...(parsed.tree ? { tree: parsed.tree } : {}) };
}
