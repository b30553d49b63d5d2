// Test-only helpers: inventories written to a fresh temp dir, loaded with a fixed environment
// (HOME inside the temp dir) and an ssh config path that does not exist unless a test writes one.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GofleetError } from '../errors.ts';
import { loadInventory, type LoadInventoryOptions } from './load-inventory.ts';
import type { Inventory } from './types.ts';

export interface Scratch {
  dir: string;
  home: string;
  write(name: string, text: string): string;
  load(name: string, text: string, options?: LoadInventoryOptions): Promise<Inventory>;
  /** load and return the GofleetError it throws (fails when nothing is thrown) */
  loadError(name: string, text: string, options?: LoadInventoryOptions): Promise<GofleetError>;
  cleanup(): void;
}

/** Strip a common leading indentation so fixtures can be written inline. */
export function dedent(text: string): string {
  const lines = text.replace(/^\n/, '').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim() !== '').map((l) => /^ */.exec(l)![0].length));
  return lines.map((l) => l.slice(indent)).join('\n');
}

export function scratch(): Scratch {
  const dir = mkdtempSync(join(tmpdir(), 'gofleet-inv-'));
  const home = join(dir, 'home');
  const write = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, dedent(text));
    return path;
  };
  const defaults = (options: LoadInventoryOptions = {}): LoadInventoryOptions => ({
    sshConfigPath: join(dir, 'no-ssh-config'),
    ...options,
    env: { HOME: home, USER: 'tester', ...options.env },
  });
  const load = (name: string, text: string, options?: LoadInventoryOptions): Promise<Inventory> =>
    loadInventory(write(name, text), defaults(options));
  return {
    dir,
    home,
    write,
    load,
    async loadError(name, text, options) {
      try {
        await load(name, text, options);
      } catch (err) {
        if (err instanceof GofleetError) return err;
        throw err;
      }
      throw new Error(`expected ${name} to be rejected`);
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
