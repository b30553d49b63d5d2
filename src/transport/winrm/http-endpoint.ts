// A WinRM endpoint's options: checked (combinations that would leak the password refused), and turned into the
// session's one-socket agent with its TLS settings.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { rootCertificates } from 'node:tls';
import { GofleetError } from '../../errors.ts';

export interface WinrmEndpoint {
  host: string;
  port: number;
  scheme: 'http' | 'https';
  /** '/wsman' */
  path: string;
  auth: 'ntlm' | 'basic' | 'certificate';
  username?: string;
  password?: string;
  /** auto: sealed over http (NTLM), not over https. Basic over http needs an explicit 'never'. */
  messageEncryption: 'auto' | 'always' | 'never';
  tls?: { caFile?: string; validate: boolean; clientCertFile?: string; clientKeyFile?: string; servername?: string };
  connectTimeoutMs?: number;
  readTimeoutMs?: number;
}

/** Refuse combinations that would leak the password or cannot work. */
export function checkEndpoint(e: WinrmEndpoint, host: string): void {
  const bad = (message: string, hint: string): never => {
    throw new GofleetError('BAD_OPTION', `${host}: ${message}`, { host, hint });
  };
  if (e.auth !== 'certificate' && (!e.username || e.password === undefined)) {
    bad(`WinRM ${e.auth} authentication needs a user name and a password`, 'Set the host\'s user and password (ansible_user / ansible_password).');
  }
  if (e.auth === 'basic' && e.scheme === 'http' && e.messageEncryption !== 'never') {
    bad('Basic authentication over http sends the password in clear text', 'Use https (port 5986), or NTLM (sealed over http); to accept clear text anyway on a lab network, set messageEncryption: never.');
  }
  if (e.auth !== 'ntlm' && e.messageEncryption === 'always') {
    bad(`message encryption needs NTLM; ${e.auth} authentication cannot seal messages`, 'Use NTLM, or https with messageEncryption: auto.');
  }
  if (e.auth === 'certificate' && (e.scheme !== 'https' || !e.tls?.clientCertFile || !e.tls.clientKeyFile)) {
    bad('client certificate authentication needs https, a client certificate and its key', 'Set scheme https, clientCert and clientKey.');
  }
}

function readOption(path: string, what: string, host: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new GofleetError('BAD_OPTION', `${host}: cannot read the WinRM ${what} ${path}: ${(err as Error).message}`, { host, cause: err });
  }
}

/** One keep-alive socket per session; for https, the TLS options (validation warned about when off). */
export function makeAgent(endpoint: WinrmEndpoint, warn: (w: string) => void, host: string): http.Agent {
  const base = { keepAlive: true, maxSockets: 1 };
  if (endpoint.scheme === 'http') return new http.Agent(base);
  const t = endpoint.tls ?? { validate: true };
  if (!t.validate) {
    warn(`TLS certificate validation is OFF for ${endpoint.scheme}://${endpoint.host}:${endpoint.port}${endpoint.path}: gofleet cannot tell this host from an impostor, and sends it the credentials`);
  }
  return new https.Agent({
    ...base,
    rejectUnauthorized: t.validate,
    ca: t.caFile ? [...rootCertificates, readOption(t.caFile, 'caFile', host)] : undefined,
    cert: t.clientCertFile ? readOption(t.clientCertFile, 'clientCertFile', host) : undefined,
    key: t.clientKeyFile ? readOption(t.clientKeyFile, 'clientKeyFile', host) : undefined,
    servername: t.servername,
  });
}