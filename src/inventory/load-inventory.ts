// The one entry point: read an inventory (a file of any supported format, or an Ansible inventory
// directory), resolve every host (groups, variables, group_vars/ and host_vars/, ~/.ssh/config,
// defaults) and return plain HostSpecs.

import { dirname, join } from 'node:path';
import { refuseVaultFile } from './ansible-vault.ts';
import { detectFormat } from './detect-format.ts';
import { homeDir, type Env } from './expand-values.ts';
import { finalizeHost } from './finalize-host.ts';
import type { ParsedInventory } from './host-layers.ts';
import { newModel, resolveAnsible } from './ansible-model.ts';
import { invalidAt } from './inventory-errors.ts';
import { loadVarsFiles } from './load-vars-files.ts';
import { fillAnsibleIni } from './parse-ansible-ini.ts';
import { fillAnsibleYaml } from './parse-ansible-yaml.ts';
import { parseGofleet } from './parse-gofleet.ts';
import { readInventorySources } from './read-inventory-sources.ts';
import { loadSshConfig } from './ssh-config.ts';
import type { Inventory } from './types.ts';

export interface LoadInventoryOptions {
  /** ssh config to honour for SSH hosts (default ~/.ssh/config; a missing file is ignored) */
  sshConfigPath?: string;
  /** environment for ${env:NAME}, lookup('env', ...) and ~ (default process.env) */
  env?: Env;
  /** like ansible-inventory --playbook-dir: its group_vars/ and host_vars/ apply too (Ansible inventories) */
  playbookDir?: string;
}

type Sources = Awaited<ReturnType<typeof readInventorySources>>;

async function parseAnsible(path: string, { isDir, files }: Sources, options: LoadInventoryOptions, env: Env): Promise<{ parsed: ParsedInventory; format: Inventory['format'] }> {
  const model = newModel(path);
  let format: Inventory['format'] | undefined;
  for (const file of files) {
    const detected = detectFormat(file.path, file.text);
    if (detected.format === 'gofleet') {
      throw invalidAt({ file: file.path }, 'a gofleet inventory cannot be part of an Ansible inventory directory', 'Pass it alone with -i FILE.');
    }
    if (detected.format === 'ansible-yaml') fillAnsibleYaml(model, detected.src);
    else fillAnsibleIni(model, file.path, file.text);
    format ??= detected.format;
  }
  const varsFiles = await loadVarsFiles({
    inventoryDirs: [isDir ? path : dirname(path)],
    ...(options.playbookDir !== undefined ? { playbookDir: options.playbookDir } : {}),
    groups: new Set(model.groups.keys()),
    hosts: new Set(model.hosts.keys()),
  });
  return { parsed: resolveAnsible(model, env, varsFiles), format: format ?? 'ansible-ini' };
}

export async function loadInventory(path: string, options: LoadInventoryOptions = {}): Promise<Inventory> {
  const env = options.env ?? process.env;
  const sources = await readInventorySources(path);
  for (const file of sources.files) refuseVaultFile(file.path, file.text);
  let parsed: ParsedInventory;
  let format: Inventory['format'];
  const detected = sources.isDir ? undefined : detectFormat(path, sources.files[0]!.text);
  if (detected?.format === 'gofleet') {
    parsed = parseGofleet(detected.src, env);
    format = 'gofleet';
  } else ({ parsed, format } = await parseAnsible(path, sources, options, env));
  const ssh = await loadSshConfig(options.sshConfigPath ?? join(homeDir(env), '.ssh', 'config'), env);
  const hosts = parsed.hosts.map((draft) => finalizeHost(draft, { ssh, env, ansible: format !== 'gofleet' }));
  return { file: path, format, hosts, groups: parsed.groups, ...(parsed.tree ? { tree: parsed.tree } : {}) };
}
