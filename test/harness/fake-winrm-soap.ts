// The SOAP of the fake WinRM host: reading a request (its own fast-xml-parser reading, not the client's
// parsers) and writing the responses and faults a Windows host sends (shapes from recorded exchanges: pywinrm's
// and masterzen/winrm's fixtures, fault bodies quoted in issue reports).
import { XMLParser } from 'fast-xml-parser';

const NS_DECL = 'xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" ' +
  'xmlns:x="http://schemas.xmlsoap.org/ws/2004/09/transfer" xmlns:w="http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd" ' +
  'xmlns:rsp="http://schemas.microsoft.com/wbem/wsman/1/windows/shell" xmlns:p="http://schemas.microsoft.com/wbem/wsman/1/wsman.xsd"';
const ANONYMOUS = 'http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous';
export const SHELL_NS = 'http://schemas.microsoft.com/wbem/wsman/1/windows/shell';
export const CMD_RESOURCE = `${SHELL_NS}/cmd`;

type Node = Record<string, unknown>;
const parser = new XMLParser({
  ignoreAttributes: false, attributeNamePrefix: '@', removeNSPrefix: true, parseTagValue: false, trimValues: true,
  textNodeName: '#text', isArray: (name) => ['Option', 'Selector', 'Stream', 'Variable'].includes(name),
});

const node = (v: unknown): Node => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Node) : {});
const text = (v: unknown): string => (typeof v === 'string' ? v : typeof node(v)['#text'] === 'string' ? (node(v)['#text'] as string) : '');
const list = (v: unknown): Node[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]).map((n) => (typeof n === 'string' ? { '#text': n } : node(n)));

export interface WsmanRequest {
  action: string;
  /** the last part of the action URI: Create, Command, Send, Receive, Signal, Delete, Get */
  op: string;
  messageId: string;
  resourceUri: string;
  shellId?: string;
  options: Record<string, string>;
  /** seconds (w:OperationTimeout PT20S / PT20.000S), undefined when absent */
  operationTimeoutSec?: number;
  /** the client's w:MaxEnvelopeSize (bytes) */
  maxEnvelopeSize?: number;
  body: Node;
}

/** A request, or a string saying why it is not one. */
export function readRequest(soap: string): WsmanRequest | string {
  let doc: Node;
  try {
    doc = parser.parse(soap, true) as Node;
  } catch (err) {
    return `not XML: ${(err as Error).message}`;
  }
  const env = node(doc.Envelope);
  const h = node(env.Header);
  const action = text(h.Action);
  if (!action) return 'no a:Action header';
  const shellId = list(node(h.SelectorSet).Selector).find((s) => s['@Name'] === 'ShellId');
  const options = Object.fromEntries(list(node(h.OptionSet).Option).map((o) => [String(o['@Name']), text(o)]));
  const timeout = /^PT(\d+(?:\.\d+)?)S$/.exec(text(h.OperationTimeout));
  const maxEnv = Number(text(h.MaxEnvelopeSize));
  return {
    action, op: action.slice(action.lastIndexOf('/') + 1), messageId: text(h.MessageID), resourceUri: text(h.ResourceURI),
    shellId: shellId ? text(shellId) : undefined, options, body: node(env.Body),
    operationTimeoutSec: timeout ? Number(timeout[1]) : undefined, maxEnvelopeSize: maxEnv > 0 ? maxEnv : undefined,
  };
}

export { list as xmlList, node as xmlNode, text as xmlText };

export function xmlEscapeFake(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

export function responseEnvelope(action: string, relatesTo: string, body: string): string {
  return `<s:Envelope xml:lang="en-US" ${NS_DECL}><s:Header><a:Action>${action}</a:Action>` +
    `<a:MessageID>uuid:${crypto.randomUUID().toUpperCase()}</a:MessageID><a:To>${ANONYMOUS}</a:To>` +
    `<a:RelatesTo>${xmlEscapeFake(relatesTo)}</a:RelatesTo></s:Header>${body ? `<s:Body>${body}</s:Body>` : '<s:Body/>'}</s:Envelope>`;
}

export interface FaultSpec {
  value: 's:Sender' | 's:Receiver';
  subcode: string;
  reason: string;
  code: number;
  /** the WSManFault Message (default: the reason) */
  message?: string;
}

export function faultEnvelope(relatesTo: string, f: FaultSpec, machine: string): string {
  return responseEnvelope('http://schemas.dmtf.org/wbem/wsman/1/wsman/fault', relatesTo,
    `<s:Fault><s:Code><s:Value>${f.value}</s:Value><s:Subcode><s:Value>${f.subcode}</s:Value></s:Subcode></s:Code>` +
    `<s:Reason><s:Text xml:lang="en-US">${xmlEscapeFake(f.reason)}</s:Text></s:Reason><s:Detail>` +
    `<f:WSManFault xmlns:f="http://schemas.microsoft.com/wbem/wsman/1/wsmanfault" Code="${f.code}" Machine="${xmlEscapeFake(machine)}">` +
    `<f:Message>${xmlEscapeFake(f.message ?? f.reason)}</f:Message></f:WSManFault></s:Detail></s:Fault>`);
}

const TIMEOUT_TEXT = 'The WS-Management service cannot complete the operation within the time specified in OperationTimeout.  ';

export const FAULTS = {
  timeout: { value: 's:Receiver', subcode: 'w:TimedOut', reason: TIMEOUT_TEXT, code: 2150858793 },
  quota: {
    value: 's:Sender', subcode: 'w:QuotaLimit', code: 0x803381a6,
    reason: 'The WS-Management service cannot process the request. This user is allowed a maximum number of 1500 concurrent ' +
      'operations, which has been exceeded. Close existing operations for this user, or raise the quota for this user. ',
  },
  maxShells: {
    value: 's:Sender', subcode: 'w:QuotaLimit', code: 0x803381a5,
    reason: 'The WS-Management service cannot process the request. This user has exceeded the maximum number of concurrent ' +
      'shells allowed for this user. Close existing shells or raise the quota for this user. ',
  },
  busy: { value: 's:Receiver', subcode: 'w:InternalError', reason: 'The requested resource is in use. ', code: 170 },
  accessDenied: { value: 's:Sender', subcode: 'w:AccessDenied', reason: 'Access is denied. ', code: 5 },
  internal: { value: 's:Receiver', subcode: 'w:InternalError', reason: 'Unspecified error ', code: 0x80004005 },
  badAction: {
    value: 's:Sender', subcode: 'a:ActionNotSupported', code: 0x80338001,
    reason: 'The WS-Management service cannot process the request. The WS-Addressing action URI is invalid. ',
  },
  badCommand: { value: 's:Sender', subcode: 'w:InvalidParameter', reason: 'The parameter is incorrect. ', code: 87 },
  badResource: {
    value: 's:Sender', subcode: 'w:DestinationUnreachable', code: 0x80338000,
    reason: 'The WS-Management service cannot process the request. The service cannot find the resource identified by the resource URI and selectors. ',
  },
} as const satisfies Record<string, FaultSpec>;

export function shellNotFound(shellId: string): FaultSpec {
  return {
    value: 's:Sender', subcode: 'w:InvalidSelectors', code: 2150858843,
    reason: 'The WS-Management service cannot process the request because the request contained invalid selectors for the resource. ',
    message: `The request for the Windows Remote Shell with ShellId ${shellId} failed because the shell was not found on the ` +
      'server. Possible causes are: the specified ShellId is incorrect or the shell no longer exists on the server. Provide ' +
      'the correct ShellId or create a new shell and retry the operation. ',
  };
}
