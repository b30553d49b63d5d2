// `use` and `rollback` meet another gofleet run's host lock as `upgrade` does (other-run-lock.ts): they wait for
// it, read the host again and decide from what it is now, instead of failing with HOST_LOCKED. A fake transport
// and dialect stand in for the host: the facts script answers from a queue, the switch script with an outcome.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { HostSpec } from '../inventory/types.ts';
import type { HostFacts, PlatformDialect, ScriptOutcome, SwitchIntent, VerifyPolicy } from '../platform/types.ts';
import { posixPrivilege } from '../platform/posix/privilege.ts';
import { posixRemoteShell } from '../platform/posix/remote-shell.ts';
import type { ExecOptions, ExecResult, Transport } from '../transport/types.ts';
import type { EngineContext } from './context.ts';
import { Sessions } from './sessions.ts';
import { switchHost } from './switch-host.ts';

const RUN = 'run-mine';
const OTHER = { pid: '4242', run: 'run-other', since: '2026-12-02T17:00:00Z', stale: false };

function facts(active: string, previous: string | null, lock: HostFacts['lock'] = null): HostFacts {
  return {
    os: 'linux', arch: 'amd64', kernel: '6.1', osVersion: 'Debian', user: 'root', isRoot: true, sudo: 'n/a', go: null,
    goroot: { path: '/usr/local/go', state: 'link', target: `/usr/local/gofleet/versions/${active}`, version: active },
    managed: { active, versions: ['go1.26.8', 'go1.27.3'], previous, unverified: null, previousLink: null },
    lock,
  } as unknown as HostFacts;
}

interface FakeHost {
  /** facts the host answers, in order (the last one repeats) */
  facts: HostFacts[];
  /** outcomes of the switch scripts, in order */
  outcomes: ScriptOutcome[];
  /** targets of the switch scripts run */
  switched: string[];
}

const outcome = (result: ScriptOutcome['result'], active: string, previous: string, code?: string): ScriptOutcome =>
  ({ result, active, previous, warnings: [], ...(code ? { code, message: `code ${code}` } : {}) });

function fakeDialect(): PlatformDialect {
  return {
    privilege: posixPrivilege,
    remoteShell: posixRemoteShell,
    scriptCommand: () => 'sh -s',
    facts: () => 'FACTS',
    parseFacts: (stdout: string) => JSON.parse(stdout) as HostFacts,
    switchTo: (intent: SwitchIntent) => `SWITCH ${intent.target}`,
    parseRun: (stdout: string) => ({ steps: [], outcome: stdout ? (JSON.parse(stdout) as ScriptOutcome) : null }),
  } as unknown as PlatformDialect;
}

function fakeTransport(host: FakeHost): Transport {
  let read = 0;
  const result = (stdout: string): ExecResult => ({ exitCode: 0, signal: null, stdout, stderr: '', durationMs: 1, timedOut: false });
  return {
    host: 'h1',
    capabilities: { stdinScripts: true, nativeFileTransfer: false },
    shell: undefined,
    useShell() {},
    stats: { execCount: 0, bytesSent: 0, bytesReceived: 0, connectMs: 0 },
    async exec(_cmd: string, o: ExecOptions = {}) {
      const stdin = String(o.stdin);
      if (stdin === 'FACTS') return result(JSON.stringify(host.facts[Math.min(read++, host.facts.length - 1)]));
      host.switched.push(stdin.replace('SWITCH ', ''));
      const next = host.outcomes.shift();
      assert.ok(next, `unexpected switch script: ${stdin}`);
      return result(JSON.stringify(next));
    },
    put: async () => {},
    get: async () => {},
    close: async () => {},
  };
}

async function run(host: FakeHost, version: string | null) {
  const transport = fakeTransport(host);
  const dialect = fakeDialect();
  let t = 0;
  const ctx: EngineContext = {
    run: RUN,
    connect: async () => transport,
    dialectFor: () => dialect,
    fetchArchive: () => Promise.reject(new Error('no downloads in use/rollback')),
    archiveInfo: () => Promise.reject(new Error('no downloads in use/rollback')),
    emit: () => {},
    now: () => (t += 10),
    verify: {} as VerifyPolicy,
    stepTimeoutMs: 60_000,
  };
  const sessions = new Sessions(ctx.connect);
  const spec = { name: 'h1', address: 'h1', port: 22, transport: 'ssh', os: 'linux', knownHosts: '', become: false, tags: [], groups: [], vars: {}, source: { file: 'f' } } as HostSpec;
  try {
    return await switchHost(spec, version, ctx, sessions);
  } finally {
    await sessions.closeAll();
  }
}

const WAITED = /another gofleet run (\(run-other\) )?held the host lock; waited for it, then read the host again/;

test('use: a host another run holds is waited for; switched there by that run, it is unchanged here', { timeout: 10_000 }, async () => {
  const host: FakeHost = { facts: [facts('go1.26.8', null, OTHER), facts('go1.27.3', 'go1.26.8')], outcomes: [], switched: [] };
  const r = await run(host, 'go1.27.3');
  assert.equal(r.status, 'unchanged', JSON.stringify(r));
  assert.deepEqual(host.switched, [], 'no switch script while another run held the lock');
  assert.deepEqual([r.from, r.to, r.error], ['go1.27.3', 'go1.27.3', null]);
  assert.match(r.warnings.join('\n'), WAITED);
  assert.ok(r.steps.some((s) => s.step === 'lock' && s.status === 'ok'), 'a lock step records the wait');
});

test('use: a lock met by the host script (taken after our facts) is waited for, then the switch runs again', { timeout: 10_000 }, async () => {
  const host: FakeHost = {
    facts: [facts('go1.26.8', null), facts('go1.26.8', null)],
    outcomes: [outcome('failed', 'go1.26.8', 'go1.26.8', 'HOST_LOCKED'), outcome('switched', 'go1.27.3', 'go1.26.8')],
    switched: [],
  };
  const r = await run(host, 'go1.27.3');
  assert.equal(r.status, 'switched', JSON.stringify(r));
  assert.deepEqual(host.switched, ['go1.27.3', 'go1.27.3']);
  assert.match(r.warnings.join('\n'), WAITED);
});

test('rollback: decided from the host as it is once the other run released it', { timeout: 10_000 }, async () => {
  // the other run rolled the host back to go1.26.8 meanwhile: this rollback now undoes that switch
  const host: FakeHost = {
    facts: [facts('go1.27.3', 'go1.26.8', OTHER), facts('go1.26.8', 'go1.27.3')],
    outcomes: [outcome('switched', 'go1.27.3', 'go1.26.8')],
    switched: [],
  };
  const r = await run(host, null);
  assert.equal(r.status, 'switched', JSON.stringify(r));
  assert.deepEqual(host.switched, ['go1.27.3']);
  assert.deepEqual([r.from, r.to], ['go1.26.8', 'go1.27.3']);
  assert.match(r.warnings.join('\n'), WAITED);
});
