import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { openCampaignStore } from './campaign-store.ts';
import type { CampaignRepo } from './campaign-types.ts';
import { MIGRATIONS, migrate, schemaVersion } from './migrations.ts';
import { openStore } from './open-store.ts';

function scratchDb(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'gofleet-campaign-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, 'state', 'gofleet.db');
}

function row(over: Partial<Omit<CampaignRepo, 'updated'>> = {}): Omit<CampaignRepo, 'updated'> {
  return {
    repo: '/src/app', path: '/src/app', branch: 'gofleet/go1.27.3', base: 'main', commit: 'c1', remote: 'file:///r/app.git', push: 'pushed',
    forge: 'github', forgeApi: 'http://127.0.0.1:1', project: 'acme/app', prNumber: 7, prUrl: 'http://x/acme/app/pull/7', prState: 'open',
    ciState: null, error: null, ...over,
  };
}

test('a campaign is saved with its repos in order and read back; the file is private', (t) => {
  const path = scratchDb(t);
  const s = openCampaignStore(path);
  t.after(() => s.close());
  s.saveCampaign({ name: 'gofleet/go1.27.3', target: 'go1.27.3', branch: 'gofleet/go1.27.3' }, [row(), row({ repo: 'file:///r/lib.git', path: '/tmp/c/lib', project: 'acme/lib', prNumber: 8 })], 1000);
  const c = s.getCampaign('gofleet/go1.27.3');
  assert.ok(c);
  assert.deepEqual([c.name, c.target, c.created, c.updated], ['gofleet/go1.27.3', 'go1.27.3', 1000, 1000]);
  assert.deepEqual(c.repos.map((r) => [r.repo, r.prNumber, r.updated]), [['/src/app', 7, 1000], ['file:///r/lib.git', 8, 1000]]);
  assert.equal(s.getCampaign('nope'), null);
  assert.equal(statSync(path).mode & 0o777, 0o600);
});

test('re-saving keeps what a failed re-run did not learn, and a new tip forgets the old CI verdict', (t) => {
  const s = openCampaignStore(scratchDb(t));
  t.after(() => s.close());
  const c = { name: 'camp', target: 'go1.27.3', branch: 'b' };
  s.saveCampaign(c, [row()], 1000);
  s.updateRepoState('camp', '/src/app', { prState: 'open', ciState: 'success', error: null }, 2000);
  // a re-run whose push failed: no PR info, same commit
  s.saveCampaign(c, [row({ push: null, prNumber: null, prUrl: null, prState: null, forge: null, error: { code: 'PUSH_FAILED', message: 'x' } })], 3000);
  let r = s.getCampaign('camp')?.repos[0];
  assert.deepEqual([r?.prNumber, r?.forge, r?.ciState, r?.push, r?.error?.code, r?.updated], [7, 'github', 'success', 'pushed', 'PUSH_FAILED', 3000]);
  // a re-run that pushed a new tip: CI unknown until the next refresh
  s.saveCampaign(c, [row({ commit: 'c2', push: 'force-pushed' })], 4000);
  r = s.getCampaign('camp')?.repos[0];
  assert.deepEqual([r?.commit, r?.ciState, r?.push, r?.error], ['c2', null, 'force-pushed', null]);
  assert.deepEqual(s.getCampaign('camp')?.created, 1000);
});

test('updateRepoState stores a refresh (and its error) and touches the campaign', (t) => {
  const s = openCampaignStore(scratchDb(t));
  t.after(() => s.close());
  s.saveCampaign({ name: 'camp', target: null, branch: 'b' }, [row()], 1000);
  s.updateRepoState('camp', '/src/app', { prUrl: 'http://x/7', prState: 'merged', ciState: 'failure', commit: 'c9', error: null }, 5000);
  const c = s.getCampaign('camp');
  assert.deepEqual([c?.updated, c?.repos[0]?.prState, c?.repos[0]?.ciState, c?.repos[0]?.commit, c?.repos[0]?.prUrl], [5000, 'merged', 'failure', 'c9', 'http://x/7']);
  s.updateRepoState('camp', '/src/app', { prState: 'merged', ciState: 'failure', error: { code: 'FORGE_AUTH_FAILED', message: '401' } }, 6000);
  assert.deepEqual(s.getCampaign('camp')?.repos[0]?.error, { code: 'FORGE_AUTH_FAILED', message: '401' });
  assert.deepEqual(s.listCampaigns().map((x) => x.name), ['camp']);
});

test('campaigns live beside the runs: a journal at version 2 migrates, keeps its runs and gains the campaign tables', async (t) => {
  const path = scratchDb(t);
  mkdirSync(dirname(path), { recursive: true });
  const raw = new Database(path);
  migrate(raw, path, MIGRATIONS.slice(0, 2)); // a journal written by a gofleet before campaigns
  raw.prepare(`INSERT INTO runs (id, started, user, argv, command, target, policy, status, controller, pid)
     VALUES ('old-run', 1000, 'ops', '[]', 'upgrade', 'go1.27.3', '{}', 'done', 'ctl', 1)`).run();
  raw.close();
  const s = openCampaignStore(path);
  s.saveCampaign({ name: 'camp', target: null, branch: 'b' }, [row()], 1);
  s.close();
  const store = openStore(path);
  t.after(() => store.close());
  assert.deepEqual((await store.listRuns()).map((r) => r.id), ['old-run']);
  const db = new Database(path, { readonly: true });
  t.after(() => db.close());
  assert.equal(schemaVersion(db), MIGRATIONS.length);
  assert.equal((db.prepare('SELECT count(*) AS n FROM campaign_repos').get() as { n: number }).n, 1);
});

test('the campaign tables refuse states outside the contract', (t) => {
  const path = scratchDb(t);
  const db = new Database(path.replace('state/', ''));
  t.after(() => db.close());
  migrate(db, 'x');
  db.prepare(`INSERT INTO campaigns (name, created, updated, branch) VALUES ('c', 1, 1, 'b')`).run();
  assert.throws(() => db.prepare(`INSERT INTO campaign_repos (campaign, repo, ord, path, branch, pr_state, updated) VALUES ('c', 'r', 0, 'p', 'b', 'weird', 1)`).run(), /CHECK constraint/);
});
