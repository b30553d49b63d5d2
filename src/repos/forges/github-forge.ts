// GitHub (and GitHub Enterprise) through Octokit's REST client. Every request goes through the campaign's
// forge fetch (write throttle, rate-limit retries). Pull requests are looked up by head branch before one is
// created; CI is commit statuses and check runs combined (ci-state.ts).

import { Octokit } from '@octokit/rest';
import { GofleetError } from '../../errors.ts';
import { githubCi } from './ci-state.ts';
import type { FetchLike } from './forge-fetch.ts';
import type { CiState, ForgeClient, PrRequest, PrState, PrStatus, PullRequestRef } from './forge-types.ts';

interface PrData {
  number: number;
  html_url: string;
  state: string;
  draft?: boolean | undefined;
  merged_at: string | null;
  title: string;
  body: string | null;
  head: { ref: string; sha: string };
}

const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

function split(project: string): { owner: string; repo: string } {
  const [owner = '', repo = ''] = project.split('/');
  return { owner, repo };
}

export function githubPrState(p: Pick<PrData, 'state' | 'draft' | 'merged_at'>): PrState {
  if (p.merged_at) return 'merged';
  if (p.state === 'closed') return 'closed';
  return p.draft ? 'draft' : 'open';
}

/** Octokit's RequestError (or our own error from the forge fetch inside it) as a GofleetError. */
function forgeError(err: unknown, what: string): GofleetError {
  if (err instanceof GofleetError) return err;
  const cause = (err as { cause?: unknown }).cause;
  if (cause instanceof GofleetError) return cause;
  const status = (err as { status?: number }).status;
  const message = err instanceof Error ? err.message : String(err);
  const code = status === 401 || status === 403 ? 'FORGE_AUTH_FAILED' : 'FORGE_REQUEST_FAILED';
  return new GofleetError(code, `GitHub ${what}: ${status ? `${status} ` : ''}${message}`, { cause: err });
}

async function call<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw forgeError(err, what);
  }
}

export function githubForge(o: { apiUrl: string; token: string; fetch: FetchLike }): ForgeClient {
  const octokit = new Octokit({ auth: o.token, baseUrl: o.apiUrl, userAgent: 'gofleet', log: quiet, request: { fetch: o.fetch } });

  async function commitCi(project: string, sha: string): Promise<CiState> {
    const { owner, repo } = split(project);
    const status = await call(`status of ${project}@${sha.slice(0, 12)}`, () => octokit.rest.repos.getCombinedStatusForRef({ owner, repo, ref: sha }));
    const runs = await call(`check runs of ${project}@${sha.slice(0, 12)}`, () =>
      octokit.paginate(octokit.rest.checks.listForRef, { owner, repo, ref: sha, filter: 'latest', per_page: 100 }),
    );
    return githubCi({ state: status.data.state, total_count: status.data.total_count }, runs);
  }

  return {
    kind: 'github',
    async ensurePullRequest(r: PrRequest): Promise<PullRequestRef> {
      const { owner, repo } = split(r.project);
      const open = await call(`pull requests of ${r.project}`, () => octokit.rest.pulls.list({ owner, repo, head: `${owner}:${r.head}`, state: 'open', per_page: 100 }));
      const found = (open.data as PrData[]).find((p) => p.head.ref === r.head);
      if (found) {
        if (found.title === r.title && (found.body ?? '') === r.body) return { number: found.number, url: found.html_url, state: githubPrState(found), action: 'unchanged' };
        const upd = await call(`update ${r.project}#${found.number}`, () => octokit.rest.pulls.update({ owner, repo, pull_number: found.number, title: r.title, body: r.body }));
        const p = upd.data as PrData;
        return { number: p.number, url: p.html_url, state: githubPrState(p), action: 'updated' };
      }
      const made = await call(`create a pull request in ${r.project}`, () =>
        octokit.rest.pulls.create({ owner, repo, head: r.head, base: r.base, title: r.title, body: r.body, draft: r.draft, maintainer_can_modify: true }),
      );
      const p = made.data as PrData;
      return { number: p.number, url: p.html_url, state: githubPrState(p), action: 'created' };
    },
    async pullRequestStatus(project: string, number: number): Promise<PrStatus> {
      const { owner, repo } = split(project);
      const got = await call(`${project}#${number}`, () => octokit.rest.pulls.get({ owner, repo, pull_number: number }));
      const p = got.data as PrData;
      return { number, url: p.html_url, state: githubPrState(p), sha: p.head.sha, ci: await commitCi(project, p.head.sha) };
    },
    commitCi,
  };
}
