// A loopback forge for tests: the few GitHub REST and GitLab v4 endpoints `gofleet repos` uses, in memory.
// node:http on 127.0.0.1:0; every request is recorded (method, path, query, auth headers, JSON body), and
// faults can be injected (403 + Retry-After, 429, x-ratelimit-remaining: 0 + reset, any status).
//
//   GitHub (API root = server.githubApi):
//     GET/POST /repos/:o/:r/pulls, GET/PATCH /repos/:o/:r/pulls/:n,
//     GET /repos/:o/:r/commits/:ref/status, GET /repos/:o/:r/commits/:ref/check-runs
//   GitLab (API root = server.gitlabApi, i.e. /api/v4):
//     GET/POST /projects/:id/merge_requests, GET/PUT /projects/:id/merge_requests/:iid,
//     GET /projects/:id/repository/commits/:sha

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  /** path without the query */
  path: string;
  query: Record<string, string>;
  /** the Authorization header (GitHub) */
  authorization: string | null;
  /** the PRIVATE-TOKEN header (GitLab) */
  privateToken: string | null;
  body: unknown;
}

export interface Fault {
  method?: string;
  path?: RegExp;
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** how many matching requests get it (default 1) */
  times?: number;
}

export interface GhPull {
  number: number;
  html_url: string;
  state: 'open' | 'closed';
  draft: boolean;
  merged_at: string | null;
  title: string;
  body: string | null;
  head: { ref: string; sha: string; label: string };
  base: { ref: string };
}

export interface GlMr {
  iid: number;
  web_url: string;
  state: 'opened' | 'closed' | 'merged';
  draft: boolean;
  title: string;
  description: string | null;
  source_branch: string;
  target_branch: string;
  sha: string | null;
  head_pipeline: { status: string } | null;
}

export interface Status {
  state: 'success' | 'failure' | 'error' | 'pending';
  context: string;
}

export interface CheckRun {
  name: string;
  status: 'queued' | 'in_progress' | 'completed';
  conclusion: string | null;
}

export interface ForgeServerOptions {
  /** accepted tokens; a request without the right one gets 401 */
  tokens?: { github?: string; gitlab?: string };
  /** the head commit of a branch (e.g. read from a bare remote); null when unknown */
  headSha?: (forge: 'github' | 'gitlab', project: string, branch: string) => Promise<string | null> | string | null;
}

export interface ForgeServer {
  url: string;
  githubApi: string;
  gitlabApi: string;
  requests: RecordedRequest[];
  inject(f: Fault): void;
  pulls(project: string): GhPull[];
  mergeRequests(project: string): GlMr[];
  setStatuses(project: string, sha: string, statuses: Status[]): void;
  setCheckRuns(project: string, sha: string, runs: CheckRun[]): void;
  setPipeline(project: string, iid: number, status: string | null): void;
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(readonly status: number, readonly body: unknown) {
    super(String(status));
  }
}

function combined(statuses: Status[]): string {
  if (statuses.some((s) => s.state === 'failure' || s.state === 'error')) return 'failure';
  if (statuses.length === 0 || statuses.some((s) => s.state === 'pending')) return 'pending';
  return 'success';
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export async function startForgeServer(o: ForgeServerOptions = {}): Promise<ForgeServer> {
  const requests: RecordedRequest[] = [];
  const faults: Fault[] = [];
  const pulls = new Map<string, GhPull[]>();
  const mrs = new Map<string, GlMr[]>();
  const statuses = new Map<string, Status[]>();
  const checkRuns = new Map<string, CheckRun[]>();
  let base = '';
  const listOf = <T>(m: Map<string, T[]>, k: string): T[] => {
    if (!m.has(k)) m.set(k, []);
    return m.get(k) as T[];
  };
  const sha = async (forge: 'github' | 'gitlab', project: string, branch: string): Promise<string> => (await o.headSha?.(forge, project, branch)) ?? '0'.repeat(40);

  async function github(r: RecordedRequest, parts: string[]): Promise<unknown> {
    if (o.tokens?.github !== undefined && r.authorization !== `token ${o.tokens.github}`) throw new HttpError(401, { message: 'Bad credentials' });
    const [, owner = '', repo = '', kind, a, b] = parts;
    const project = `${owner}/${repo}`;
    const body = (r.body ?? {}) as Record<string, unknown>;
    if (kind === 'pulls' && a === undefined) {
      const list = listOf(pulls, project);
      if (r.method === 'GET') {
        const state = r.query.state ?? 'open';
        return list.filter((p) => (state === 'all' || p.state === state) && (!r.query.head || p.head.label === r.query.head));
      }
      if (r.method === 'POST') {
        const head = String(body.head ?? '');
        if (!head || !body.base || !body.title) throw new HttpError(422, { message: 'Validation Failed' });
        if (list.some((p) => p.state === 'open' && p.head.ref === head)) throw new HttpError(422, { message: `A pull request already exists for ${owner}:${head}.` });
        const number = list.length + 1;
        const pull: GhPull = {
          number, html_url: `${base}/${project}/pull/${number}`, state: 'open', draft: body.draft === true, merged_at: null,
          title: String(body.title), body: typeof body.body === 'string' ? body.body : null,
          head: { ref: head, sha: await sha('github', project, head), label: `${owner}:${head}` }, base: { ref: String(body.base) },
        };
        list.push(pull);
        return [201, pull];
      }
    }
    if (kind === 'pulls' && a !== undefined) {
      const pull = listOf(pulls, project).find((p) => p.number === Number(a));
      if (!pull) throw new HttpError(404, { message: 'Not Found' });
      if (r.method === 'PATCH') {
        if (typeof body.title === 'string') pull.title = body.title;
        if (typeof body.body === 'string') pull.body = body.body;
      }
      pull.head.sha = (await o.headSha?.('github', project, pull.head.ref)) ?? pull.head.sha;
      return pull;
    }
    if (kind === 'commits' && a && b === 'status') {
      const list = statuses.get(`${project}@${a}`) ?? [];
      return { state: combined(list), sha: a, total_count: list.length, statuses: list };
    }
    if (kind === 'commits' && a && b === 'check-runs') {
      const list = checkRuns.get(`${project}@${a}`) ?? [];
      return { total_count: list.length, check_runs: list.map((c, i) => ({ id: i + 1, head_sha: a, ...c })) };
    }
    throw new HttpError(404, { message: 'Not Found' });
  }

  async function gitlab(r: RecordedRequest, parts: string[]): Promise<unknown> {
    if (o.tokens?.gitlab !== undefined && r.privateToken !== o.tokens.gitlab) throw new HttpError(401, { message: '401 Unauthorized' });
    const [, id = '', kind, a, b] = parts;
    const project = decodeURIComponent(id);
    const body = (r.body ?? {}) as Record<string, unknown>;
    const list = listOf(mrs, project);
    if (kind === 'merge_requests' && a === undefined) {
      if (r.method === 'GET') {
        const state = r.query.state ?? 'all';
        return list.filter((m) => (state === 'all' || m.state === state) && (!r.query.source_branch || m.source_branch === r.query.source_branch));
      }
      if (r.method === 'POST') {
        const source = String(body.source_branch ?? '');
        if (!source || !body.target_branch || !body.title) throw new HttpError(400, { message: 'source_branch, target_branch and title are required' });
        if (list.some((m) => m.state === 'opened' && m.source_branch === source)) throw new HttpError(409, { message: ['Another open merge request already exists for this source branch'] });
        const iid = list.length + 1;
        const title = String(body.title);
        const mr: GlMr = {
          iid, web_url: `${base}/${project}/-/merge_requests/${iid}`, state: 'opened', draft: /^draft:/i.test(title), title,
          description: typeof body.description === 'string' ? body.description : null, source_branch: source,
          target_branch: String(body.target_branch), sha: await sha('gitlab', project, source), head_pipeline: null,
        };
        list.push(mr);
        return [201, mr];
      }
    }
    if (kind === 'merge_requests' && a !== undefined) {
      const mr = list.find((m) => m.iid === Number(a));
      if (!mr) throw new HttpError(404, { message: '404 Not found' });
      if (r.method === 'PUT') {
        if (typeof body.title === 'string') mr.title = body.title;
        mr.draft = /^draft:/i.test(mr.title);
        if (typeof body.description === 'string') mr.description = body.description;
      }
      return mr;
    }
    if (kind === 'repository' && a === 'commits' && b) {
      const mr = list.find((m) => m.sha === b);
      return { id: b, last_pipeline: mr?.head_pipeline ?? null };
    }
    throw new HttpError(404, { message: '404 Not found' });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const u = new URL(req.url ?? '/', 'http://x');
    const r: RecordedRequest = {
      method: req.method ?? 'GET',
      path: u.pathname,
      query: Object.fromEntries(u.searchParams),
      authorization: req.headers.authorization ?? null,
      privateToken: (req.headers['private-token'] as string | undefined) ?? null,
      body: await readBody(req),
    };
    requests.push(r);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(JSON.stringify(body));
    };
    const fault = faults.find((f) => (!f.method || f.method === r.method) && (!f.path || f.path.test(r.path)));
    if (fault) {
      fault.times = (fault.times ?? 1) - 1;
      if (fault.times <= 0) faults.splice(faults.indexOf(fault), 1);
      send(fault.status, fault.body ?? { message: `injected ${fault.status}` }, fault.headers);
      return;
    }
    try {
      const parts = u.pathname.split('/').filter(Boolean);
      const out = parts[0] === 'api' && parts[1] === 'v4' ? await gitlab(r, parts.slice(2)) : parts[0] === 'repos' ? await github(r, parts) : undefined;
      if (out === undefined) throw new HttpError(404, { message: 'Not Found' });
      if (Array.isArray(out) && typeof out[0] === 'number' && out.length === 2) send(out[0], out[1]);
      else send(200, out);
    } catch (err) {
      if (err instanceof HttpError) send(err.status, err.body);
      else send(500, { message: String(err) });
    }
  }

  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    githubApi: base,
    gitlabApi: `${base}/api/v4`,
    requests,
    inject: (f) => void faults.push({ ...f }),
    pulls: (p) => listOf(pulls, p),
    mergeRequests: (p) => listOf(mrs, p),
    setStatuses: (p, s, list) => void statuses.set(`${p}@${s}`, list),
    setCheckRuns: (p, s, list) => void checkRuns.set(`${p}@${s}`, list),
    setPipeline: (p, iid, status) => {
      const mr = listOf(mrs, p).find((m) => m.iid === iid);
      if (mr) mr.head_pipeline = status === null ? null : { status };
    },
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
