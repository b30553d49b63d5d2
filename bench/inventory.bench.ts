// Inventory benchmark: load (parse, resolve groups and variables, ~/.ssh/config) and select (--limit) synthetic
// inventories of N hosts in gofleet YAML, Ansible INI and Ansible YAML; report wall time, CPU time and peak RSS.
//
//   node --import tsx bench/inventory.bench.ts --hosts 1000,10000,100000 --timeout 300
//
// Each (format, size) runs in a child process of its own, so that peak RSS is that load's; a child that runs past
// --timeout seconds is killed and reported as such. Figures go to stdout as a markdown table (copy them into
// docs/benchmarks.md). This is not a test: nothing here asserts a timing (src/inventory/linear-load.test.ts
// guards the algorithm by counting work instead).

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadInventory, selectHosts } from '../src/inventory/index.ts';
import { FILE_NAME, FORMATS, syntheticInventory, type InventoryFormat } from '../src/inventory/synthetic-inventory.ts';

const { values } = parseArgs({
  options: {
    hosts: { type: 'string', default: '1000,10000,100000' },
    formats: { type: 'string', default: FORMATS.join(',') },
    timeout: { type: 'string', default: '300' },
    /** internal: load this one file in this process and print its figures as JSON */
    child: { type: 'string' },
  },
});

interface Figures {
  hosts: number;
  loadMs: number;
  selectMs: number;
  cpuMs: number;
  peakRssMb: number;
}

async function benchOnce(file: string): Promise<Figures> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const inventory = await loadInventory(file, { sshConfigPath: join(tmpdir(), 'gofleet-bench-no-ssh-config'), env: { HOME: tmpdir(), USER: 'bench' } });
  const t1 = performance.now();
  // a glob, a tag, an exclusion and an intersection: every kind of term walks the fleet once
  selectHosts(inventory, 'role1*,tag:canary,!host-000001,&rack*');
  const t2 = performance.now();
  const cpu = process.cpuUsage(cpu0);
  return { hosts: inventory.hosts.length, loadMs: t1 - t0, selectMs: t2 - t1, cpuMs: (cpu.user + cpu.system) / 1000, peakRssMb: process.resourceUsage().maxRSS / 1024 };
}

const s = (ms: number): string => (ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`);

if (values.child) {
  console.log(JSON.stringify(await benchOnce(values.child)));
} else {
  const work = mkdtempSync(join(tmpdir(), 'gofleet-inv-bench-'));
  const timeoutMs = Number(values.timeout) * 1000;
  console.log('| format | hosts | file | load | select | CPU | peak RSS |');
  console.log('|---|---|---|---|---|---|---|');
  try {
    for (const format of values.formats.split(',') as InventoryFormat[]) {
      for (const n of values.hosts.split(',').map(Number)) {
        const file = join(work, `${n}-${FILE_NAME[format]}`);
        writeFileSync(file, syntheticInventory(format, n));
        const mb = (statSync(file).size / 1048576).toFixed(1);
        const self = fileURLToPath(import.meta.url);
        const r = spawnSync(process.execPath, [...process.execArgv, self, '--child', file], { encoding: 'utf8', timeout: timeoutMs, stdio: ['ignore', 'pipe', 'inherit'] });
        const line = r.stdout.trim().split('\n').pop() ?? '';
        if (r.signal) console.log(`| ${format} | ${n} | ${mb} MiB | killed after ${s(timeoutMs)} | - | - | - |`);
        else if (r.status !== 0 || !line.startsWith('{')) throw new Error(`${format} ${n} failed (exit ${r.status}): ${r.stdout}`);
        else {
          const f = JSON.parse(line) as Figures;
          if (f.hosts !== n) throw new Error(`${format} ${n}: loaded ${f.hosts} hosts`);
          console.log(`| ${format} | ${n} | ${mb} MiB | ${s(f.loadMs)} | ${s(f.selectMs)} | ${s(f.cpuMs)} | ${f.peakRssMb.toFixed(0)} MiB |`);
        }
        rmSync(file, { force: true });
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
