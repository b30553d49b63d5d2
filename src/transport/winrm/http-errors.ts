// Map socket, TLS and HTTP outcomes of a WinRM request to GofleetError codes (like ssh-errors.ts for ssh2).
import { GofleetError, type ErrorCode } from '../../errors.ts';
import { connectErrorCode } from '../ssh-errors.ts';

/** OpenSSL / Node verification codes, by what they mean to the user. */
const TLS_CODES: Record<string, ErrorCode> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'TLS_CERT_SELF_SIGNED',
  CERT_HAS_EXPIRED: 'TLS_CERT_EXPIRED',
  CERT_NOT_YET_VALID: 'TLS_CERT_EXPIRED',
  ERR_TLS_CERT_ALTNAME_INVALID: 'TLS_CERT_NAME_MISMATCH',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS_CERT_UNKNOWN_CA',
  UNABLE_TO_GET_ISSUER_CERT: 'TLS_CERT_UNKNOWN_CA',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'TLS_CERT_UNKNOWN_CA',
  CERT_UNTRUSTED: 'TLS_CERT_UNKNOWN_CA',
  // a chain up to a root that is not trusted here
  SELF_SIGNED_CERT_IN_CHAIN: 'TLS_CERT_UNKNOWN_CA',
};

const TLS_WHAT: Partial<Record<ErrorCode, string>> = {
  TLS_CERT_SELF_SIGNED: 'presented a self-signed certificate',
  TLS_CERT_EXPIRED: 'presented an expired (or not yet valid) certificate',
  TLS_CERT_NAME_MISMATCH: 'presented a certificate for another name',
  TLS_CERT_UNKNOWN_CA: 'presented a certificate from an untrusted CA',
};

/** The code for an error raised while connecting or talking to a WinRM listener (TCP, TLS). */
export function winrmSocketErrorCode(err: unknown): ErrorCode {
  const code = (err as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string' && TLS_CODES[code]) return TLS_CODES[code];
  if (code === 'ECONNRESET' || code === 'EPIPE') return 'CONNECTION_LOST';
  return connectErrorCode(err);
}

/** A GofleetError for a failed request to `target` (the endpoint URL), for the inventory host `host`. */
export function winrmSocketError(err: unknown, o: { host: string; target: string }): GofleetError {
  if (err instanceof GofleetError) return err;
  const code = winrmSocketErrorCode(err);
  const raw = err instanceof Error ? err.message : String(err);
  const tls = TLS_WHAT[code];
  const what = tls ? `${o.target} ${tls}` : {
    CONNECT_TIMEOUT: `connecting to ${o.target} timed out`,
    CONNECTION_LOST: `the connection to ${o.target} was reset`,
  }[code as string] ?? `cannot connect to ${o.target}`;
  const hint = code === 'HOST_UNREACHABLE'
    ? 'Check the address and port (WinRM: 5985 http, 5986 https), firewalls, and that the host has a WinRM listener (`winrm enumerate winrm/config/listener`; `Enable-PSRemoting` or `winrm quickconfig` adds one).'
    : undefined;
  return new GofleetError(code, `${what}: ${raw}`, { host: o.host, cause: err, hint });
}

/** AUTH_FAILED for a 401: never retried, and it may be a quota rather than the password. */
export function authFailed(o: { host: string; target: string; method: string; user?: string }): GofleetError {
  const who = o.user ? ` as ${o.user}` : '';
  return new GofleetError('AUTH_FAILED', `${o.target} refused ${o.method} authentication${who} (HTTP 401)`, {
    host: o.host,
    hint: 'Check the user name (DOMAIN\\user or user@realm for a domain account) and password, and that the '
      + 'auth method is enabled on the host (winrm get winrm/config/service/auth). WinRM also answers 401 when a '
      + 'quota is exhausted (MaxShellsPerUser, MaxConcurrentOperationsPerUser): if the credentials are right, '
      + 'close other sessions of this user or wait. gofleet never retries a 401: every retry is a failed logon '
      + 'that can lock the account out.',
  });
}

/** WINRM_HTTP, with the status for the callers that tolerate one (a 400 on the cleanup Signal). */
export class WinrmHttpStatusError extends GofleetError {
  constructor(readonly status: number, message: string, host: string) {
    super('WINRM_HTTP', message, { host });
  }
}

/** WINRM_HTTP for any status other than 200, 401 and 500. */
export function unexpectedStatus(o: { host: string; target: string; status: number; body: string }): GofleetError {
  const snippet = o.body.replace(/\s+/g, ' ').trim().slice(0, 200);
  return new WinrmHttpStatusError(o.status, `${o.target} answered HTTP ${o.status}${snippet ? `: ${snippet}` : ''}`, o.host);
}

/** WINRM_REQUEST_TOO_LARGE for a 413: the host (or HTTP.sys in front of it) refused the request's size. */
export function requestTooLarge(o: { host: string; target: string; bytes: number }): GofleetError {
  return new GofleetError('WINRM_REQUEST_TOO_LARGE',
    `${o.target} refused a WinRM request of ${o.bytes} bytes as too large (HTTP 413): the host's MaxEnvelopeSizekb is smaller than the request`,
    { host: o.host });
}
