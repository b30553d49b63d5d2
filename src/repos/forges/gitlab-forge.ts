// GitLab merge requests through plain fetch against /api/v4 (PRIVATE-TOKEN header; the project path
// url-encoded as its id). Every request goes through the campaign's forge fetch. CI is the MR's head pipeline.

import { GofleetError } from '../../errors.ts';
import { gitlabCi } from './ci-state.ts';
import type { FetchLike } from './forge-fetch.ts';
import type { CiState, ForgeClient, PrRequest, PrState, PrStatus, PullRequestRef } from './forge-types.ts';

interface MrData {
  iid: number;
  web_url: string;
  state: string;
  draft?: boolean;
  work_in_progress?: boolean;
  title: string;
  description: string | null;
  source_branch: string;
  sha?: string | null;
  head_pipeline?: { status?: string } | null;
  pipeline?: { status?: string } | null;
}

export function gitlabMrState(m: Pick<MrData, 'state' | 'draft' | 'work_in_progress'>): PrState {
  if (m.state === 'merged') return 'merged';
  if (m.state === 'closed' || m.state === 'locked') return 'closed';
  return m.draft || m.work_in_progress ? 'draft' : 'open';
}

const DRAFT = /^(?:draft:|\[draft\]|\(draft\))\s*/i;

export function gitlabForge(o: { apiUrl: string; token: string; fetch: FetchLike }): ForgeClient {
  const project = (p: string): string => `/projects/${encodeURIComponent(p)}`;

  async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
    let res: Response;
    try {
      res = await o.fetch(`${o.apiUrl}${path}`, {
        method,
        headers: { 'PRIVATE-TOKEN': o.token, accept: 'application/json', 'user-agent': 'gofleet', ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    } catch (err) {
      if (err instanceof GofleetError) throw err;
      throw new GofleetError('FORGE_REQUEST_FAILED', `GitLab ${method} ${path.split('?')[0]}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    const text = await res.text();
    if (!res.ok) {
      const detail = text.slice(0, 300).replace(/\s+/g, ' ');
      const code = res.status === 401 || res.status === 403 ? 'FORGE_AUTH_FAILED' : 'FORGE_REQUEST_FAILED';
      throw new GofleetError(code, `GitLab ${method} ${path.split('?')[0]}: ${res.status} ${detail}`);
    }
    return JSON.parse(text) as T;
  }

  async function commitCi(p: string, sha: string): Promise<CiState> {
    const c = await api<{ last_pipeline?: { status?: string } | null }>('GET', `${project(p)}/repository/commits/${encodeURIComponent(sha)}`);
    return gitlabCi(c.last_pipeline?.status);
  }

  return {
    kind: 'gitlab',
    async ensurePullRequest(r: PrRequest): Promise<PullRequestRef> {
      const open = await api<MrData[]>('GET', `${project(r.project)}/merge_requests?state=opened&source_branch=${encodeURIComponent(r.head)}`);
      const found = open.find((m) => m.source_branch === r.head);
      if (found) {
        if (found.title.replace(DRAFT, '') === r.title && (found.description ?? '') === r.body) {
          return { number: found.iid, url: found.web_url, state: gitlabMrState(found), action: 'unchanged' };
        }
        const title = DRAFT.test(found.title) ? `Draft: ${r.title}` : r.title;
        const m = await api<MrData>('PUT', `${project(r.project)}/merge_requests/${found.iid}`, { title, description: r.body });
        return { number: m.iid, url: m.web_url, state: gitlabMrState(m), action: 'updated' };
      }
      const m = await api<MrData>('POST', `${project(r.project)}/merge_requests`, {
        source_branch: r.head,
        target_branch: r.base,
        title: r.draft ? `Draft: ${r.title}` : r.title,
        description: r.body,
        remove_source_branch: true,
      });
      return { number: m.iid, url: m.web_url, state: gitlabMrState(m), action: 'created' };
    },
    async pullRequestStatus(p: string, number: number): Promise<PrStatus> {
      const m = await api<MrData>('GET', `${project(p)}/merge_requests/${number}`);
      return { number, url: m.web_url, state: gitlabMrState(m), sha: m.sha ?? null, ci: gitlabCi(m.head_pipeline?.status ?? m.pipeline?.status) };
    },
    commitCi,
  };
}
