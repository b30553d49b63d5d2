// After a journal failure, the runtime settles the run row (marks a run still `running` interrupted, so `resume` can
// take it) -- unless the command is a worker's host job (issue 14): there the run row is the live coordinator's, and
// marking it interrupted would let a `resume` start a second coordinator on the same run.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { HostSpec } from '../inventory/types.ts';
import type { Store } from '../store/index.ts';
import type { GlobalOptions } from './global-options.ts';
import { createRuntime } from './runtime.ts';

const host: HostSpec = { name: 'h1', address: 'h1', port: 22, transport: 'ssh', knownHosts: '', become: false, tags: [], groups: [], vars: {}, source: { file: 'job' } };
const io = { out: () => undefined, err: () => undefined, stdoutTty: false, stderrTty: false };

function journal(marked: string[]): Store {
  return {
    flush: async () => undefined,
    getRun: async (run: string) => ({ id: run, status: 'running' }),
    markInterrupted: async (run: string) => void marked.push(run),
  } as unknown as Store;
}

async function settle(hostsOnly: boolean): Promise<string[]> {
  const marked: string[] = [];
  const options = { inventory: 'unused', json: false, yes: true, parallel: 1, sources: [], journal: true, state: '/nonexistent/unused.db', logLevel: 'silent' } as unknown as GlobalOptions;
  const rt = await createRuntime(options, {}, io, undefined, ['use', 'go1.27.3'], { hosts: [host], run: 'r1', journal: journal(marked), ...(hostsOnly ? { journalHostsOnly: true } : {}) });
  try {
    await rt.openJournal();
    await rt.settleJournal('r1');
  } finally {
    await rt.dispose();
  }
  return marked;
}

test("a worker's host job never marks its coordinator's run interrupted after a journal failure", async () => {
  assert.deepEqual(await settle(true), []);
});

test('a command of its own marks its run, still running after a journal failure, interrupted', async () => {
  assert.deepEqual(await settle(false), ['r1']);
});
