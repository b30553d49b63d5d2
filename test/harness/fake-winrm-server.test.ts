// The fake WinRM host speaks the WinRS shell protocol: driven with gofleet's envelope builders and parsers, and
// with hand-written requests (other prefixes, other layout) so it is not only our own reading. The pywinrm
// cross-check is fake-winrm-pywinrm.test.ts.
import assert from 'node:assert/strict';
import { Agent, request } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { after, describe, test } from 'node:test';
import { bootstrapCommandLine } from '../../src/platform/windows/bootstrap.ts';
import {
  commandEnvelope, createShellEnvelope, deleteShellEnvelope, getConfigEnvelope, parseCommandResponse, parseConfig, parseFault,
  parseReceiveResponse, parseShellCreated, receiveEnvelope, sendChunkSize, sendEnvelope, signalEnvelope, type WsmanTarget,
} from '../../src/transport/winrm/wsman/index.ts';
import { startFakeWinrmHost, type FakeWinrmHost, type FakeWinrmOptions } from './fake-winrm-server.ts';
import { makeTestCerts } from './test-certs.ts';

const hosts: FakeWinrmHost[] = [];
const agent = new Agent({ keepAlive: true, maxSockets: 4 });
after(async () => {
  agent.destroy();
  await Promise.all(hosts.map((h) => h.stop()));
});
async function start(o: FakeWinrmOptions = {}): Promise<FakeWinrmHost> {
  const h = await startFakeWinrmHost(o);
  hosts.push(h);
  return h;
}
const BOOT = bootstrapCommandLine();
let ids = 0;
const mid = (): string => `00000000-0000-4000-8000-${String(++ids).padStart(12, '0')}`;

interface Answer { status: number; body: string }
function post(h: FakeWinrmHost, soap: string, contentType = 'application/soap+xml;charset=UTF-8'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(h.url, { method: 'POST', agent, headers: { 'Content-Type': contentType } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d)).on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(soap);
  });
}
async function ok(h: FakeWinrmHost, soap: string): Promise<string> {
  const a = await post(h, soap);
  assert.equal(a.status, 200, a.body);
  return a.body;
}

const target = (h: FakeWinrmHost, operationTimeoutSec = 20): WsmanTarget => ({ url: h.url, maxEnvelopeSize: 153600, operationTimeoutSec });

/** Create, Command, stdin, Receive until Done (re-issued on OperationTimeout), Signal terminate, Delete. */
async function run(h: FakeWinrmHost, command: string, stdin?: Buffer, t = target(h)) {
  const { shellId } = parseShellCreated(await ok(h, createShellEnvelope(t, { messageId: mid() })));
  const { commandId } = parseCommandResponse(await ok(h, commandEnvelope(t, shellId, { messageId: mid(), command })));
  if (stdin) {
    const size = sendChunkSize(8);
    for (let at = 0; at < stdin.length || at === 0; at += size) {
      await ok(h, sendEnvelope(t, shellId, commandId, stdin.subarray(at, at + size), at + size >= stdin.length, mid()));
    }
  }
  const out = { stdout: '', stderr: '', exitCode: null as number | null, timeouts: 0 };
  for (;;) {
    const a = await post(h, receiveEnvelope(t, shellId, commandId, mid()));
    if (a.status === 500 && parseFault(a.body)?.kind === 'timeout') {
      out.timeouts++;
      continue;
    }
    assert.equal(a.status, 200, a.body);
    const r = parseReceiveResponse(a.body);
    for (const c of r.chunks) out[c.stream] += c.data.toString('utf8');
    if (r.done) {
      out.exitCode = r.exitCode;
      break;
    }
  }
  await ok(h, signalEnvelope(t, shellId, commandId, 'terminate', mid()));
  await ok(h, deleteShellEnvelope(t, shellId, mid()));
  return out;
}

describe('fake WinRM host', { timeout: 60_000 }, () => {
  test('the production bootstrap over WinRS: pid line, the script from Send chunks, CRLF output, exit code; RelatesTo echoed', async () => {
    const h = await start({ respond: (script, ctx) => ({ stdout: `ran ${script.length} chars as ${ctx.pid}\n`, stderr: 'warn\n', exitCode: 3 }) });
    const script = `Write-Output '${'é'.repeat(6000)}'\n`; // Send chunks sized for 8 KB envelopes
    const out = await run(h, BOOT, Buffer.from(script));
    assert.equal(h.scripts.at(-1), script);
    assert.match(out.stderr, /^gofleet-pid:(\d+)\r\nwarn\r\n$/);
    const pid = /gofleet-pid:(\d+)/.exec(out.stderr)![1];
    assert.equal(out.stdout, `ran ${script.length} chars as ${pid}\r\n`);
    assert.equal(out.exitCode, 3);
    assert.deepEqual(h.commands, [BOOT]);
    assert.equal(h.shells(), 0, 'Delete ended the shell');
    assert.equal(h.requests.filter((r) => r.action === 'Send').length, Math.ceil(Buffer.byteLength(script) / sendChunkSize(8)));
    const id = mid();
    const created = await ok(h, createShellEnvelope(target(h), { messageId: id }));
    assert.match(created, new RegExp(`<a:RelatesTo>uuid:${id}</a:RelatesTo>`));
  });

  test('hand-written requests (wsa:/wsman: prefixes, no XML declaration): cmd.exe echo and "not recognized"', async () => {
    const h = await start();
    const req = (action: string, body: string, extra = ''): string =>
      `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:wsa="http://schemas.xmlsoap.org/ws/2004/08/addressing" ` +
      `xmlns:wsman="http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd" xmlns:sh="http://schemas.microsoft.com/wbem/wsman/1/windows/shell">` +
      `<s:Header><wsa:Action s:mustUnderstand="true">${action}</wsa:Action><wsa:To>${h.url}</wsa:To>` +
      `<wsman:ResourceURI s:mustUnderstand="true">http://schemas.microsoft.com/wbem/wsman/1/windows/shell/cmd</wsman:ResourceURI>` +
      `<wsa:MessageID>uuid:${mid()}</wsa:MessageID><wsman:OperationTimeout>PT5.000S</wsman:OperationTimeout>${extra}</s:Header><s:Body>${body}</s:Body></s:Envelope>`;
    const created = await ok(h, req('http://schemas.xmlsoap.org/ws/2004/09/transfer/Create',
      '<sh:Shell><sh:InputStreams>stdin</sh:InputStreams><sh:OutputStreams>stdout stderr</sh:OutputStreams></sh:Shell>'));
    const shellId = /Name="ShellId">([^<]+)</.exec(created)![1]!;
    const sel = `<wsman:SelectorSet><wsman:Selector Name="ShellId">${shellId}</wsman:Selector></wsman:SelectorSet>`;
    const runLine = async (line: string) => {
      const cmd = await ok(h, req('http://schemas.microsoft.com/wbem/wsman/1/windows/shell/Command',
        `<sh:CommandLine><sh:Command>${line}</sh:Command></sh:CommandLine>`, sel));
      const commandId = /<rsp:CommandId>([^<]+)</.exec(cmd)![1]!;
      const got = await ok(h, req('http://schemas.microsoft.com/wbem/wsman/1/windows/shell/Receive',
        `<sh:Receive><sh:DesiredStream CommandId="${commandId}">stdout stderr</sh:DesiredStream></sh:Receive>`, sel));
      const streams = [...got.matchAll(/<rsp:Stream Name="(\w+)"[^>]*>([^<]*)</g)].map(([, n, b]) => `${n}:${Buffer.from(b!, 'base64').toString()}`);
      return { streams, exit: /<rsp:ExitCode>(\d+)</.exec(got)?.[1] };
    };
    assert.deepEqual(await runLine('echo %OS% on %COMPUTERNAME%'), { streams: ['stdout:Windows_NT on WIN-1\r\n', 'stdout:', 'stderr:'], exit: '0' });
    const refused = await runLine('uname -a');
    assert.equal(refused.exit, '1');
    assert.match(refused.streams[0]!, /^stderr:'uname' is not recognized as an internal or external command/);
  });

  test('a Receive with nothing ready gets the OperationTimeout fault (HTTP 500, 2150858793) and the output later', async () => {
    let release!: () => void;
    const h = await start({ operationTimeoutMs: 50, respond: async () => {
      await new Promise<void>((resolve) => (release = resolve));
      return { stdout: 'late\n' };
    } });
    const t = target(h, 1);
    const { shellId } = parseShellCreated(await ok(h, createShellEnvelope(t, { messageId: mid() })));
    const { commandId } = parseCommandResponse(await ok(h, commandEnvelope(t, shellId, { messageId: mid(), command: BOOT })));
    await ok(h, sendEnvelope(t, shellId, commandId, Buffer.from('Start-Sleep 1\n'), true, mid()));
    const first = parseReceiveResponse(await ok(h, receiveEnvelope(t, shellId, commandId, mid())));
    assert.match(first.chunks[0]!.data.toString(), /^gofleet-pid:\d+\r\n$/);
    const timedOut = await post(h, receiveEnvelope(t, shellId, commandId, mid()));
    assert.equal(timedOut.status, 500);
    assert.deepEqual(parseFault(timedOut.body), {
      kind: 'timeout', code: 2150858793, subcode: 'TimedOut',
      message: 'The WS-Management service cannot complete the operation within the time specified in OperationTimeout.',
    });
    release();
    const r = parseReceiveResponse(await ok(h, receiveEnvelope(t, shellId, commandId, mid())));
    assert.deepEqual([r.chunks.map((c) => c.data.toString()), r.done, r.exitCode], [['late\r\n'], true, 0]);
  });

  test('injected faults (quota, busy, 500) answer the next requests of that operation, then it works again', async () => {
    const h = await start();
    const t = target(h);
    h.injectFault('Create', 'busy');
    h.injectFault('Create', '500');
    h.injectFault('Command', 'quota', 2);
    const busy = await post(h, createShellEnvelope(t, { messageId: mid() }));
    assert.deepEqual([busy.status, parseFault(busy.body)?.kind, parseFault(busy.body)?.code], [500, 'busy', 170]);
    const internal = await post(h, createShellEnvelope(t, { messageId: mid() }));
    assert.deepEqual([internal.status, parseFault(internal.body)?.kind], [500, 'other']);
    const { shellId } = parseShellCreated(await ok(h, createShellEnvelope(t, { messageId: mid() })));
    for (let i = 0; i < 2; i++) {
      const q = await post(h, commandEnvelope(t, shellId, { messageId: mid(), command: 'echo x' }));
      assert.deepEqual([q.status, parseFault(q.body)?.kind, parseFault(q.body)?.code], [500, 'quota', 0x803381a6]);
    }
    parseCommandResponse(await ok(h, commandEnvelope(t, shellId, { messageId: mid(), command: 'echo x' })));
    assert.equal(h.operations(shellId), 4, 'Create and three Commands: faults count too');
  });

  test('operations are never given back: past maxOperationsPerShell a Command gets the quota fault; a new shell works', async () => {
    const h = await start({ config: { maxOperationsPerShell: 6 } });
    const t = target(h);
    const out = await run(h, 'echo one'); // Create, Command, Receive, Signal, Delete: 5
    assert.equal(out.stdout, 'one\r\n');
    const { shellId } = parseShellCreated(await ok(h, createShellEnvelope(t, { messageId: mid() })));
    const c1 = parseCommandResponse(await ok(h, commandEnvelope(t, shellId, { messageId: mid(), command: 'echo a' })));
    for (let i = 0; i < 4; i++) await ok(h, receiveEnvelope(t, shellId, c1.commandId, mid())); // done already: answers at once
    const q = await post(h, commandEnvelope(t, shellId, { messageId: mid(), command: 'echo b' }));
    assert.equal(parseFault(q.body)?.kind, 'quota');
    assert.equal((await run(h, 'echo two')).stdout, 'two\r\n');
  });

  test('restart(): open connections are cut (a held Receive gets no answer, not a Done); every shell is gone; the old ShellId gets "shell not found" (w:InvalidSelectors, 2150858843)', { timeout: 20_000 }, async () => {
    const h = await start({ respond: (_s, ctx) => ctx.sleep(60_000).then(() => ({})) });
    const t = target(h);
    const { shellId } = parseShellCreated(await ok(h, createShellEnvelope(t, { messageId: mid() })));
    const { commandId } = parseCommandResponse(await ok(h, commandEnvelope(t, shellId, { messageId: mid(), command: BOOT })));
    await ok(h, sendEnvelope(t, shellId, commandId, Buffer.from('x\n'), true, mid()));
    assert.equal(h.running().length, 1);
    await ok(h, receiveEnvelope(t, shellId, commandId, mid())); // the pid line: the next Receive has to wait
    const taken = h.operations(shellId);
    const held = post(h, receiveEnvelope({ ...t, operationTimeoutSec: 30 }, shellId, commandId, mid()));
    while (h.operations(shellId) === taken) await new Promise((r) => setImmediate(r)); // the host holds the Receive
    h.restart();
    await assert.rejects(held, { code: 'ECONNRESET' });
    assert.deepEqual([h.shells(), h.running()], [0, []]);
    const a = await post(h, receiveEnvelope(t, shellId, commandId, mid()));
    const f = parseFault(a.body);
    assert.deepEqual([a.status, f?.kind, f?.code, f?.subcode], [500, 'shell_not_found', 2150858843, 'InvalidSelectors']);
    assert.match(f!.message, new RegExp(`ShellId ${shellId} failed because the shell was not found on the server`));
    assert.equal((await run(h, 'echo back')).stdout, 'back\r\n', 'a new shell works');
  });

  test('MaxEnvelopeSizekb: a larger request gets HTTP 413; winrm/config and Winrs report the configured quotas', async () => {
    const h = await start({ config: { maxEnvelopeSizeKb: 16, maxMemoryPerShellMB: 150, maxShellsPerUser: 1 } });
    const t = target(h);
    assert.deepEqual(parseConfig(await ok(h, getConfigEnvelope(t, mid(), 'config'))),
      { maxEnvelopeSizeKb: 16, maxTimeoutMs: 60000, maxMemoryPerShellMB: 150, maxShellsPerUser: 1, maxProcessesPerShell: 25 });
    assert.deepEqual(parseConfig(await ok(h, getConfigEnvelope(t, mid(), 'winrs'))), { maxMemoryPerShellMB: 150, maxShellsPerUser: 1, maxProcessesPerShell: 25 });
    const { shellId } = parseShellCreated(await ok(h, createShellEnvelope(t, { messageId: mid() })));
    const { commandId } = parseCommandResponse(await ok(h, commandEnvelope(t, shellId, { messageId: mid(), command: BOOT })));
    await ok(h, sendEnvelope(t, shellId, commandId, Buffer.alloc(sendChunkSize(16)), false, mid()));
    const big = await post(h, sendEnvelope(t, shellId, commandId, Buffer.alloc(sendChunkSize(16) + 3000), false, mid()));
    assert.deepEqual([big.status, big.body], [413, '']);
    const second = await post(h, createShellEnvelope(t, { messageId: mid() }));
    assert.deepEqual([second.status, parseFault(second.body)?.kind, parseFault(second.body)?.code], [500, 'quota', 0x803381a5]);
    assert.equal((await post(h, 'not xml', 'text/plain')).status, 415);
  });

  test('Signal terminate stops a running process (ctx.signal fires); ctrl_c ends one with 0xC000013A', async () => {
    const stopped: number[] = [];
    const h = await start({ respond: async (_s, ctx) => {
      await ctx.sleep(60_000).catch(() => stopped.push(ctx.pid));
      return {};
    } });
    const t = target(h);
    const { shellId } = parseShellCreated(await ok(h, createShellEnvelope(t, { messageId: mid() })));
    const start1 = parseCommandResponse(await ok(h, commandEnvelope(t, shellId, { messageId: mid(), command: BOOT })));
    await ok(h, sendEnvelope(t, shellId, start1.commandId, Buffer.from('Start-Sleep 60\n'), true, mid()));
    const [pid1] = h.running();
    await ok(h, signalEnvelope(t, shellId, start1.commandId, 'terminate', mid()));
    assert.deepEqual([h.terminations, stopped, h.running()], [[pid1], [pid1], []]);
    const start2 = parseCommandResponse(await ok(h, commandEnvelope(t, shellId, { messageId: mid(), command: BOOT })));
    await ok(h, sendEnvelope(t, shellId, start2.commandId, Buffer.from('Start-Sleep 60\n'), true, mid()));
    await ok(h, signalEnvelope(t, shellId, start2.commandId, 'ctrl_c', mid()));
    let r = parseReceiveResponse(await ok(h, receiveEnvelope(t, shellId, start2.commandId, mid())));
    while (!r.done) r = parseReceiveResponse(await ok(h, receiveEnvelope(t, shellId, start2.commandId, mid())));
    assert.equal(r.exitCode, 0xc000013a);
    assert.deepEqual(h.signals.map((s) => s.code), ['terminate', 'ctrl_c']);
  });

  test('o.https: the same protocol over TLS with the given certificate (checked by the client against its CA)', async () => {
    const certs = makeTestCerts();
    try {
      const h = await start({ https: { key: certs.server.key, cert: certs.server.cert } });
      assert.match(h.url, /^https:\/\/127\.0\.0\.1:\d+\/wsman$/);
      const soap = getConfigEnvelope(target(h), mid(), 'config');
      const body = await new Promise<string>((resolve, reject) => {
        const req = httpsRequest(h.url, { method: 'POST', ca: certs.ca.cert, servername: 'localhost', headers: { 'Content-Type': 'application/soap+xml;charset=UTF-8' } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (d: Buffer) => chunks.push(d)).on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        });
        req.on('error', reject);
        req.end(soap);
      });
      assert.equal(parseConfig(body).maxEnvelopeSizeKb, 500);
    } finally {
      certs.cleanup();
    }
  });
});
