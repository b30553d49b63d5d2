// WS-Management for the winrm transport: envelopes (envelopes.ts) and response parsers (parse.ts, faults.ts).
export {
  commandEnvelope, createShellEnvelope, deleteShellEnvelope, getConfigEnvelope, receiveEnvelope, SEND_OVERHEAD_BYTES,
  sendChunkSize, sendEnvelope, signalEnvelope,
  type CommandOptions, type CreateShellOptions, type WsmanTarget,
} from './envelopes.ts';
export {
  describeFault, ERROR_BUSY, OPERATION_TIMEOUT, parseFault, QUOTA_CODES, QUOTA_MAX_OPERATIONS, SHELL_NOT_FOUND,
  type WsmanFault, type WsmanFaultKind,
} from './faults.ts';
export { parseCommandResponse, parseConfig, parseReceiveResponse, parseShellCreated, type ReceiveResult, type WinrmConfig } from './parse.ts';
export { ACTION, RESOURCE, SIGNAL } from './namespaces.ts';
export { xmlEscape } from './xml-escape.ts';
