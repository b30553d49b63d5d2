// gofleet serve token create NAME | list [--json] | revoke NAME — the dashboard's API tokens (src/serve/tokens.ts).
// `create` prints the token once on stdout (and only there: not in the journal, the audit trail or a log).

import { userInfo } from 'node:os';
import type { ServeStore } from '../../store/index.ts';
import { createToken, listTokens, revokeToken } from '../../serve/tokens.ts';
import { renderTable } from '../../util/text-table.ts';
import { safeText } from '../../report/safe-text.ts';
import { EXIT } from '../exit-code.ts';
import { printJson, type CliIo } from '../io.ts';

function who(now: number): { actor: string; at: number } {
  let actor = 'unknown';
  try {
    actor = userInfo().username;
  } catch {
    // no passwd entry (a container's arbitrary uid): the audit trail says unknown
  }
  return { actor, at: now };
}

export function tokenCreateCommand(store: ServeStore, io: CliIo, name: string, now = Date.now()): number {
  const token = createToken(store, name, who(now));
  io.out(`${token}\n`);
  io.err(`token "${name}" created; it is shown only this once: give it to the client as "Authorization: Bearer TOKEN" or paste it into the dashboard's sign-in page\n`);
  return EXIT.ok;
}

export function tokenListCommand(store: ServeStore, io: CliIo, options: { json: boolean }): number {
  const tokens = listTokens(store).map((t) => ({ name: t.name, created: new Date(t.created).toISOString() }));
  if (options.json) printJson(io, { tokens });
  else if (tokens.length === 0) io.out('no tokens (gofleet serve token create NAME makes one)\n');
  else io.out(renderTable(['name', 'created (UTC)'], tokens.map((t) => [safeText(t.name), t.created.slice(0, 19).replace('T', ' ')])));
  return EXIT.ok;
}

export function tokenRevokeCommand(store: ServeStore, io: CliIo, name: string, now = Date.now()): number {
  revokeToken(store, name, who(now));
  io.err(`token "${name}" revoked: requests with it are refused from now on\n`);
  return EXIT.ok;
}
