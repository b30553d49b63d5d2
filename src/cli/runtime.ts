// Builds what a command needs from its options: the selected hosts, the release source, and the engine
// context with production defaults (real transports, the posix dialect, the verified archive cache).

import { setMaxListeners } from 'node:events';
import { GofleetError } from '../errors.ts';
import type { ArchiveInfo, EngineContext, LocalArchive } from '../engine/context.ts';
import { fanOut } from '../engine/events.ts';
import { newRunId } from '../engine/run-fleet.ts';
import type { ArchiveLookup } from '../engine/plan-fleet.ts';
import { loadInventory, selectHosts } from '../inventory/index.ts';
import type { HostOs, HostSpec, SecretRef } from '../inventory/types.ts';
import { posix } from '../platform/posix/index.ts';
import { ensureArchive, findFile, normalizeVersion, openSource, resolveSpec } from '../releases/index.ts';
import type { ReleaseSource } from '../releases/index.ts';
import { colourWanted } from '../report/colour.ts';
import { consoleProgress } from '../report/console-progress.ts';
import { openTransport } from '../transport/open-transport.ts';
import type { Transport } from '../transport/types.ts';
import type { GlobalOptions } from './global-options.ts';
import type { CliIo } from './io.ts';
import { isInteractive, promptSecret } from './prompt.ts';

export interface Runtime {
  options: GlobalOptions;
  /** the raw option values of the command (for command-specific flags) */
  raw: Record<string, unknown>;
  hosts: HostSpec[];
  context(command: string): EngineContext;
  resolveTarget(spec: string): Promise<string>;
  archiveLookup(version: string): Promise<ArchiveLookup>;
  normalizeVersion(version: string): string;
}

export async function createRuntime(options: GlobalOptions, raw: Record<string, unknown>, io: CliIo): Promise<Runtime> {
  const inventory = await loadInventory(options.inventory, options.sshConfig ? { sshConfigPath: options.sshConfig } : {});
  const hosts = selectHosts(inventory, options.limit);
  const sources = lazySources(options);
  const passwords = new Map<string, Promise<string | undefined>>();

  const connect = async (host: HostSpec): Promise<Transport> => {
    const password = host.password ? await secret(host.password, host, passwords) : undefined;
    return openTransport(host, {
      connectTimeoutMs: options.connectTimeout * 1000,
      acceptNewHostKeys: options.acceptNewHostKeys,
      ...(password !== undefined ? { password } : {}),
    });
  };

  const fileFor = async (version: string, os: string, arch: string) => findFile(await (await sources.main()).releases(), version, os, arch);

  return {
    options,
    raw,
    hosts,
    normalizeVersion: (v) => normalizeVersion(v),
    async resolveTarget(spec) {
      return resolveSpec(spec, await (await sources.main()).releases());
    },
    async archiveLookup(version) {
      const releases = await (await sources.main()).releases();
      return (os, arch) => {
        try {
          return findFile(releases, version, os, arch);
        } catch (err) {
          if (err instanceof GofleetError) return err;
          throw err;
        }
      };
    },
    context(command) {
      // read-only commands print their table; progress is for the commands that change hosts
      const quiet = options.json || command === 'facts' || command === 'plan';
      const progress = quiet ? undefined : consoleProgress({ write: io.err, tty: io.stderrTty, colour: colourWanted({ isTTY: io.stderrTty }) });
      return {
        run: newRunId(),
        connect,
        dialectFor: (os: HostOs) => {
          if (os === 'windows') {
            throw new GofleetError('UNSUPPORTED_PLATFORM', 'Windows hosts are not supported by this build yet (the PowerShell dialect is in progress)');
          }
          return posix;
        },
        async archiveInfo(version, os, arch): Promise<ArchiveInfo> {
          const f = await fileFor(version, os, arch);
          return { filename: f.filename, sha256: f.sha256, size: f.size };
        },
        async fetchArchive(version, os, arch): Promise<LocalArchive> {
          const file = await fileFor(version, os, arch);
          const checksumSource = await sources.checksum();
          const got = await ensureArchive(await sources.main(), file, {
            ...(options.cacheDir ? { cacheDir: options.cacheDir } : {}),
            ...(checksumSource ? { checksumSource } : {}),
          });
          return { path: got.path, filename: got.filename, sha256: got.sha256, size: got.size };
        },
        emit: fanOut(progress),
        now: Date.now,
        verify: {
          build: options.verifyBuild,
          requirePath: options.requirePath,
          ...(options.healthCmd ? { healthCommand: options.healthCmd } : {}),
        },
        stepTimeoutMs: options.stepTimeout * 1000,
        signal: interruptSignal(io),
      };
    },
  };
}

/** The release source and the independent checksum source, opened once and only when needed. */
function lazySources(options: GlobalOptions): { main(): Promise<ReleaseSource>; checksum(): Promise<ReleaseSource | undefined> } {
  let main: Promise<ReleaseSource> | undefined;
  let checksum: Promise<ReleaseSource | undefined> | undefined;
  return {
    main: () => (main ??= openSource(options.source)),
    checksum: () =>
      (checksum ??= (async () => {
        const spec = options.checksumSource;
        if (spec === 'same') return undefined;
        if (spec) return openSource(spec);
        // a mirror URL's bytes are checked against the official index by default; a local directory
        // (air-gapped) and the official site itself are their own authority
        const src = await (main ??= openSource(options.source));
        return src.kind === 'url' ? openSource() : undefined;
      })()),
  };
}

async function secret(ref: SecretRef, host: HostSpec, cache: Map<string, Promise<string | undefined>>): Promise<string | undefined> {
  switch (ref.from) {
    case 'literal':
      return ref.value;
    case 'env': {
      const value = process.env[ref.name];
      if (value === undefined) {
        throw new GofleetError('INVENTORY_ENV_MISSING', `${host.name}: password variable ${ref.name} is not set`, { host: host.name });
      }
      return value;
    }
    case 'prompt': {
      if (!isInteractive()) {
        throw new GofleetError('BAD_OPTION', `${host.name}: the password is to be prompted for, but there is no terminal`, {
          host: host.name,
          hint: 'Use password: ${env:NAME} in the inventory for unattended runs.',
        });
      }
      const key = `${host.user ?? ''}@${host.address}`;
      let p = cache.get(key);
      if (!p) cache.set(key, (p = promptSecret(`password for ${key}: `)));
      return p;
    }
  }
}

let interrupt: AbortController | undefined;

/** First Ctrl-C: stop starting hosts (in-flight ones finish or roll back). Second: leave now. */
function interruptSignal(io: CliIo): AbortSignal {
  if (!interrupt) {
    const ctl = new AbortController();
    // one listener per in-flight exec; with --parallel above 10 that is many, and all are removed after use
    setMaxListeners(0, ctl.signal);
    interrupt = ctl;
    let count = 0;
    process.on('SIGINT', () => {
      count++;
      if (count === 1) {
        io.err('\ninterrupt: no new hosts will be started; hosts in flight finish or roll back. Ctrl-C again to stop waiting.\n');
        ctl.abort();
      } else {
        process.exitCode = 99;
        process.kill(process.pid, 'SIGTERM');
      }
    });
  }
  return interrupt.signal;
}
