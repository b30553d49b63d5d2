// Vendored modules (a vendor/modules.txt beside go.mod). The go command builds them with -mod=vendor by
// default (go line 1.14+) and refuses a vendor/ that no longer matches go.mod ("inconsistent vendoring"),
// which a bump's `go mod tidy` easily causes: so the module steps re-run `go mod vendor` after tidy
// (verify-module.ts), a bump commits what changed under vendor/, and a vendor/ that was already stale before
// the bump is reported. Effectful (reads files, runs go).

import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { firstErrorLines } from './classify-failure.ts';
import { runGo, type GoRunner } from '../shared/run-go.ts';
import type { Finding } from '../shared/types.ts';

/** True when the module at absolute `moduleDir` is vendored (vendor/modules.txt exists). */
export function isVendored(moduleDir: string): boolean {
  return existsSync(join(moduleDir, 'vendor', 'modules.txt'));
}

const INCONSISTENT = /inconsistent vendoring/;

/**
 * Whether vendor/ matches go.mod as the module reads now (run before the edit): `go list -m -mod=vendor`
 * loads go.mod and checks vendor/modules.txt against it, offline. A VENDOR_INCONSISTENT warning when not.
 */
export async function staleVendorFindings(r: GoRunner, moduleDir: string, file: string): Promise<Finding[]> {
  const res = await runGo(r, moduleDir, 'off', ['list', '-m', '-mod=vendor'], 120_000);
  if (res.exitCode === 0 || !INCONSISTENT.test(res.output)) return [];
  const detail = firstErrorLines(res.output, 'deps', INCONSISTENT).split('\n').slice(1).join('; ');
  return [{
    code: 'VENDOR_INCONSISTENT', severity: 'warn',
    message: `${file}: vendor/modules.txt does not match go.mod before the bump${detail ? ` (${detail})` : ''}`,
    hint: 'The checkout does not build with -mod=vendor as it is: run `go mod vendor` and commit vendor/ (a bump re-vendors with the target toolchain).',
  }];
}

/** Content hashes of every file under `moduleDir`/vendor, by path relative to vendor/. */
export async function snapshotVendor(moduleDir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const root = join(moduleDir, 'vendor');
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  for (const e of entries) {
    if (!e.isFile()) continue;
    const abs = join(e.parentPath, e.name);
    out.set(abs.slice(root.length + 1), createHash('sha256').update(await readFile(abs)).digest('hex'));
  }
  return out;
}

/**
 * What changed under vendor/ between two snapshots, as repo-relative entries: `DIR/vendor/modules.txt`
 * when it changed, and `DIR/vendor/` standing for any other file added, removed or changed (a vendor
 * refresh can touch hundreds of files; the commit takes the whole directory).
 */
export function vendorChanges(dir: string, before: Map<string, string>, after: Map<string, string>): string[] {
  const prefix = dir === '.' ? 'vendor/' : `${dir}/vendor/`;
  const differs = (f: string) => before.get(f) !== after.get(f);
  const out: string[] = [];
  if (differs('modules.txt')) out.push(`${prefix}modules.txt`);
  const others = [...new Set([...before.keys(), ...after.keys()])].filter((f) => f !== 'modules.txt');
  if (others.some(differs)) out.push(prefix);
  return out;
}
