// Helpers for end-to-end tests: run the real CLI in-process with captured output, write inventories for a
// harness fleet, and install a toolchain on a host "by hand" (a plain directory, like a manual install).

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/program.ts';
import type { CliIo } from '../../src/cli/io.ts';
import type { Fleet, SshdHost } from '../harness/sshd.ts';
import type { FixtureArchive } from '../harness/toolchains.ts';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  json<T = any>(): T; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export async function gofleet(...args: string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { out: (t) => void (stdout += t), err: (t) => void (stderr += t), stdoutTty: false, stderrTty: false };
  const code = await runCli(args, io);
  return {
    code,
    stdout,
    stderr,
    json: () => {
      try {
        return JSON.parse(stdout);
      } catch {
        throw new Error(`stdout is not one JSON document (exit ${code}):\n${stdout}\n--- stderr ---\n${stderr}`);
      }
    },
  };
}

export interface InventoryHost {
  host: SshdHost;
  name?: string;
  /** extra `key: value` YAML flow entries, e.g. "become: true" */
  extra?: string;
}

/** A gofleet YAML inventory for harness hosts (root, the fleet's key and known_hosts). */
export function fleetInventory(fleet: Fleet, hosts: InventoryHost[] = fleet.hosts.map((host) => ({ host })), defaults = ''): string {
  const dir = mkdtempSync(join(tmpdir(), 'gofleet-inv-'));
  const lines = [
    'defaults:',
    '  transport: ssh',
    '  user: root',
    `  identity: ${fleet.clientKey}`,
    `  known_hosts: ${fleet.knownHostsPath}`,
    ...(defaults ? defaults.split('\n').map((l) => `  ${l}`) : []),
    'hosts:',
    ...hosts.map((h) => `  ${h.name ?? h.host.name}: { address: 127.0.0.1, port: ${h.host.port}${h.extra ? `, ${h.extra}` : ''} }`),
    '',
  ];
  const path = join(dir, 'inventory.yml');
  writeFileSync(path, lines.join('\n'));
  return path;
}

/** Extract an archive to <host>/usr/local/go as a plain directory (a manual install) and link /usr/local/bin/go. */
export async function installByHand(host: SshdHost, archive: FixtureArchive): Promise<void> {
  const r = await host.exec(`set -e; rm -rf /usr/local/go; tar -xzf '${archive.path}' -C /usr/local; mkdir -p /usr/local/bin; ln -sf ../go/bin/go /usr/local/bin/go`);
  if (r.exitCode !== 0) throw new Error(`install by hand on ${host.name}: ${r.stderr}`);
}

/** Only the PATH link, for hosts that start without Go (the upgrade installs it). */
export async function linkPathOnly(host: SshdHost): Promise<void> {
  const r = await host.exec('mkdir -p /usr/local/bin && ln -sf ../go/bin/go /usr/local/bin/go');
  if (r.exitCode !== 0) throw new Error(r.stderr);
}

/** `go version` as the host's login shell sees it. */
export async function goVersionOn(host: SshdHost): Promise<string> {
  const r = await host.exec('/usr/local/bin/go version');
  return r.exitCode === 0 ? (r.stdout.trim().split(' ')[2] ?? '') : `exit ${r.exitCode}: ${r.stderr.trim()}`;
}

/** A listing of a host's /usr/local (paths, types, sizes, mtimes, link targets) to prove nothing changed. */
export async function snapshotHost(host: SshdHost): Promise<string> {
  const r = await host.exec(
    `cd /usr/local && find . -printf '%p %y %m %s %T@ %l\\n' | sort`,
  );
  return r.stdout;
}
