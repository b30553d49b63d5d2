// Map ssh2 / socket errors to GofleetError codes (like Ansible's ssh `_handle_error`).
import { GofleetError, type ErrorCode } from '../errors.ts';

interface RawError {
  message?: string;
  code?: unknown;
  level?: unknown;
}

const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EADDRNOTAVAIL', 'ECONNRESET', 'EPIPE',
]);

/** The code for an error raised while connecting (TCP, handshake, auth). */
export function connectErrorCode(err: unknown): ErrorCode {
  const e = (err ?? {}) as RawError;
  const message = e.message ?? '';
  if (e.level === 'client-authentication' || /All configured authentication methods failed/.test(message)) {
    return 'AUTH_FAILED';
  }
  if (e.level === 'client-timeout' || e.code === 'ETIMEDOUT' || /timed out/i.test(message)) return 'CONNECT_TIMEOUT';
  if (typeof e.code === 'string' && UNREACHABLE_CODES.has(e.code)) return 'HOST_UNREACHABLE';
  if (e.level === 'client-dns') return 'HOST_UNREACHABLE';
  return 'HOST_UNREACHABLE';
}

/** A GofleetError for a failed connect to `target` (`user@address:port`). */
export function connectError(err: unknown, o: { host: string; target: string }): GofleetError {
  if (err instanceof GofleetError) return err;
  const code = connectErrorCode(err);
  const raw = err instanceof Error ? err.message : String(err);
  const what = {
    AUTH_FAILED: `authentication to ${o.target} failed`,
    CONNECT_TIMEOUT: `connecting to ${o.target} timed out`,
  }[code as string] ?? `cannot connect to ${o.target}`;
  return new GofleetError(code, `${what}: ${raw}`, { host: o.host, cause: err });
}

/** A GofleetError for a connection that went away while `doing` something. */
export function connectionLost(o: { host: string; doing: string; cause?: unknown }): GofleetError {
  const why = o.cause instanceof Error ? `: ${o.cause.message}` : '';
  return new GofleetError('CONNECTION_LOST', `connection to ${o.host} lost while ${o.doing}${why}`, {
    host: o.host,
    cause: o.cause,
  });
}
