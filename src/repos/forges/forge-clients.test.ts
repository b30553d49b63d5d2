// The GitHub (Octokit) and GitLab clients against the loopback forge server: auth headers, create vs reuse,
// rate-limit retries through the forge fetch (fake clock), PR/MR state and combined CI.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { GofleetError } from '../../errors.ts';
import { startForgeServer, type ForgeServer } from '../../../test/harness/forge-server.ts';
import { forgeClients } from './forge-clients.ts';
import { createForgeFetch } from './forge-fetch.ts';
import type { ForgeClock } from './write-throttle.ts';

let server: ForgeServer;
const SHA = 'a'.repeat(40);
before(async () => {
  server = await startForgeServer({ tokens: { github: 'ghp_test123', gitlab: 'glpat-test456' }, headSha: () => SHA });
});
after(() => server.close());

function fakeClock(): ForgeClock & { sleeps: number[] } {
  let now = 1_700_000_000_000;
  const sleeps: number[] = [];
  return { sleeps, now: () => now, sleep: async (ms) => void (sleeps.push(ms), (now += ms)) };
}

const pr = { head: 'gofleet/go1.27.3', base: 'main', title: 'Bump Go', body: 'body 1\n', draft: false };

test('GitHub: creates once with the token, reuses the open PR (body updated only when it changed)', async () => {
  const clients = forgeClients({ GITHUB_TOKEN: 'ghp_test123' }, createForgeFetch({ clock: fakeClock() }));
  const gh = clients({ kind: 'github', apiUrl: server.githubApi });
  const first = await gh.ensurePullRequest({ ...pr, project: 'acme/one' });
  assert.deepEqual(first, { number: 1, url: `${server.url}/acme/one/pull/1`, state: 'open', action: 'created' });
  const create = server.requests.find((r) => r.method === 'POST' && r.path === '/repos/acme/one/pulls');
  assert.equal(create?.authorization, 'token ghp_test123');
  assert.deepEqual(create?.body, { head: 'gofleet/go1.27.3', base: 'main', title: 'Bump Go', body: 'body 1\n', draft: false, maintainer_can_modify: true });
  assert.equal((await gh.ensurePullRequest({ ...pr, project: 'acme/one' })).action, 'unchanged');
  assert.equal((await gh.ensurePullRequest({ ...pr, project: 'acme/one', body: 'body 2\n' })).action, 'updated');
  assert.equal(server.pulls('acme/one').length, 1);
  assert.equal(server.pulls('acme/one')[0]?.body, 'body 2\n');
  const listed = server.requests.filter((r) => r.method === 'GET' && r.path === '/repos/acme/one/pulls');
  assert.deepEqual(listed[0]?.query, { head: 'acme:gofleet/go1.27.3', state: 'open', per_page: '100' });
});

test('GitHub: a 403 secondary rate limit with Retry-After is waited out and retried; a bad token is FORGE_AUTH_FAILED', async () => {
  const clock = fakeClock();
  const gh = forgeClients({ GITHUB_TOKEN: 'ghp_test123' }, createForgeFetch({ clock }))({ kind: 'github', apiUrl: server.githubApi });
  server.inject({ method: 'POST', path: /\/pulls$/, status: 403, headers: { 'retry-after': '17' }, body: { message: 'You have exceeded a secondary rate limit' } });
  const made = await gh.ensurePullRequest({ ...pr, project: 'acme/two', draft: true });
  assert.equal(made.action, 'created');
  assert.equal(made.state, 'draft');
  assert.deepEqual(clock.sleeps, [17_000]);
  assert.equal(server.requests.filter((r) => r.method === 'POST' && r.path === '/repos/acme/two/pulls').length, 2);

  const bad = forgeClients({ GITHUB_TOKEN: 'ghp_wrong999' }, createForgeFetch({ clock }))({ kind: 'github', apiUrl: server.githubApi });
  await assert.rejects(bad.ensurePullRequest({ ...pr, project: 'acme/three' }), (e: unknown) =>
    e instanceof GofleetError && e.code === 'FORGE_AUTH_FAILED' && !e.message.includes('ghp_wrong999'));
});

test('GitHub: PR state and CI from statuses and check runs together', async () => {
  const gh = forgeClients({ GITHUB_TOKEN: 'ghp_test123' }, createForgeFetch({ clock: fakeClock() }))({ kind: 'github', apiUrl: server.githubApi });
  const made = await gh.ensurePullRequest({ ...pr, project: 'acme/ci' });
  assert.deepEqual(await gh.pullRequestStatus('acme/ci', made.number), { number: 1, url: made.url, state: 'open', sha: SHA, ci: 'none' });
  server.setCheckRuns('acme/ci', SHA, [{ name: 'test', status: 'completed', conclusion: 'success' }]);
  assert.equal((await gh.pullRequestStatus('acme/ci', 1)).ci, 'success');
  server.setStatuses('acme/ci', SHA, [{ context: 'ci/jenkins', state: 'pending' }]);
  assert.equal((await gh.pullRequestStatus('acme/ci', 1)).ci, 'pending');
  server.setStatuses('acme/ci', SHA, [{ context: 'ci/jenkins', state: 'failure' }]);
  assert.equal((await gh.pullRequestStatus('acme/ci', 1)).ci, 'failure');
  const pull = server.pulls('acme/ci')[0]!;
  pull.state = 'closed';
  pull.merged_at = '2026-01-01T00:00:00Z';
  assert.equal((await gh.pullRequestStatus('acme/ci', 1)).state, 'merged');
});

test('GitLab: PRIVATE-TOKEN, url-encoded project path, draft title, reuse, 429 retried, head pipeline', async () => {
  const clock = fakeClock();
  const gl = forgeClients({ GITLAB_TOKEN: 'glpat-test456' }, createForgeFetch({ clock }))({ kind: 'gitlab', apiUrl: server.gitlabApi });
  server.inject({ method: 'POST', status: 429, headers: { 'retry-after': '5' } });
  const made = await gl.ensurePullRequest({ ...pr, project: 'group/sub/app', draft: true });
  assert.deepEqual(made, { number: 1, url: `${server.url}/group/sub/app/-/merge_requests/1`, state: 'draft', action: 'created' });
  assert.deepEqual(clock.sleeps, [5000]);
  const posts = server.requests.filter((r) => r.method === 'POST' && r.path === '/api/v4/projects/group%2Fsub%2Fapp/merge_requests');
  assert.equal(posts.length, 2);
  assert.equal(posts[1]?.privateToken, 'glpat-test456');
  assert.deepEqual(posts[1]?.body, { source_branch: 'gofleet/go1.27.3', target_branch: 'main', title: 'Draft: Bump Go', description: 'body 1\n', remove_source_branch: true });
  assert.equal((await gl.ensurePullRequest({ ...pr, project: 'group/sub/app', draft: true })).action, 'unchanged');
  const upd = await gl.ensurePullRequest({ ...pr, project: 'group/sub/app', body: 'new\n' });
  assert.deepEqual([upd.action, upd.state], ['updated', 'draft']);
  assert.equal(server.mergeRequests('group/sub/app').length, 1);
  assert.equal((await gl.pullRequestStatus('group/sub/app', 1)).ci, 'none');
  server.setPipeline('group/sub/app', 1, 'running');
  assert.deepEqual(await gl.pullRequestStatus('group/sub/app', 1), { number: 1, url: made.url, state: 'draft', sha: SHA, ci: 'pending' });
  server.setPipeline('group/sub/app', 1, 'failed');
  assert.equal((await gl.pullRequestStatus('group/sub/app', 1)).ci, 'failure');
  assert.equal(await gl.commitCi('group/sub/app', SHA), 'failure');
});

test('a missing token is FORGE_TOKEN_MISSING and names the variable', () => {
  const clients = forgeClients({}, createForgeFetch());
  assert.throws(() => clients({ kind: 'gitlab', apiUrl: server.gitlabApi }), (e: unknown) => e instanceof GofleetError && e.code === 'FORGE_TOKEN_MISSING' && /GITLAB_TOKEN/.test(e.message));
});
