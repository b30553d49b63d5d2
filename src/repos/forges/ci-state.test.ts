import { test } from 'node:test';
import assert from 'node:assert/strict';
import { githubCi, gitlabCi, worstCi } from './ci-state.ts';

const noStatuses = { state: 'pending', total_count: 0 };
const run = (status: string, conclusion: string | null = null) => ({ status, conclusion });

test('GitHub: an Actions-only repo (no statuses) is judged by its check runs, not "pending"', () => {
  assert.equal(githubCi(noStatuses, [run('completed', 'success'), run('completed', 'skipped')]), 'success');
  assert.equal(githubCi(noStatuses, [run('completed', 'success'), run('in_progress')]), 'pending');
  assert.equal(githubCi(noStatuses, [run('completed', 'timed_out')]), 'failure');
  assert.equal(githubCi(noStatuses, []), 'none');
});

test('GitHub: statuses and check runs combined, the worse wins', () => {
  assert.equal(githubCi({ state: 'success', total_count: 2 }, []), 'success');
  assert.equal(githubCi({ state: 'pending', total_count: 1 }, [run('completed', 'success')]), 'pending');
  assert.equal(githubCi({ state: 'error', total_count: 1 }, [run('queued')]), 'failure');
  assert.equal(githubCi({ state: 'success', total_count: 1 }, [run('completed', 'failure')]), 'failure');
  assert.equal(githubCi({ state: 'success', total_count: 1 }, [run('completed', 'neutral')]), 'success');
});

test('GitLab: the head pipeline status', () => {
  assert.equal(gitlabCi('success'), 'success');
  assert.equal(gitlabCi('failed'), 'failure');
  assert.equal(gitlabCi('canceled'), 'failure');
  assert.equal(gitlabCi('running'), 'pending');
  assert.equal(gitlabCi('something_new'), 'pending');
  assert.equal(gitlabCi(null), 'none');
  assert.equal(gitlabCi(undefined), 'none');
});

test('worstCi orders failure > pending > success > none', () => {
  assert.equal(worstCi([]), 'none');
  assert.equal(worstCi(['none', 'success']), 'success');
  assert.equal(worstCi(['success', 'pending', 'none']), 'pending');
  assert.equal(worstCi(['pending', 'failure', 'success']), 'failure');
});
