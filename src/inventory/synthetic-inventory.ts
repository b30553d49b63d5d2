// Test and bench only: synthetic inventories for bench/inventory.bench.ts and linear-load.test.ts: N hosts with unique addresses,
// spread over 20 role groups and N/50 rack groups (so groups grow with the fleet, as in generated inventories),
// a tag on every tenth host, group variables, and the same hosts in each format.

export type InventoryFormat = 'gofleet' | 'ansible-ini' | 'ansible-yaml';

export const FORMATS: readonly InventoryFormat[] = ['gofleet', 'ansible-ini', 'ansible-yaml'];

export const FILE_NAME: Record<InventoryFormat, string> = {
  gofleet: 'fleet.yml',
  'ansible-ini': 'fleet.ini',
  'ansible-yaml': 'fleet-ansible.yml',
};

interface SyntheticHost {
  name: string;
  address: string;
  role: string;
  rack: string;
  canary: boolean;
}

function hostsOf(n: number): SyntheticHost[] {
  const out: SyntheticHost[] = [];
  for (let i = 0; i < n; i++) {
    out.push({
      name: `host-${String(i).padStart(6, '0')}`,
      address: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
      role: `role${i % 20}`,
      rack: `rack${Math.floor(i / 50)}`,
      canary: i % 10 === 0,
    });
  }
  return out;
}

function groupsOf(hosts: readonly SyntheticHost[]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  const add = (g: string, h: string): void => void (groups.get(g) ?? groups.set(g, []).get(g)!).push(h);
  for (const h of hosts) {
    add(h.role, h.name);
    add(h.rack, h.name);
  }
  return groups;
}

function gofleetYaml(hosts: readonly SyntheticHost[]): string {
  const lines = ['defaults:', '  user: deploy', '  port: 22', 'groups:'];
  for (const [g, members] of groupsOf(hosts)) {
    lines.push(`  ${g}:`, `    vars: { become: ${g.startsWith('role') ? 'true' : 'false'} }`, `    hosts: [${members.join(', ')}]`);
  }
  lines.push('hosts:');
  for (const h of hosts) lines.push(`  ${h.name}: { address: ${h.address}${h.canary ? ', tags: [canary]' : ''} }`);
  return lines.join('\n') + '\n';
}

function ansibleIni(hosts: readonly SyntheticHost[]): string {
  const byName = new Map(hosts.map((h) => [h.name, h]));
  const lines = ['[all:vars]', 'ansible_user=deploy', ''];
  for (const [g, members] of groupsOf(hosts)) {
    lines.push(`[${g}]`);
    for (const m of members) {
      const h = byName.get(m)!;
      lines.push(`${m} ansible_host=${h.address}${h.canary ? ' gofleet_tags=canary' : ''}`);
    }
    lines.push(`[${g}:vars]`, `ansible_become=${g.startsWith('role') ? 'true' : 'false'}`, '');
  }
  return lines.join('\n');
}

function ansibleYaml(hosts: readonly SyntheticHost[]): string {
  const byName = new Map(hosts.map((h) => [h.name, h]));
  const lines = ['all:', '  vars: { ansible_user: deploy }', '  children:'];
  for (const [g, members] of groupsOf(hosts)) {
    lines.push(`    ${g}:`, `      vars: { ansible_become: ${g.startsWith('role') ? 'true' : 'false'} }`, '      hosts:');
    for (const m of members) {
      const h = byName.get(m)!;
      lines.push(`        ${m}: { ansible_host: ${h.address}${h.canary ? ', gofleet_tags: canary' : ''} }`);
    }
  }
  return lines.join('\n') + '\n';
}

/** The text of an inventory of `n` hosts in `format`. */
export function syntheticInventory(format: InventoryFormat, n: number): string {
  const hosts = hostsOf(n);
  if (format === 'gofleet') return gofleetYaml(hosts);
  if (format === 'ansible-ini') return ansibleIni(hosts);
  return ansibleYaml(hosts);
}
