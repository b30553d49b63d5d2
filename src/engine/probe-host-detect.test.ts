// probeHost picks the dialect: from the inventory's os when it says one, else from the shell that answers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GofleetError } from '../errors.ts';
import type { HostSpec } from '../inventory/types.ts';
import { posix } from '../platform/posix/index.ts';
import type { RemoteShell } from '../platform/remote-shell.ts';
import type { HostOs } from '../platform/types.ts';
import type { ExecResult, Transport } from '../transport/types.ts';
import type { EngineContext } from './context.ts';
import { HostRecorder } from './host-recorder.ts';
import { probeHost } from './probe-host.ts';
import { Sessions } from './sessions.ts';

const FACTS = 'uname_s=Linux\nuname_m=x86_64\nuid=0\nuser=root\nsudo=n/a\ngoroot_state=missing\n';

/** A transport that answers the shell probe with `shellAnswer` and everything else with facts. */
function fakeTransport(shellAnswer: string): Transport & { sent: Array<{ command: string; shell: string | undefined }> } {
  const sent: Array<{ command: string; shell: string | undefined }> = [];
  let shell: RemoteShell | undefined;
  const result = (stdout: string): ExecResult => ({ exitCode: 0, signal: null, stdout, stderr: '', durationMs: 1, timedOut: false });
  return {
    host: 'h1',
    capabilities: { stdinScripts: true, nativeFileTransfer: true },
    stats: { execCount: 0, bytesSent: 0, bytesReceived: 0, connectMs: 0 },
    sent,
    get shell() {
      return shell;
    },
    useShell: (s) => void (shell = s),
    async exec(command) {
      sent.push({ command, shell: shell?.kind });
      return result(command.startsWith('echo gofleet-shell') ? shellAnswer : FACTS);
    },
    put: async () => undefined,
    get: async () => undefined,
    close: async () => undefined,
  };
}

async function probe(os: HostOs | undefined, shellAnswer: string) {
  const transport = fakeTransport(shellAnswer);
  const asked: Array<[HostOs, string | undefined]> = [];
  const spec = { name: 'h1', address: 'h1', port: 22, transport: 'ssh', knownHosts: '/dev/null', become: false, tags: [], groups: [],
    vars: {}, source: { file: 'inv.yml' }, ...(os ? { os } : {}) } as HostSpec;
  const ctx = {
    run: 'r1',
    dialectFor: (o: HostOs, login?: string) => {
      asked.push([o, login]);
      if (o === 'windows') throw new GofleetError('UNSUPPORTED_PLATFORM', 'no Windows dialect in this test');
      return posix;
    },
  } as unknown as EngineContext;
  const rec = new HostRecorder('h1', 'r1', () => undefined, () => 0);
  const sessions = new Sessions(async () => transport);
  const outcome = await probeHost(spec, ctx, sessions, rec).then((p) => ({ ok: p }), (err: unknown) => ({ err: err as GofleetError }));
  return { transport, asked, rec, outcome };
}

test('probeHost without an inventory os: the shell probe first (sent bare), then the facts through the dialect\'s remote shell', async () => {
  const { transport, asked, outcome } = await probe(undefined, 'gofleet-shell %OS%\n');
  assert.deepEqual(transport.sent.map((s) => [s.command, s.shell]), [["echo gofleet-shell '%OS%'", undefined], ['sh -s', 'posix']]);
  assert.deepEqual(asked, [['linux', 'posix']]);
  assert.ok('ok' in outcome && outcome.ok.facts.os === 'linux');
});

test('probeHost with an inventory os linux/darwin: no shell probe (one round trip); the facts check the hint', async () => {
  const { transport, asked, outcome, rec } = await probe('darwin', '');
  assert.deepEqual(transport.sent.map((s) => s.command), ['sh -s']);
  assert.deepEqual(asked, [['darwin', undefined]]);
  assert.ok('ok' in outcome);
  assert.deepEqual(rec.warnings, ['inventory says os=darwin but the host reports linux']);
});

test('probeHost: cmd.exe or PowerShell answering picks the Windows dialect', async () => {
  for (const [answer, login] of [["gofleet-shell 'Windows_NT'\r\n", 'cmd'], ['gofleet-shell\r\n%OS%\r\n', 'powershell']] as const) {
    const { asked, outcome, rec } = await probe(undefined, answer);
    assert.deepEqual(asked, [['windows', login]]);
    assert.ok('err' in outcome && outcome.err.code === 'UNSUPPORTED_PLATFORM');
    assert.deepEqual(rec.steps.map((s) => [s.step, s.status]), [['connect', 'ok'], ['facts', 'fail']]);
  }
});

test('probeHost: a shell that answers in no known way is SHELL_UNRECOGNISED, nothing else is sent', async () => {
  const { transport, outcome } = await probe(undefined, 'This account is currently not available.\n');
  assert.ok('err' in outcome);
  assert.equal(outcome.err.code, 'SHELL_UNRECOGNISED');
  assert.match(outcome.err.message, /currently not available/);
  assert.equal(transport.sent.length, 1);
});

test('probeHost with an inventory os windows still probes: the adapter depends on the DefaultShell', async () => {
  const { transport, asked } = await probe('windows', 'gofleet-shell\r\n%OS%\r\n');
  assert.equal(transport.sent[0]?.command, "echo gofleet-shell '%OS%'");
  assert.deepEqual(asked, [['windows', 'powershell']]);
});
