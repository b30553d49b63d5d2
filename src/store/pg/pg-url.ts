// A --state postgres:// URL: refused when it holds a password (argv and the journal must never hold one; pg reads
// $PGPASSWORD and ~/.pgpass itself), and shown in messages as user@host:port/database only. Parsed by pg's own
// parser (pg-connection-string, which pg depends on), so what is checked is what pg will connect with, the
// libpq forms included (`postgresql://user@/db?host=/socket/dir`, `?password=`).

import { parse } from 'pg-connection-string';
import { GofleetError } from '../../errors.ts';

function parsed(spec: string): ReturnType<typeof parse> | undefined {
  try {
    return parse(spec);
  } catch {
    return undefined;
  }
}

/** `user@host:port/database` (the Unix socket dir as host); never a password or query. */
export function redactPgUrl(spec: string): string {
  const c = parsed(spec);
  if (!c) return 'postgres://(unparsable URL)';
  const user = c.user || process.env.PGUSER || '(default user)';
  return `${user}@${c.host || 'localhost'}:${c.port || '5432'}/${c.database || user}`;
}

/** Throws STATE_URL_PASSWORD when `spec` carries a password (user:pw@ or ?password=); BAD_OPTION when unparsable. */
export function checkPgUrl(spec: string): void {
  const c = parsed(spec);
  if (!c) throw new GofleetError('BAD_OPTION', `--state ${redactPgUrl(spec)}: not a valid postgres:// URL`);
  if (c.password) {
    throw new GofleetError('STATE_URL_PASSWORD', `--state ${redactPgUrl(spec)}: the URL holds a password, which gofleet refuses to take on the command line`);
  }
}
