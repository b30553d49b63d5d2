import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { scratch } from '../inventory/test-helpers.ts';
import type { Inventory } from '../inventory/types.ts';
import { assignHosts } from './assign-hosts.ts';
import { parsePolicy } from './parse-policy.ts';

const s = scratch();
let inv: Inventory;
before(async () => {
  inv = await s.load('fleet.yml', `
    groups:
      windows-agents: { hosts: [win-01, win-02] }
      web: { hosts: [web-01, web-02] }
    hosts:
      build-01: { tags: [canary] }
      build-02: {}
      web-01: { tags: [canary] }
      web-02: {}
      win-01: {}
      win-02: {}
  `);
});
after(() => s.cleanup());

test('assignHosts: first match wins, --limit syntax, a pattern matching nothing is no error', () => {
  const policy = parsePolicy('p.yaml', `
channels:
  a: { track: latest }
  b: { pin: go1.26.8 }
  c: { track: "1.27" }
assign:
  - { hosts: "windows-agents,tag:canary", channel: a }
  - { hosts: "web:!web-02", channel: b }
  - { hosts: "no-such-group", channel: c }
  - { hosts: "build-*", channel: c }
`);
  const got = assignHosts(policy, inv);
  const byHost = Object.fromEntries([...got].map(([h, a]) => [h, `${a.index}:${a.channel}`]));
  assert.deepEqual(byHost, { 'win-01': '0:a', 'win-02': '0:a', 'build-01': '0:a', 'web-01': '0:a', 'build-02': '3:c' });
  assert.equal(got.has('web-02'), false, 'excluded by ! and matched by nothing later: unassigned');
});
