// SOAP faults of a WinRM host: the WSManFault Code (an HRESULT or a Win32 error) and Message, decoded into a
// kind the transport acts on. Codes: wsmerror.h (ERROR_WSMAN_*), as pywinrm, pypsrp and Ansible's winrm
// connection read them.
import { asNode, attr, readEnvelope, textOf } from './xml-read.ts';

export type WsmanFaultKind = 'timeout' | 'quota' | 'busy' | 'access_denied' | 'shell_not_found' | 'other';

export interface WsmanFault {
  kind: WsmanFaultKind;
  /** the WSManFault Code (decimal in the XML: 2150858793 is 0x80338029), null when the fault has none */
  code: number | null;
  /** the host's message (WSManFault Message, else the SOAP Reason), whitespace collapsed */
  message: string;
  /** the SOAP subcode, e.g. w:TimedOut, w:InvalidSelectors, w:AccessDenied (prefix dropped) */
  subcode?: string;
}

/** ERROR_WSMAN_OPERATION_TIMEDOUT: a Receive with nothing to report yet. Expected: re-issue the Receive. */
export const OPERATION_TIMEOUT = 0x80338029;
/** ERROR_WSMAN_QUOTA_MAX_OPERATIONS: WinRS never gives back a command's operation; only a new shell helps. */
export const QUOTA_MAX_OPERATIONS = 0x803381a6;
/** ERROR_WSMAN_INVALID_SELECTORS: "the shell was not found on the server" (gone after a WinRM restart). */
export const SHELL_NOT_FOUND = 0x8033805b;
/** ERROR_BUSY (Win32 170): "The requested resource is in use"; Ansible retries Send on it. */
export const ERROR_BUSY = 170;
export const ERROR_ACCESS_DENIED = 5;
/** ERROR_FILENAME_EXCED_RANGE as an HRESULT: a command line over cmd.exe's limit. */
export const FILENAME_TOO_LONG = 0x800700ce;

/** ERROR_WSMAN_QUOTA_*: limits on shells, operations, users, memory (plugin quotas included). */
export const QUOTA_CODES: ReadonlySet<number> = new Set([
  0x8033803f, // QUOTA_LIMIT
  0x803381a5, 0x803381a6, 0x803381a7, 0x803381a8, 0x803381ab, // MAX_SHELLS, MAX_OPERATIONS, USER, SYSTEM, MAX_SHELLUSERS
  0x803381e4, 0x803381e5, 0x803381e6, 0x803381e7, 0x803381e8, 0x803381e9, 0x803381ea, // the *_PPQ plugin quotas
]);

function kindOf(code: number | null, subcode: string | undefined): WsmanFaultKind {
  if (code === OPERATION_TIMEOUT || (code === null && subcode === 'TimedOut')) return 'timeout';
  if (code !== null && QUOTA_CODES.has(code)) return 'quota';
  if (code === ERROR_BUSY) return 'busy';
  if (code === ERROR_ACCESS_DENIED || subcode === 'AccessDenied') return 'access_denied';
  if (code === SHELL_NOT_FOUND || subcode === 'InvalidSelectors') return 'shell_not_found';
  return 'other';
}

function parseCode(raw: string | undefined): number | null {
  if (raw === undefined) return null;
  const n = /^0x[0-9a-f]+$/i.test(raw) ? Number.parseInt(raw, 16) : Number(raw);
  return Number.isSafeInteger(n) ? n : null;
}

/** The fault in a response body, or null when the body is not a fault. Throws WINRM_PROTOCOL on non-XML. */
export function parseFault(xml: string): WsmanFault | null {
  const { body } = readEnvelope(xml, 'response');
  if (!('Fault' in body)) return null;
  const fault = asNode(body.Fault);
  const code = asNode(fault.Code);
  const subcodeText = textOf(asNode(code.Subcode).Value);
  const subcode = subcodeText ? subcodeText.replace(/^.*:/, '') : undefined;
  const detail = asNode(asNode(fault.Detail).WSManFault);
  const wsmanCode = parseCode(attr(detail, 'Code'));
  const message = textOf(detail.Message) || textOf(asNode(fault.Reason).Text) || textOf(code.Value) || 'a SOAP fault without a message';
  return { kind: kindOf(wsmanCode, subcode), code: wsmanCode, message, ...(subcode ? { subcode } : {}) };
}

const KIND_TEXT: Record<WsmanFaultKind, string> = {
  timeout: 'operation timeout (nothing to report within OperationTimeout)',
  quota: 'WinRM quota exceeded',
  busy: 'WinRM host busy',
  access_denied: 'access denied',
  shell_not_found: 'the shell is gone (WinRM restarted, or the shell timed out)',
  other: 'WinRM fault',
};

/** One line for an error message: what it is, the host's words, the code in decimal and hex. */
export function describeFault(f: WsmanFault): string {
  const code = f.code === null ? '' : ` [WSManFault ${f.code} = 0x${f.code.toString(16).toUpperCase()}]`;
  return `${KIND_TEXT[f.kind]}: ${f.message}${code}`;
}
