// One client per forge API for a whole command, all sharing one forge fetch (so the write throttle counts
// every repo). Tokens come from the environment ($GITHUB_TOKEN, $GITLAB_TOKEN), are registered for redaction
// and are never logged or stored.

import { GofleetError, registerSecret } from '../../errors.ts';
import type { FetchLike } from './forge-fetch.ts';
import type { ForgeKind, ForgeTarget } from './forge-target.ts';
import type { ForgeClient } from './forge-types.ts';
import { githubForge } from './github-forge.ts';
import { gitlabForge } from './gitlab-forge.ts';

export const TOKEN_ENV: Record<ForgeKind, string> = { github: 'GITHUB_TOKEN', gitlab: 'GITLAB_TOKEN' };

export type ForgeClients = (t: Pick<ForgeTarget, 'kind' | 'apiUrl'>) => ForgeClient;

export function forgeClients(env: NodeJS.ProcessEnv, fetch: FetchLike): ForgeClients {
  const made = new Map<string, ForgeClient>();
  return (t) => {
    const key = `${t.kind} ${t.apiUrl}`;
    const have = made.get(key);
    if (have) return have;
    const token = env[TOKEN_ENV[t.kind]];
    if (!token) throw new GofleetError('FORGE_TOKEN_MISSING', `${TOKEN_ENV[t.kind]} is not set (needed for ${t.kind} at ${t.apiUrl})`);
    registerSecret(token);
    const client = t.kind === 'github' ? githubForge({ apiUrl: t.apiUrl, token, fetch }) : gitlabForge({ apiUrl: t.apiUrl, token, fetch });
    made.set(key, client);
    return client;
  };
}
