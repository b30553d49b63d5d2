// WS-Management names: namespaces, actions, resource URIs (MS-WSMV; pywinrm protocol.py uses the same).

export const NS = {
  env: 'http://www.w3.org/2003/05/soap-envelope',
  a: 'http://schemas.xmlsoap.org/ws/2004/08/addressing',
  w: 'http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd',
  p: 'http://schemas.microsoft.com/wbem/wsman/1/wsman.xsd',
  rsp: 'http://schemas.microsoft.com/wbem/wsman/1/windows/shell',
  x: 'http://schemas.xmlsoap.org/ws/2004/09/transfer',
  f: 'http://schemas.microsoft.com/wbem/wsman/1/wsmanfault',
} as const;

export const ANONYMOUS = 'http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous';

const TRANSFER = 'http://schemas.xmlsoap.org/ws/2004/09/transfer';
const SHELL = 'http://schemas.microsoft.com/wbem/wsman/1/windows/shell';

export const ACTION = {
  create: `${TRANSFER}/Create`,
  delete: `${TRANSFER}/Delete`,
  get: `${TRANSFER}/Get`,
  command: `${SHELL}/Command`,
  send: `${SHELL}/Send`,
  receive: `${SHELL}/Receive`,
  signal: `${SHELL}/Signal`,
  fault: 'http://schemas.dmtf.org/wbem/wsman/1/wsman/fault',
} as const;

export const RESOURCE = {
  cmd: `${SHELL}/cmd`,
  config: 'http://schemas.microsoft.com/wbem/wsman/1/config',
  winrs: 'http://schemas.microsoft.com/wbem/wsman/1/config/winrs',
} as const;

export const SIGNAL = {
  terminate: `${SHELL}/signal/terminate`,
  ctrl_c: `${SHELL}/signal/ctrl_c`,
} as const;

export const COMMAND_STATE_DONE = `${SHELL}/CommandState/Done`;
