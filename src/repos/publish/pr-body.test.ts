import { test } from 'node:test';
import assert from 'node:assert/strict';
import { campaignMarker, prBody, prTitle } from './pr-body.ts';
import type { ModuleResult } from '../shared/types.ts';

function mod(over: Partial<ModuleResult>): ModuleResult {
  return {
    dir: '.', kind: 'module', module: 'example.com/a', from: '1.24.0', to: '1.27.0', toolchainFrom: null, toolchainTo: 'go1.27.3',
    result: 'pass', class: null, findings: [], firstError: null, changed: ['go.mod'],
    steps: [{ name: 'edit', status: 'pass', durationMs: 5 }, { name: 'tidy', status: 'pass', durationMs: 10 }, { name: 'test', status: 'pass', durationMs: 999 }],
    ...over,
  };
}

const input = {
  campaign: 'gofleet/go1.27.3',
  target: 'go1.27.3',
  toolchainHow: 'GOTOOLCHAIN=local',
  modules: [
    mod({}),
    mod({ dir: 'svc', module: 'example.com/a/svc', from: '1.27.0', toolchainFrom: 'go1.27.3', result: 'warn', changed: ['svc/go.mod', 'svc/Dockerfile'],
      findings: [
        { code: 'PIN_DISAGREES', severity: 'warn', message: 'svc/Dockerfile pins golang:1.23|alpine', hint: 'Use --all-pins.' },
        { code: 'GODEBUG_DEFAULTS_CHANGE', severity: 'info', message: 'panicnil', hint: '-' },
      ] }),
  ],
};

test('the title is the commit subject', () => {
  assert.equal(prTitle(input), 'Bump Go to go1.27.3 (go 1.27.0, toolchain go1.27.3)');
});

test('the body: a per-module table, other changed files, findings that need a look, the campaign marker', () => {
  const body = prBody(input);
  assert.match(body, /^Moves this repository to Go \*\*go1\.27\.3\*\*, verified with the pinned toolchain \(GOTOOLCHAIN=local\)\.\n/);
  assert.match(body, /\n\| module \| go \| toolchain \| result \| steps \|\n\|---\|---\|---\|---\|---\|\n/);
  assert.match(body, /\n\| `go\.mod` \| 1\.24\.0 → 1\.27\.0 \| \(none\) → go1\.27\.3 \| pass \| tidy pass, test pass \|\n/);
  assert.match(body, /\n\| `svc\/go\.mod` \| 1\.27\.0 \| go1\.27\.3 \| warn \| tidy pass, test pass \|\n/);
  assert.match(body, /\nAlso changed: `svc\/Dockerfile`\n/);
  assert.match(body, /- `svc\/go\.mod` \*\*PIN_DISAGREES\*\* \(warn\): svc\/Dockerfile pins golang:1\.23\|alpine\n {2}Use --all-pins\./);
  assert.doesNotMatch(body, /GODEBUG_DEFAULTS_CHANGE|999|ms\b/);
  assert.ok(body.trimEnd().endsWith(campaignMarker('gofleet/go1.27.3')));
});

test('the body is deterministic: the same results give the same text (so a re-run does not edit the PR)', () => {
  assert.equal(prBody(input), prBody({ ...input, modules: input.modules.map((m) => ({ ...m, steps: m.steps.map((s) => ({ ...s, durationMs: s.durationMs + 7 })) })) }));
});

test('a table cell cannot break the table', () => {
  const body = prBody({ ...input, modules: [mod({ dir: 'a|b' })] });
  assert.match(body, /\| `a\\\|b\/go\.mod` \|/);
});
