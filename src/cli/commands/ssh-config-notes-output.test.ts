// ssh config notes (what ~/.ssh/config asked that gofleet did not do as OpenSSH would) reach `facts` and `plan`,
// not only `gofleet inventory`: one line per host with notes in the human output, an optional
// `ssh_config_notes` field on the host's JSON entry (absent for a host without notes).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { HostFactsResult } from '../../engine/facts-host.ts';
import type { FleetPlan } from '../../engine/plan-fleet.ts';
import type { HostSpec } from '../../inventory/types.ts';
import { factsJson, factsText } from './facts.ts';
import { planDocument, planText } from './plan.ts';

const NOTE = '/home/u/.ssh/config:12: Match exec "test -f /x" was not run (gofleet never runs commands from the ssh config while reading it); the block was treated as not matching';
const spec = (name: string, notes?: string[]): HostSpec =>
  ({ name, address: name, port: 22, transport: 'ssh', knownHosts: '', become: false, tags: [], groups: [], vars: {}, source: { file: 'f' }, ...(notes ? { sshConfigNotes: notes } : {}) }) as HostSpec;
const hosts = [spec('a', [NOTE, 'second note']), spec('b')];
const unreachable = (name: string): HostFactsResult =>
  ({ name, reachable: false, facts: null, paths: null, become: false, privilege: null, error: { code: 'HOST_UNREACHABLE', message: 'refused' }, warnings: [] }) as unknown as HostFactsResult;
const plan: FleetPlan = {
  target: 'go1.27.3',
  waves: [{ hosts: ['a', 'b'].map((name) => ({ name, from: 'go1.26.8', to: 'go1.27.3', actions: ['stage', 'switch', 'verify'], skip: null })) }],
};

test('facts: one "ssh config:" line per host with notes, after the table', () => {
  const text = factsText([unreachable('a'), unreachable('b')], hosts);
  const lines = text.split('\n').filter((l) => l.startsWith('ssh config:'));
  assert.deepEqual(lines, [`ssh config: a: ${NOTE}; second note`]);
  assert.ok(text.endsWith(`${lines[0]}\n`), 'the notes come after the table');
});

test('plan: one "ssh config:" line per host with notes, after the table', () => {
  const text = planText(plan, hosts);
  assert.deepEqual(text.split('\n').filter((l) => l.startsWith('ssh config:')), [`ssh config: a: ${NOTE}; second note`]);
  assert.match(text, /^plan: upgrade to go1.27.3/);
});

test('facts --json and plan --json: ssh_config_notes on the host entry, only where there are notes', () => {
  const facts = factsJson([unreachable('a'), unreachable('b')], hosts) as { hosts: Record<string, unknown>[] };
  assert.deepEqual(facts.hosts[0]!.ssh_config_notes, [NOTE, 'second note']);
  assert.equal('ssh_config_notes' in facts.hosts[1]!, false);
  const doc = planDocument(plan, hosts) as { target: string; waves: { hosts: Record<string, unknown>[] }[] };
  assert.equal(doc.target, 'go1.27.3');
  assert.deepEqual(doc.waves[0]!.hosts[0], { name: 'a', from: 'go1.26.8', to: 'go1.27.3', actions: ['stage', 'switch', 'verify'], skip: null, ssh_config_notes: [NOTE, 'second note'] });
  assert.equal('ssh_config_notes' in doc.waves[0]!.hosts[1]!, false);
});

test('a note is shown through redact and safeText: no secret, no terminal control sequence', () => {
  const text = factsText([unreachable('a')], [spec('a', ['~/.ssh/config:3: Match exec "curl -H token=\u001b[2J"'])]);
  assert.equal(text.includes('\u001b'), false, 'no raw ESC');
  assert.match(text, /ssh config: a: .*\\u001b\[2J/);
});
