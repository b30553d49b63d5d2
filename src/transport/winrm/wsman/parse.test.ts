// Parsers against responses in the shape real hosts send (testdata/: pywinrm's canned responses, and faults,
// Receive and config bodies retyped from masterzen/winrm fixtures and issue reports).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { GofleetError } from '../../../errors.ts';
import { describeFault, parseFault } from './faults.ts';
import { parseCommandResponse, parseConfig, parseReceiveResponse, parseShellCreated } from './parse.ts';

const fixture = (name: string): string => readFileSync(join(import.meta.dirname, 'testdata', name), 'utf8');

test('Create and Command responses: ShellId and CommandId', () => {
  assert.deepEqual(parseShellCreated(fixture('pywinrm-open-shell-response.xml')), { shellId: '11111111-1111-1111-1111-111111111113' });
  assert.deepEqual(parseCommandResponse(fixture('pywinrm-run-cmd-response.xml')), { commandId: '11111111-1111-1111-1111-111111111114' });
  assert.equal(parseFault(fixture('pywinrm-run-cmd-response.xml')), null, 'a normal response is no fault');
});

test('Receive: base64 chunks in document order per stream, CommandState Done with its ExitCode', () => {
  const running = parseReceiveResponse(fixture('receive-running.xml'));
  assert.deepEqual(running.chunks.map((c) => [c.stream, c.data.toString('utf8')]),
    [['stdout', 'gofleet says hi'], ['stderr', 'gofleet-pid:4008\r\n'], ['stdout', '\r\nété\r\n']]);
  assert.equal(running.done, false);
  assert.equal(running.exitCode, null);
  const done = parseReceiveResponse(fixture('receive-done.xml'));
  assert.deepEqual(done, { chunks: [], done: true, exitCode: 123 });
  const ipconfig = parseReceiveResponse(fixture('pywinrm-get-cmd-output-response.xml'));
  assert.equal(ipconfig.done, true);
  assert.equal(ipconfig.exitCode, 0);
  const stdout = Buffer.concat(ipconfig.chunks.filter((c) => c.stream === 'stdout').map((c) => c.data)).toString();
  assert.match(stdout, /^\r\nWindows IP Configuration\r\n\r\n {3}Host Name .*WINDOWS-HOST\n/);
});

test('faults: kind, WSManFault code and the host\'s message', () => {
  const cases: [string, string, number, RegExp][] = [
    ['fault-operation-timeout.xml', 'timeout', 2150858793, /^The WS-Management service cannot complete the operation within the time specified in OperationTimeout\.$/],
    ['fault-quota-max-operations.xml', 'quota', 0x803381a6, /maximum number of 1500 concurrent operations/],
    ['fault-busy.xml', 'busy', 170, /^The requested resource is in use\.$/],
    ['fault-access-denied.xml', 'access_denied', 5, /^Access is denied\.$/],
    ['fault-shell-not-found.xml', 'shell_not_found', 2150858843, /ShellId 91564AC3-CEAF-4C7A-B58C-82BC2528BD54 failed because the shell was not found/],
    ['fault-filename-too-long.xml', 'other', 2147942606, /^The filename or extension is too long\.$/],
  ];
  for (const [file, kind, code, message] of cases) {
    const f = parseFault(fixture(file));
    assert.ok(f, file);
    assert.equal(f.kind, kind, file);
    assert.equal(f.code, code, file);
    assert.match(f.message, message, file);
  }
  assert.equal(parseFault(fixture('fault-shell-not-found.xml'))?.subcode, 'InvalidSelectors');
  assert.equal(describeFault(parseFault(fixture('fault-quota-max-operations.xml'))!),
    'WinRM quota exceeded: The WS-Management service cannot process the request. This user is allowed a maximum number ' +
    'of 1500 concurrent operations, which has been exceeded. Close existing operations for this user, or raise the quota ' +
    'for this user. [WSManFault 2150859174 = 0x803381A6]');
});

test('a fault without a WSManFault detail: the SOAP reason and subcode decide', () => {
  const xml = '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><s:Fault><s:Code><s:Value>s:Receiver</s:Value>' +
    '<s:Subcode><s:Value>w:TimedOut</s:Value></s:Subcode></s:Code><s:Reason><s:Text xml:lang="en-US">late</s:Text></s:Reason></s:Fault></s:Body></s:Envelope>';
  assert.deepEqual(parseFault(xml), { kind: 'timeout', code: null, message: 'late', subcode: 'TimedOut' });
});

test('winrm/config and winrm/config/Winrs: envelope size, timeout and shell quotas', () => {
  assert.deepEqual(parseConfig(fixture('config-get.xml')), {
    maxEnvelopeSizeKb: 500, maxTimeoutMs: 60000, maxMemoryPerShellMB: 2147483647, maxShellsPerUser: 2147483647, maxProcessesPerShell: 2147483647,
  });
  assert.deepEqual(parseConfig(fixture('config-winrs-get.xml')), { maxMemoryPerShellMB: 1024, maxShellsPerUser: 30, maxProcessesPerShell: 25 });
});

test('not WS-Management: WINRM_PROTOCOL, never a wrong value', () => {
  const bad = [
    () => parseShellCreated('<html><body>IIS</body></html>'),
    () => parseReceiveResponse('<s:Envelope xmlns:s="x"><s:Body><rsp:ReceiveResponse xmlns:rsp="y"><rsp:Stream Name="stdout">!!!</rsp:Stream></rsp:ReceiveResponse></s:Body></s:Envelope>'),
    () => parseCommandResponse(fixture('pywinrm-open-shell-response.xml')),
    () => parseFault('<s:Envelope><s:Body>'),
    () => parseReceiveResponse(fixture('receive-done.xml').replace('<rsp:ExitCode>123', '<rsp:ExitCode>abc')),
  ];
  for (const f of bad) assert.throws(f, (e: unknown) => e instanceof GofleetError && e.code === 'WINRM_PROTOCOL');
});
