// gofleet inventory -i INV [--limit PAT] [--json | --graph]: the hosts, groups and settings gofleet reads from
// an inventory, without connecting to anything (like `ansible-inventory --list` / `--graph`). Read-only: it
// exits 0, or with the input error's code (4) when the inventory or --limit is wrong.

import { GofleetError } from '../../errors.ts';
import { loadInventory, selectHosts } from '../../inventory/index.ts';
import { EXIT } from '../exit-code.ts';
import { printJson, type CliIo } from '../io.ts';
import { inventoryGraph, inventoryJson, inventoryTable } from './inventory-view.ts';

export interface InventoryCommandOptions {
  inventory?: string;
  limit?: string;
  json?: boolean;
  graph?: boolean;
  sshConfig?: string;
  playbookDir?: string;
}

export async function inventoryCommand(io: CliIo, opts: InventoryCommandOptions): Promise<number> {
  if (opts.inventory === undefined) {
    throw new GofleetError('BAD_OPTION', 'an inventory is required: -i INVENTORY (gofleet YAML or Ansible INI/YAML)');
  }
  if (opts.json && opts.graph) {
    throw new GofleetError('BAD_OPTION', '--json and --graph are two views of the same inventory; give one of them');
  }
  const inv = await loadInventory(opts.inventory, {
    ...(opts.sshConfig ? { sshConfigPath: opts.sshConfig } : {}),
    ...(opts.playbookDir ? { playbookDir: opts.playbookDir } : {}),
  });
  const hosts = selectHosts(inv, opts.limit);
  if (opts.json) printJson(io, inventoryJson(inv, hosts));
  else if (opts.graph) io.out(inventoryGraph(inv, hosts));
  else io.out(hosts.length > 0 ? inventoryTable(hosts) : `no hosts in ${opts.inventory}\n`);
  return EXIT.ok;
}
