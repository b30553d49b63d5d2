// The forge side of `gofleet repos bump` and `repos status`, with real git repos, bare remotes, the real go
// toolchain on PATH and the loopback forge server: one GitHub repo (remote URL on github.com, pushes going to
// a bare repo through pushurl, API at the loopback server) and one GitLab repo (file:// remote, --forge gitlab).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gofleet } from './helpers.ts';
import { FIXTURES, gitIn, makeGoRepos, makeRepo, type GoRepos } from '../harness/go-repos.ts';
import { startForgeServer, type ForgeServer } from '../harness/forge-server.ts';

const run = promisify(execFile);
const GH_TOKEN = 'ghp_e2eSecretToken1';
const GL_TOKEN = 'glpat-e2eSecretToken2';
const BRANCH = 'gofleet/go1.26.8';
const savedEnv = { ...process.env };
let fx: GoRepos;
let server: ForgeServer;
let state: string;
let stateDir: string;
const bare: Record<string, string> = {};
let ghRepo: string;
let glRepo: string;

async function bareSha(project: string, branch: string): Promise<string | null> {
  const dir = bare[project];
  if (!dir) return null;
  try {
    return (await run('git', ['--git-dir', dir, 'rev-parse', '--verify', `refs/heads/${branch}`], { env: fx.env })).stdout.trim();
  } catch {
    return null;
  }
}

/** A bare remote for `repo` holding its main branch. */
async function remoteFor(repo: string, project: string): Promise<string> {
  const dir = join(fx.root, 'remotes', `${project}.git`);
  await run('git', ['init', '-q', '--bare', '-b', 'main', dir], { env: fx.env });
  await gitIn(repo, fx.env, 'push', '-q', dir, 'main');
  bare[project] = dir;
  return dir;
}

before(async () => {
  fx = await makeGoRepos(['single']);
  Object.assign(process.env, fx.env, { GITHUB_TOKEN: GH_TOKEN, GITLAB_TOKEN: GL_TOKEN });
  server = await startForgeServer({ tokens: { github: GH_TOKEN, gitlab: GL_TOKEN }, headSha: (_f, project, branch) => bareSha(project, branch) });
  process.env.GOFLEET_GITHUB_API = server.githubApi;
  stateDir = await mkdtemp(join(tmpdir(), 'gofleet-forge-state-'));
  state = join(stateDir, 'gofleet.db');

  ghRepo = fx.repos.single;
  const ghBare = await remoteFor(ghRepo, 'acme/single');
  await gitIn(ghRepo, fx.env, 'remote', 'add', 'origin', 'https://github.com/acme/single.git');
  await gitIn(ghRepo, fx.env, 'remote', 'set-url', '--push', 'origin', ghBare);

  glRepo = await makeRepo(join(fx.root, 'repos', 'glapp'), FIXTURES.single, fx.env);
  const glBare = await remoteFor(glRepo, 'platform/glapp');
  await gitIn(glRepo, fx.env, 'remote', 'add', 'origin', `file://${glBare}`);
});

after(async () => {
  for (const k of Object.keys(process.env)) if (!(k in savedEnv)) delete process.env[k];
  Object.assign(process.env, savedEnv);
  await server?.close();
  await fx?.dispose();
  await rm(stateDir, { recursive: true, force: true });
});

const ghPosts = () => server.requests.filter((r) => r.method === 'POST' && r.path === '/repos/acme/single/pulls');

test('GitHub: bump --commit --push --pr pushes the branch and opens one pull request with the token', async () => {
  const r = await gofleet('repos', 'bump', '--to', 'go1.26.8', '--commit', '--push', '--pr', '--state', state, '--json', ghRepo);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  const repo = r.json().repos[0];
  assert.equal(repo.git.action, 'created');
  assert.equal(await bareSha('acme/single', BRANCH), repo.git.commit);
  assert.deepEqual(repo.publish.pull_request, { number: 1, url: `${server.url}/acme/single/pull/1`, state: 'open', action: 'created' });
  assert.deepEqual([repo.publish.push, repo.publish.base, repo.publish.forge], ['pushed', 'main', { kind: 'github', api: server.githubApi, project: 'acme/single' }]);

  assert.equal(ghPosts().length, 1);
  const post = ghPosts()[0]!;
  assert.equal(post.authorization, `token ${GH_TOKEN}`);
  const body = post.body as Record<string, unknown>;
  assert.deepEqual([body.head, body.base, body.title, body.draft], [BRANCH, 'main', 'Bump Go to go1.26.8 (go 1.26.0, toolchain go1.26.8)', false]);
  assert.match(String(body.body), /\| `go\.mod` \| 1\.24\.0 → 1\.26\.0 \| \(none\) → go1\.26\.8 \| pass \| tidy pass, deps pass, build pass, vet pass, test pass \|/);
  assert.ok(!r.stdout.includes(GH_TOKEN) && !r.stderr.includes(GH_TOKEN));
});

test('GitHub: a re-run reuses the pull request (no second create), and a 403 with Retry-After is waited out', async () => {
  const listsBefore = server.requests.filter((q) => q.method === 'GET' && q.path === '/repos/acme/single/pulls').length;
  server.inject({ method: 'GET', path: /^\/repos\/acme\/single\/pulls$/, status: 403, headers: { 'retry-after': '1' }, body: { message: 'You have exceeded a secondary rate limit.' } });
  const r = await gofleet('repos', 'bump', '--to', 'go1.26.8', '--commit', '--pr', '--state', state, '--json', ghRepo);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  const repo = r.json().repos[0];
  assert.deepEqual([repo.git.action, repo.publish.push, repo.publish.pull_request.action, repo.publish.pull_request.number], ['unchanged', 'up-to-date', 'unchanged', 1]);
  assert.equal(ghPosts().length, 1);
  assert.equal(server.pulls('acme/single').length, 1);
  // the rate-limited list was asked again after the wait, not given up on
  assert.equal(server.requests.filter((q) => q.method === 'GET' && q.path === '/repos/acme/single/pulls').length, listsBefore + 2);
  assert.match(r.stderr, /rate limited, waited 1 s \(GET \/repos\/acme\/single\/pulls\)/);
});

test('GitLab: --forge gitlab --draft opens a draft merge request on the url-encoded project', async () => {
  const r = await gofleet('repos', 'bump', '--to', 'go1.26.8', '--commit', '--pr', '--draft', '--forge', 'gitlab', '--forge-url', server.gitlabApi,
    '--campaign', 'gl-go126', '--state', state, '--json', glRepo);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  const repo = r.json().repos[0];
  assert.deepEqual(repo.publish.pull_request, { number: 1, url: `${server.url}/platform/glapp/-/merge_requests/1`, state: 'draft', action: 'created' });
  const post = server.requests.find((q) => q.method === 'POST' && q.path === '/api/v4/projects/platform%2Fglapp/merge_requests');
  assert.equal(post?.privateToken, GL_TOKEN);
  assert.equal(post?.authorization, null);
  assert.deepEqual(post?.body, {
    source_branch: BRANCH, target_branch: 'main', title: 'Draft: Bump Go to go1.26.8 (go 1.26.0, toolchain go1.26.8)',
    description: (post?.body as { description: string }).description, remove_source_branch: true,
  });
  assert.equal(await bareSha('platform/glapp', BRANCH), repo.git.commit);
});

test('repos status: statuses and check runs (GitHub) and the head pipeline (GitLab), refreshed and stored', async () => {
  const sha = (await bareSha('acme/single', BRANCH))!;
  // an Actions-only repo: no commit statuses, one successful check run
  server.setCheckRuns('acme/single', sha, [{ name: 'build', status: 'completed', conclusion: 'success' }]);
  let r = await gofleet('repos', 'status', BRANCH, '--state', state, '--json');
  assert.equal(r.code, 0, r.stderr);
  let doc = r.json();
  assert.deepEqual([doc.campaign, doc.target, doc.repos.length], [BRANCH, 'go1.26.8', 1]);
  assert.deepEqual([doc.repos[0].pr, doc.repos[0].ci, doc.repos[0].commit], [{ number: 1, url: `${server.url}/acme/single/pull/1`, state: 'open' }, 'success', sha]);

  // a failing commit status beside the green check run: failure, and it is what the journal keeps
  server.setStatuses('acme/single', sha, [{ context: 'ci/jenkins', state: 'failure' }]);
  assert.equal((await gofleet('repos', 'status', BRANCH, '--state', state, '--json')).json().repos[0].ci, 'failure');
  const seen = server.requests.length;
  r = await gofleet('repos', 'status', BRANCH, '--state', state, '--no-refresh', '--json');
  assert.equal(server.requests.length, seen);
  assert.deepEqual([r.json().repos[0].ci, r.json().repos[0].pr.state], ['failure', 'open']);

  server.setPipeline('platform/glapp', 1, 'running');
  r = await gofleet('repos', 'status', 'gl-go126', '--state', state);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /platform\/glapp\s+gofleet\/go1\.26\.8\s+!1\s+draft\s+pending\s+http:\/\/127\.0\.0\.1:\d+\/platform\/glapp\/-\/merge_requests\/1/);
  doc = (await gofleet('repos', 'status', 'gl-go126', '--state', state, '--no-refresh', '--json')).json();
  assert.equal(doc.repos[0].ci, 'pending');

  const missing = await gofleet('repos', 'status', 'nope', '--state', state);
  assert.equal(missing.code, 4);
  assert.match(missing.stderr, /CAMPAIGN_NOT_FOUND/);
  // tokens are never stored
  const db = await readFile(state);
  assert.ok(!db.includes(GH_TOKEN) && !db.includes(GL_TOKEN));
});

test('a base that moved on: the replaced branch is force-pushed and the same PR kept; a push failure is that repo\'s result', async () => {
  await gitIn(ghRepo, fx.env, 'commit', '-q', '--allow-empty', '-m', 'more work on main');
  await gitIn(ghRepo, fx.env, 'push', '-q', bare['acme/single']!, 'main');
  const old = await bareSha('acme/single', BRANCH);
  const r = await gofleet('repos', 'bump', '--to', 'go1.26.8', '--commit', '--pr', '--state', state, '--json', ghRepo);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  const repo = r.json().repos[0];
  assert.deepEqual([repo.git.action, repo.publish.push, repo.publish.pull_request.number], ['replaced', 'force-pushed', 1]);
  const tip = await bareSha('acme/single', BRANCH);
  assert.notEqual(tip, old);
  assert.equal(tip, repo.git.commit);
  assert.equal(ghPosts().length, 1);
  // the journal has the new tip, and its CI verdict is unknown until the next refresh
  const stored = (await gofleet('repos', 'status', BRANCH, '--state', state, '--no-refresh', '--json')).json().repos[0];
  assert.deepEqual([stored.commit, stored.push, stored.ci], [tip, 'force-pushed', null]);

  await gitIn(ghRepo, fx.env, 'remote', 'set-url', '--push', 'origin', join(fx.root, 'remotes', 'gone.git'));
  const failed = await gofleet('repos', 'bump', '--to', 'go1.26.8', '--commit', '--push', '--branch', 'gofleet/other', '--state', state, '--json', ghRepo);
  assert.equal(failed.code, 2);
  const f = failed.json().repos[0];
  assert.deepEqual([f.git.action, f.publish.push, f.publish.error.code], ['created', null, 'PUSH_FAILED']);
  assert.match(failed.stdout, /gone\.git/);
  await gitIn(ghRepo, fx.env, 'remote', 'set-url', '--push', 'origin', bare['acme/single']!);
});

test('--push without --commit, and --draft without --pr, are usage errors', async () => {
  const a = await gofleet('repos', 'bump', '--to', 'go1.26.8', '--push', ghRepo);
  assert.equal(a.code, 5);
  assert.match(a.stderr, /--push needs --commit/);
  const b = await gofleet('repos', 'bump', '--to', 'go1.26.8', '--commit', '--push', '--draft', ghRepo);
  assert.equal(b.code, 5);
  assert.match(b.stderr, /--draft needs --pr/);
});
