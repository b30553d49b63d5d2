// Which forge a remote belongs to, its API root and the project path, from the remote URL (or --forge,
// --forge-url, $GOFLEET_GITHUB_API / $GOFLEET_GITLAB_API). Pure.
//   https://github.com/acme/app.git, git@github.com:acme/app.git -> github, https://api.github.com, acme/app
//   https://gitlab.com/group/sub/app.git                         -> gitlab, https://gitlab.com/api/v4, group/sub/app
// A file:// or local path has no host: --forge is needed, and the project is its last two path components.

import { GofleetError } from '../../errors.ts';

export type ForgeKind = 'github' | 'gitlab';

export interface ForgeTarget {
  kind: ForgeKind;
  /** API root: https://api.github.com, https://ghe.example.com/api/v3, https://gitlab.com/api/v4 */
  apiUrl: string;
  /** owner/repo (GitHub) or the full namespace path (GitLab) */
  project: string;
}

export interface ForgeChoice {
  /** --forge */
  forge?: ForgeKind;
  /** --forge-url */
  apiUrl?: string;
  env: NodeJS.ProcessEnv;
}

/** The URL without user:password@ (a token in a remote URL must never be shown or stored). */
export function safeUrl(url: string): string {
  return url.replace(/^([a-z][\w+.-]*:\/\/)[^/@\s]*@/i, '$1');
}

/** Host (null for file:// and local paths) and repository path (no leading /, no .git) of a git remote URL. */
export function parseRemoteUrl(url: string): { host: string | null; path: string } {
  const scp = /^(?:[\w.-]+@)?([\w.-]+):(?!\/\/)(.+)$/.exec(url);
  if (scp && !/^[a-z]:[\\/]/i.test(url)) return { host: scp[1]?.toLowerCase() ?? null, path: trimPath(scp[2] ?? '') };
  const m = /^([a-z][\w+.-]*):\/\/([^/]*)(\/.*)?$/i.exec(url);
  if (m && m[1]?.toLowerCase() !== 'file') {
    const host = (m[2] ?? '').replace(/^.*@/, '').replace(/:\d+$/, '').toLowerCase();
    return { host: host || null, path: trimPath(m[3] ?? '') };
  }
  const local = m ? (m[3] ?? '') : url;
  return { host: null, path: trimPath(local).split('/').slice(-2).join('/') };
}

function trimPath(p: string): string {
  return p.replace(/^\/+/, '').replace(/\/+$/, '').replace(/\.git$/, '');
}

function kindOf(host: string | null): ForgeKind | null {
  if (host === 'github.com' || host === 'www.github.com') return 'github';
  if (host === 'gitlab.com' || host?.startsWith('gitlab.')) return 'gitlab';
  return null;
}

function defaultApi(kind: ForgeKind, host: string | null): string {
  if (kind === 'github') return host === null || host === 'github.com' || host === 'www.github.com' ? 'https://api.github.com' : `https://${host}/api/v3`;
  return `https://${host ?? 'gitlab.com'}/api/v4`;
}

export function forgeTarget(remoteUrl: string, c: ForgeChoice): ForgeTarget {
  const { host, path } = parseRemoteUrl(remoteUrl);
  const kind = c.forge ?? kindOf(host);
  if (kind === null) throw new GofleetError('FORGE_UNKNOWN', `${safeUrl(remoteUrl)}: cannot tell the forge from the remote URL`);
  const parts = path.split('/').filter(Boolean);
  if (parts.length < 2) throw new GofleetError('FORGE_UNKNOWN', `${safeUrl(remoteUrl)}: no owner/repository path in the remote URL`);
  const project = kind === 'github' ? parts.slice(-2).join('/') : parts.join('/');
  const fromEnv = kind === 'github' ? c.env.GOFLEET_GITHUB_API : c.env.GOFLEET_GITLAB_API;
  const apiUrl = (c.apiUrl ?? (fromEnv || undefined) ?? defaultApi(kind, host)).replace(/\/+$/, '');
  return { kind, apiUrl, project };
}
