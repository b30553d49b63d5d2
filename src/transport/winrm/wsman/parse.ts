// Parsers of the WinRS responses. Each takes the response body (a fault is not handled here: check parseFault
// first) and throws WINRM_PROTOCOL when the element it needs is missing.
import { GofleetError } from '../../../errors.ts';
import { COMMAND_STATE_DONE } from './namespaces.ts';
import { asList, asNode, attr, readEnvelope, textOf, type XmlNode } from './xml-read.ts';

function missing(what: string, where: string): GofleetError {
  return new GofleetError('WINRM_PROTOCOL', `the WinRM host's ${where} has no ${what}`);
}

/** Create's x:ResourceCreated: the ShellId selector (a host may also echo rsp:Shell/rsp:ShellId). */
export function parseShellCreated(xml: string): { shellId: string } {
  const { body } = readEnvelope(xml, 'Create response');
  const selectors = asList(asNode(asNode(asNode(body.ResourceCreated).ReferenceParameters).SelectorSet).Selector);
  const shellId = textOf(selectors.find((s) => attr(s, 'Name') === 'ShellId')) || textOf(asNode(body.Shell).ShellId);
  if (!shellId) throw missing('ShellId', 'Create response');
  return { shellId };
}

export function parseCommandResponse(xml: string): { commandId: string } {
  const { body } = readEnvelope(xml, 'Command response');
  const commandId = textOf(asNode(body.CommandResponse).CommandId);
  if (!commandId) throw missing('CommandId', 'Command response');
  return { commandId };
}

export interface ReceiveResult {
  /** in document order: WinRS has no sequence numbers, the host writes each stream's chunks in order */
  chunks: { stream: 'stdout' | 'stderr'; data: Buffer }[];
  done: boolean;
  /** when done: the process's exit code (a DWORD; 0xC000013A after Ctrl-C reads as 3221225786) */
  exitCode: number | null;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function streamChunk(s: XmlNode): ReceiveResult['chunks'][number] | undefined {
  const name = attr(s, 'Name');
  const text = textOf(s['#text']).replace(/\s/g, '');
  if (!text) return undefined; // End="true" markers carry nothing
  if (name !== 'stdout' && name !== 'stderr') throw new GofleetError('WINRM_PROTOCOL', `the WinRM host sent a stream named ${JSON.stringify(name)}`);
  if (!BASE64.test(text) || text.length % 4 !== 0) throw new GofleetError('WINRM_PROTOCOL', `the WinRM host's ${name} chunk is not base64`);
  return { stream: name, data: Buffer.from(text, 'base64') };
}

export function parseReceiveResponse(xml: string): ReceiveResult {
  const { body } = readEnvelope(xml, 'Receive response');
  if (!('ReceiveResponse' in body)) throw missing('ReceiveResponse', 'Receive response');
  const rr = asNode(body.ReceiveResponse);
  const chunks = asList(rr.Stream).map(streamChunk).filter((c) => c !== undefined);
  const state = asNode(rr.CommandState);
  const done = (attr(state, 'State') ?? '') === COMMAND_STATE_DONE;
  let exitCode: number | null = null;
  if (done) {
    const raw = textOf(state.ExitCode);
    if (raw !== '') {
      exitCode = Number(raw);
      if (!Number.isSafeInteger(exitCode)) throw new GofleetError('WINRM_PROTOCOL', `the WinRM host's exit code ${JSON.stringify(raw)} is not a number`);
    }
  }
  return { chunks, done, exitCode };
}

export interface WinrmConfig {
  maxEnvelopeSizeKb?: number;
  maxTimeoutMs?: number;
  maxMemoryPerShellMB?: number;
  maxShellsPerUser?: number;
  maxProcessesPerShell?: number;
}

const CONFIG_KEYS: [xml: string, key: keyof WinrmConfig][] = [
  ['MaxEnvelopeSizekb', 'maxEnvelopeSizeKb'], ['MaxTimeoutms', 'maxTimeoutMs'], ['MaxMemoryPerShellMB', 'maxMemoryPerShellMB'],
  ['MaxShellsPerUser', 'maxShellsPerUser'], ['MaxProcessesPerShell', 'maxProcessesPerShell'],
];

/** The Get of winrm/config (cfg:Config, with its cfg:Winrs) or of winrm/config/Winrs (cfg:Winrs). */
export function parseConfig(xml: string): WinrmConfig {
  const { body } = readEnvelope(xml, 'config');
  const config = asNode(body.Config);
  const winrs = 'Winrs' in body ? asNode(body.Winrs) : asNode(config.Winrs);
  if (!('Config' in body) && !('Winrs' in body)) throw missing('cfg:Config or cfg:Winrs', 'config');
  const out: WinrmConfig = {};
  for (const [name, key] of CONFIG_KEYS) {
    const raw = textOf(config[name] ?? winrs[name]);
    const n = Number(raw);
    if (raw !== '' && Number.isSafeInteger(n) && n >= 0) out[key] = n;
  }
  return out;
}
