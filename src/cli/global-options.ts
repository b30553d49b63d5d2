// Options shared by every command that contacts hosts, parsed and validated in one place.

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
  };
}
