// Where the run journal lives when --state is not given: $GOFLEET_STATE, else the XDG state directory.

import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * `$GOFLEET_STATE`, or `$XDG_STATE_HOME/gofleet/gofleet.db`, or `~/.local/state/gofleet/gofleet.db`.
 * Empty or relative XDG values are ignored, as the XDG Base Directory spec asks.
 */
export function defaultStatePath(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  const explicit = env.GOFLEET_STATE;
  if (explicit) return explicit;
  const xdg = env.XDG_STATE_HOME;
  const base = xdg && xdg.startsWith('/') ? xdg : join(home, '.local', 'state');
  return join(base, 'gofleet', 'gofleet.db');
}
