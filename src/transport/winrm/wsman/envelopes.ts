// SOAP envelopes of the WinRS shell protocol (MS-WSMV 3.1.4): template strings, every interpolated value through
// xmlEscape. Message IDs are passed in (the caller makes them with randomUUID; tests fix them), so an envelope
// is a pure function of its arguments. The headers and option sets are the ones pywinrm sends (protocol.py).
import { ACTION, ANONYMOUS, NS, RESOURCE, SIGNAL } from './namespaces.ts';
import { xmlEscape as x } from './xml-escape.ts';

export interface WsmanTarget {
  /** the endpoint, e.g. http://host:5985/wsman (header a:To) */
  url: string;
  /** bytes, header w:MaxEnvelopeSize: the largest response the client accepts */
  maxEnvelopeSize: number;
  /** w:OperationTimeout: how long the host may hold a Receive before its OperationTimeout fault */
  operationTimeoutSec: number;
  /** w:Locale and p:DataLocale (default en-US) */
  locale?: string;
}

interface HeaderParts {
  action: string;
  resourceUri: string;
  messageId: string;
  shellId?: string;
  options?: [name: string, value: string][];
}

function uuidUrn(messageId: string): string {
  return messageId.startsWith('uuid:') ? messageId : `uuid:${messageId}`;
}

function envelope(t: WsmanTarget, h: HeaderParts, body: string): string {
  const locale = x(t.locale ?? 'en-US');
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    `<env:Envelope xmlns:env="${NS.env}" xmlns:a="${NS.a}" xmlns:w="${NS.w}" xmlns:p="${NS.p}" xmlns:rsp="${NS.rsp}">`,
    '  <env:Header>',
    `    <a:To>${x(t.url)}</a:To>`,
    `    <a:ReplyTo><a:Address mustUnderstand="true">${ANONYMOUS}</a:Address></a:ReplyTo>`,
    `    <w:MaxEnvelopeSize mustUnderstand="true">${positiveInt(t.maxEnvelopeSize, 'maxEnvelopeSize')}</w:MaxEnvelopeSize>`,
    `    <a:MessageID>${x(uuidUrn(h.messageId))}</a:MessageID>`,
    `    <w:Locale mustUnderstand="false" xml:lang="${locale}"/>`,
    `    <p:DataLocale mustUnderstand="false" xml:lang="${locale}"/>`,
    `    <w:OperationTimeout>PT${positiveInt(t.operationTimeoutSec, 'operationTimeoutSec')}S</w:OperationTimeout>`,
    `    <w:ResourceURI mustUnderstand="true">${h.resourceUri}</w:ResourceURI>`,
    `    <a:Action mustUnderstand="true">${h.action}</a:Action>`,
  ];
  if (h.shellId !== undefined) {
    lines.push(`    <w:SelectorSet><w:Selector Name="ShellId">${x(h.shellId)}</w:Selector></w:SelectorSet>`);
  }
  if (h.options?.length) {
    lines.push('    <w:OptionSet>',
      ...h.options.map(([name, value]) => `      <w:Option Name="${x(name)}">${x(value)}</w:Option>`), '    </w:OptionSet>');
  }
  lines.push('  </env:Header>', body ? `  <env:Body>\n${body}\n  </env:Body>` : '  <env:Body/>', '</env:Envelope>');
  return `${lines.join('\n')}\n`;
}

function positiveInt(n: number, what: string): number {
  if (!Number.isInteger(n) || n <= 0) throw new RangeError(`${what} must be a positive integer, got ${n}`);
  return n;
}

const bool = (b: boolean): string => (b ? 'TRUE' : 'FALSE');

export interface CreateShellOptions {
  messageId: string;
  /** WINRS_CODEPAGE (default 65001, UTF-8; pywinrm's default is 437) */
  codepage?: number;
  /** WINRS_NOPROFILE (default true) */
  noProfile?: boolean;
  workingDirectory?: string;
  env?: Record<string, string>;
  /** rsp:IdleTimeOut, seconds */
  idleTimeoutSec?: number;
}

export function createShellEnvelope(t: WsmanTarget, o: CreateShellOptions): string {
  const shell = ['    <rsp:Shell>', '      <rsp:InputStreams>stdin</rsp:InputStreams>',
    '      <rsp:OutputStreams>stdout stderr</rsp:OutputStreams>'];
  if (o.workingDirectory !== undefined) shell.push(`      <rsp:WorkingDirectory>${x(o.workingDirectory)}</rsp:WorkingDirectory>`);
  if (o.idleTimeoutSec !== undefined) shell.push(`      <rsp:IdleTimeOut>PT${positiveInt(o.idleTimeoutSec, 'idleTimeoutSec')}S</rsp:IdleTimeOut>`);
  const vars = Object.entries(o.env ?? {});
  if (vars.length) {
    shell.push('      <rsp:Environment>',
      ...vars.map(([k, v]) => `        <rsp:Variable Name="${x(k)}">${x(v)}</rsp:Variable>`), '      </rsp:Environment>');
  }
  shell.push('    </rsp:Shell>');
  return envelope(t, {
    action: ACTION.create, resourceUri: RESOURCE.cmd, messageId: o.messageId,
    options: [['WINRS_NOPROFILE', bool(o.noProfile ?? true)], ['WINRS_CODEPAGE', String(positiveInt(o.codepage ?? 65001, 'codepage'))]],
  }, shell.join('\n'));
}

export interface CommandOptions {
  messageId: string;
  command: string;
  /** joined by spaces into rsp:Arguments, as pywinrm does (quoting is the caller's) */
  args?: string[];
  /** WINRS_SKIP_CMD_SHELL (default false: the line goes through cmd.exe /c, as over Windows OpenSSH) */
  skipCmdShell?: boolean;
}

export function commandEnvelope(t: WsmanTarget, shellId: string, o: CommandOptions): string {
  const line = [`      <rsp:Command>${x(o.command)}</rsp:Command>`];
  if (o.args?.length) line.push(`      <rsp:Arguments>${x(o.args.join(' '))}</rsp:Arguments>`);
  return envelope(t, {
    action: ACTION.command, resourceUri: RESOURCE.cmd, messageId: o.messageId, shellId,
    options: [['WINRS_CONSOLEMODE_STDIN', 'TRUE'], ['WINRS_SKIP_CMD_SHELL', bool(o.skipCmdShell ?? false)]],
  }, ['    <rsp:CommandLine>', ...line, '    </rsp:CommandLine>'].join('\n'));
}

/** stdin bytes for a command (base64); `end` closes its stdin. Keep data under sendChunkSize(). */
export function sendEnvelope(t: WsmanTarget, shellId: string, commandId: string, data: Buffer, end: boolean, messageId: string): string {
  const endAttr = end ? ' End="true"' : '';
  return envelope(t, { action: ACTION.send, resourceUri: RESOURCE.cmd, messageId, shellId }, [
    '    <rsp:Send>',
    `      <rsp:Stream Name="stdin" CommandId="${x(commandId)}"${endAttr}>${data.toString('base64')}</rsp:Stream>`,
    '    </rsp:Send>',
  ].join('\n'));
}

export function receiveEnvelope(t: WsmanTarget, shellId: string, commandId: string, messageId: string): string {
  return envelope(t, { action: ACTION.receive, resourceUri: RESOURCE.cmd, messageId, shellId }, [
    '    <rsp:Receive>',
    `      <rsp:DesiredStream CommandId="${x(commandId)}">stdout stderr</rsp:DesiredStream>`,
    '    </rsp:Receive>',
  ].join('\n'));
}

export function signalEnvelope(t: WsmanTarget, shellId: string, commandId: string, code: 'terminate' | 'ctrl_c', messageId: string): string {
  return envelope(t, { action: ACTION.signal, resourceUri: RESOURCE.cmd, messageId, shellId }, [
    `    <rsp:Signal CommandId="${x(commandId)}">`,
    `      <rsp:Code>${SIGNAL[code]}</rsp:Code>`,
    '    </rsp:Signal>',
  ].join('\n'));
}

export function deleteShellEnvelope(t: WsmanTarget, shellId: string, messageId: string): string {
  return envelope(t, { action: ACTION.delete, resourceUri: RESOURCE.cmd, messageId, shellId }, '');
}

/** WS-Transfer Get of winrm/config (MaxEnvelopeSizekb, MaxTimeoutms, ...) or winrm/config/Winrs (shell quotas). */
export function getConfigEnvelope(t: WsmanTarget, messageId: string, which: 'config' | 'winrs'): string {
  return envelope(t, { action: ACTION.get, resourceUri: which === 'config' ? RESOURCE.config : RESOURCE.winrs, messageId }, '');
}

/** Bytes in a Send envelope besides the stdin's base64 (headers, ids up to 64 characters), with room to spare. */
export const SEND_OVERHEAD_BYTES = 4096;

/**
 * Bytes of stdin per Send so that the request stays under the host's MaxEnvelopeSizekb: the base64 of n bytes
 * is 4*ceil(n/3) characters, after SEND_OVERHEAD_BYTES for the rest of the envelope.
 */
export function sendChunkSize(maxEnvelopeSizeKb: number): number {
  const room = positiveInt(maxEnvelopeSizeKb, 'maxEnvelopeSizeKb') * 1024 - SEND_OVERHEAD_BYTES;
  if (room < 1024) throw new RangeError(`MaxEnvelopeSizekb ${maxEnvelopeSizeKb} leaves no room for stdin`);
  return Math.floor(room / 4) * 3;
}
