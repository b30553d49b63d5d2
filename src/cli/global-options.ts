// Options shared by every command that contacts hosts, parsed and validated in one place.

import { DEFAULT_DRAIN, parseDuration } from '../engine/drain-host.ts';
import { GofleetError } from '../errors.ts';

export interface GlobalOptions {
  inventory: string;
  limit?: string;
  json: boolean;
  yes: boolean;
  parallel: number;
  source?: string;
  checksumSource?: string;
  cacheDir?: string;
  sshConfig?: string;
  acceptNewHostKeys: boolean;
  connectTimeout: number;
  stepTimeout: number;
  verifyBuild: boolean;
  healthCmd?: string;
  requirePath: boolean;
  /** the run journal (SQLite); default $GOFLEET_STATE or ~/.local/state/gofleet/gofleet.db */
  state?: string;
  /** --drain-timeout in ms: wait this long for processes using the toolchain before switching (default 10 min) */
  drainTimeoutMs: number;
  /** --force: switch even when processes still use the toolchain */
  force: boolean;
}

/** commander parser for --drain-timeout: 90s, 10m, 1h (or whole seconds) -> milliseconds. */
export function durationOption(name: string) {
  return (value: string): number => {
    const ms = parseDuration(value);
    if (ms === null) throw new GofleetError('BAD_OPTION', `${name} must be a duration like 90s, 10m or 1h, got "${value}"`);
    return ms;
  };
}

export function intOption(name: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new GofleetError('BAD_OPTION', `${name} must be a whole number from ${min} to ${max}, got "${value}"`);
    }
    return n;
  };
}

/** Raw commander values -> typed options with defaults. */
export function toGlobalOptions(raw: Record<string, unknown>): GlobalOptions {
  if (typeof raw.inventory !== 'string') {
    throw new GofleetError('BAD_OPTION', 'an inventory is required: -i INVENTORY (gofleet YAML or Ansible INI/YAML)');
  }
  const str = (k: string): string | undefined => (typeof raw[k] === 'string' ? (raw[k] as string) : undefined);
  const num = (k: string, d: number): number => (typeof raw[k] === 'number' ? (raw[k] as number) : d);
  return {
    inventory: raw.inventory,
    ...(str('limit') ? { limit: str('limit') } : {}),
    json: raw.json === true,
    yes: raw.yes === true,
    parallel: num('parallel', 10),
    ...(str('source') ? { source: str('source') } : {}),
    ...(str('checksumSource') ? { checksumSource: str('checksumSource') } : {}),
    ...(str('cacheDir') ? { cacheDir: str('cacheDir') } : {}),
    ...(str('sshConfig') ? { sshConfig: str('sshConfig') } : {}),
    acceptNewHostKeys: raw.acceptNewHostKeys === true,
    connectTimeout: num('connectTimeout', 15),
    stepTimeout: num('stepTimeout', 900),
    verifyBuild: raw.verifyBuild !== false,
    ...(str('healthCmd') ? { healthCmd: str('healthCmd') } : {}),
    requirePath: raw.requirePath !== false,
    ...(str('state') ? { state: str('state') } : {}),
    drainTimeoutMs: num('drainTimeout', DEFAULT_DRAIN.timeoutMs),
    force: raw.force === true,
  };
}
