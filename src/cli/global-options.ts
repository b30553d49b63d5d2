// Options shared by every command that contacts hosts, parsed and validated in one place.

import { Option, type Command } from 'commander';
import { DEFAULT_DRAIN, parseDuration } from '../engine/drain-options.ts';
import { parseMinAge } from './min-age-option.ts';
import { resolveCacheMax } from './cache-max-option.ts';
import { parseSources } from './source-option.ts';
import { parseSha256Options } from './sha256-option.ts';
import { GofleetError } from '../errors.ts';
import { DEFAULT_LOG_LEVEL, LOG_LEVELS, isLogLevel, type LogLevel } from '../log/log-level.ts';
import type { Distribution } from '../engine/context.ts';
import type { InstallMethod } from '../platform/types.ts';

export interface GlobalOptions {
  inventory: string;
  /** --playbook-dir: its group_vars/ and host_vars/ apply to an Ansible inventory, as with ansible-inventory */
  playbookDir?: string;
  limit?: string;
  json: boolean;
  yes: boolean;
  parallel: number;
  /** --source items in order (repeatable, comma-separated; empty: the official site), tried with failover */
  sources: string[];
  checksumSource?: string;
  /** --trust-key PUBFILE: the source's index.json must be signed by this key (gofleet mirror keygen) */
  trustKey?: string;
  cacheDir?: string;
  /** --cache-max (else $GOFLEET_CACHE_MAX, else 5 GiB) in bytes; 0 = no limit */
  cacheMaxBytes: number;
  /** --min-age as given (3d, 12h, 2w): `latest` and `1.27` resolve only to releases at least that old */
  minAge?: string;
  /** --sha256 values as given (FILE=HEX, or one bare HEX), checked by parseSha256Options; the provider pins files with them */
  sha256?: string[];
  sshConfig?: string;
  /** Ansible's --vault-password-file (default $ANSIBLE_VAULT_PASSWORD_FILE) */
  vaultPasswordFile?: string;
  acceptNewHostKeys: boolean;
  connectTimeout: number;
  stepTimeout: number;
  verifyBuild: boolean;
  healthCmd?: string;
  requirePath: boolean;
  /** the run journal (SQLite); default $GOFLEET_STATE or ~/.local/state/gofleet/gofleet.db */
  state?: string;
  /** false with --no-journal: change hosts without recording the run (otherwise an unusable journal is refused) */
  journal: boolean;
  /** --drain-timeout in ms: wait this long for processes using the toolchain before switching (default 10 min) */
  drainTimeoutMs: number;
  /** --force: switch even when processes still use the toolchain */
  force: boolean;
  /** --adopt-link: replace a goroot link that does not point at a Go toolchain, recording its target for rollback */
  adoptLink: boolean;
  /** --method (plan, upgrade): zip = side by side (default), msi = the official MSI on Windows hosts */
  method: InstallMethod;
  /** --distribution (plan, upgrade): push (default), pull (each host downloads from the source URL), auto */
  distribution: Distribution;
  /** --log-level: the run log's level (`silent`: no log file) */
  logLevel: LogLevel;
  /** --pause: ask on the terminal before each wave after the first (upgrade, use) */
  pause: boolean;
  /** --pause-after in ms: wait this long between waves, with a countdown (upgrade, use) */
  pauseAfterMs?: number;
  /** --deadline (ms since the epoch): no host starts at or after it (upgrade, use; reconcile passes a window's end) */
  deadline?: number;
}

/** --method, on plan and upgrade (the choices are checked by commander: a usage error otherwise). */
export function methodOption(): Option {
  return new Option('--method <method>', 'zip: side by side from the archive (default); msi: the official MSI into goroot (Windows hosts only; POSIX hosts are skipped)')
    .choices(['zip', 'msi'])
    .default('zip');
}

const DISTRIBUTIONS: readonly Distribution[] = ['push', 'pull', 'auto'];

/** --distribution, on plan and upgrade: anything but push, pull or auto is BAD_OPTION. */
export function distributionOption(cmd: Command): Command {
  return cmd.option(
    '--distribution <how>',
    'push: the controller downloads once and pushes over each connection (default); pull: each host downloads from the source URL itself (curl / wget); auto: pull where the host reaches the source, else push',
    parseDistribution,
    'push',
  );
}

export function parseDistribution(value: string): Distribution {
  const d = DISTRIBUTIONS.find((x) => x === value);
  if (!d) throw new GofleetError('BAD_OPTION', `--distribution must be push, pull or auto, got "${value}"`);
  return d;
}

/** --log-level, on every command that contacts hosts. */
export function logLevelOption(): Option {
  return new Option('--log-level <level>', 'detail of the run log (JSON lines in <state dir>/logs/RUN.log); silent: no log file')
    .choices(LOG_LEVELS)
    .default(DEFAULT_LOG_LEVEL);
}

/** --pause and --pause-after, on the commands that roll out in waves (upgrade, use). */
export function addPauseOptions(cmd: Command): Command {
  return cmd
    .option('--pause', 'ask on the terminal before each wave after the first (--yes answers yes; refused without a terminal)')
    .option('--pause-after <duration>', 'wait this long (30s, 5m, 1h) between waves, showing a countdown; Ctrl-C stops the rollout', durationOption('--pause-after'))
    .option('--deadline <time>', 'start no host at or after TIME (ISO 8601 with a zone: 2026-12-05T06:00:00Z, 2026-12-05T07:00+01:00), e.g. the end of a maintenance window; hosts in flight finish or roll back', parseDeadline);
}

/** --deadline: an ISO 8601 date and time with Z or an offset (a time without a zone would depend on the controller's). */
export function parseDeadline(value: string): number {
  const ms = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d{1,3})?)?(Z|[+-]\d\d:\d\d)$/i.test(value.trim()) ? Date.parse(value.trim()) : NaN;
  if (Number.isNaN(ms)) {
    throw new GofleetError('BAD_OPTION', `--deadline must be an ISO 8601 date and time with a zone, such as 2026-12-05T06:00:00Z or 2026-12-05T07:00+01:00, got "${value}"`);
  }
  return ms;
}

/** --min-age on the commands that resolve --to (plan, upgrade, script); the text is kept, checked here. */
export function minAgeOption(cmd: Command): Command {
  return cmd.option(
    '--min-age <duration>',
    'resolve latest / 1.27 only to releases at least this old (3d, 12h, 2w); a release of unknown age counts as too young; an exact version is taken anyway, with a warning',
    (value: string) => (parseMinAge(value), value),
  );
}

/** --sha256 on the commands that fetch archives (plan, upgrade, script, mirror sync): repeatable, every value checked
 *  together as it comes (a bad value or a conflict is BAD_OPTION before anything runs). */
export function sha256Option(cmd: Command): Command {
  return cmd.option(
    '--sha256 <FILE=HEX|HEX>',
    'the SHA-256 you checked for an archive (repeatable; a bare HEX when only one file is needed): it must agree with the index or mirror, and vouches alone when nothing else publishes one',
    (value: string, previous: string[] | undefined) => {
      const all = [...(previous ?? []), value];
      parseSha256Options(all);
      return all;
    },
  );
}

/** commander parser for --drain-timeout: 90s, 10m, 1h (or whole seconds) -> milliseconds. */
export function durationOption(name: string) {
  return (value: string): number => {
    const ms = parseDuration(value);
    if (ms === null) throw new GofleetError('BAD_OPTION', `${name} must be a duration like 90s, 10m or 1h, got "${value}"`);
    return ms;
  };
}

/** commander parser for a count or seconds: plain decimal digits only (`Number` alone would take `1e3`, `0x10`,
 *  ` 5` and `` as numbers), within [min, max]. */
export function intOption(name: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    const n = /^[0-9]+$/.test(value) ? Number(value) : NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) {
      throw new GofleetError('BAD_OPTION', `${name} must be a whole number from ${min} to ${max}, got "${value}"`);
    }
    return n;
  };
}

/** Raw commander values (and the GOFLEET_* defaults in `env`) -> typed options with defaults. */
export function toGlobalOptions(raw: Record<string, unknown>, env: Record<string, string | undefined> = process.env): GlobalOptions {
  if (typeof raw.inventory !== 'string') {
    throw new GofleetError('BAD_OPTION', 'an inventory is required: -i INVENTORY (gofleet YAML or Ansible INI/YAML)');
  }
  const str = (k: string): string | undefined => (typeof raw[k] === 'string' ? (raw[k] as string) : undefined);
  const num = (k: string, d: number): number => (typeof raw[k] === 'number' ? (raw[k] as number) : d);
  return {
    inventory: raw.inventory,
    ...(str('playbookDir') !== undefined ? { playbookDir: str('playbookDir') } : {}),
    // an empty --limit is kept (and refused by selectHosts), never read as "no limit"
    ...(str('limit') !== undefined ? { limit: str('limit') } : {}),
    json: raw.json === true,
    yes: raw.yes === true,
    parallel: num('parallel', 10),
    sources: parseSources(Array.isArray(raw.source) ? (raw.source as string[]) : typeof raw.source === 'string' ? [raw.source] : []),
    ...(str('checksumSource') ? { checksumSource: str('checksumSource') } : {}),
    ...(str('trustKey') ? { trustKey: str('trustKey') } : {}),
    ...(str('cacheDir') ? { cacheDir: str('cacheDir') } : {}),
    cacheMaxBytes: resolveCacheMax(typeof raw.cacheMax === 'number' ? raw.cacheMax : undefined, env),
    ...(str('minAge') ? { minAge: str('minAge') } : {}),
    ...(Array.isArray(raw.sha256) && raw.sha256.length > 0 ? { sha256: raw.sha256.map(String) } : {}),
    ...(str('sshConfig') ? { sshConfig: str('sshConfig') } : {}),
    ...(str('vaultPasswordFile') ? { vaultPasswordFile: str('vaultPasswordFile') } : {}),
    acceptNewHostKeys: raw.acceptNewHostKeys === true,
    connectTimeout: num('connectTimeout', 15),
    stepTimeout: num('stepTimeout', 900),
    verifyBuild: raw.verifyBuild !== false,
    ...(str('healthCmd') ? { healthCmd: str('healthCmd') } : {}),
    requirePath: raw.requirePath !== false,
    ...(str('state') ? { state: str('state') } : {}),
    journal: raw.journal !== false,
    drainTimeoutMs: num('drainTimeout', DEFAULT_DRAIN.timeoutMs),
    force: raw.force === true,
    adoptLink: raw.adoptLink === true,
    method: raw.method === 'msi' ? 'msi' : 'zip',
    distribution: raw.distribution === 'pull' || raw.distribution === 'auto' ? raw.distribution : 'push',
    logLevel: isLogLevel(raw.logLevel) ? raw.logLevel : DEFAULT_LOG_LEVEL,
    pause: raw.pause === true,
    ...(typeof raw.pauseAfter === 'number' ? { pauseAfterMs: raw.pauseAfter } : {}),
    ...(typeof raw.deadline === 'number' ? { deadline: raw.deadline } : {}),
  };
}
