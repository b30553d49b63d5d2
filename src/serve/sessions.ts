// Browser sessions of the dashboard, in memory (a restart signs everyone out). A session is a random id in an
// HttpOnly, SameSite=Strict cookie (Secure and __Host- under TLS) and carries its own CSRF token, which the page
// is given and sends back as a header on every state-changing request. With tokens required, a session is made
// only by POST /login with a valid token and is checked against it on every request (a revoked token ends its
// sessions at once); on loopback without tokens, any page visit makes an anonymous ("local") session.

import { randomBytes, timingSafeEqual } from 'node:crypto';

export interface Session {
  id: string;
  csrf: string;
  /** the token's name, or "local" */
  who: string;
  /** the token that signed in (memory only, to re-verify it); null for a local session */
  token: string | null;
  lastSeen: number;
}

export interface SessionTable {
  create(who: string, token: string | null): Session;
  get(id: string | undefined): Session | null;
  drop(id: string): void;
  size(): number;
}

const IDLE_MS = 12 * 3600_000;
const MAX_SESSIONS = 10_000;

export function sessionTable(now: () => number = Date.now): SessionTable {
  const sessions = new Map<string, Session>();
  return {
    create(who, token) {
      if (sessions.size >= MAX_SESSIONS) {
        // the oldest first (Map keeps insertion order): a flood of visits cannot grow memory without bound
        const oldest = sessions.keys().next().value;
        if (oldest !== undefined) sessions.delete(oldest);
      }
      const s: Session = { id: randomBytes(32).toString('base64url'), csrf: randomBytes(32).toString('base64url'), who, token, lastSeen: now() };
      sessions.set(s.id, s);
      return s;
    },
    get(id) {
      if (!id) return null;
      const s = sessions.get(id);
      if (!s) return null;
      if (now() - s.lastSeen > IDLE_MS) {
        sessions.delete(id);
        return null;
      }
      s.lastSeen = now();
      return s;
    },
    drop: (id) => void sessions.delete(id),
    size: () => sessions.size,
  };
}

/** Constant-time comparison of the CSRF header with the session's token. */
export function csrfMatches(session: Session, header: string | undefined): boolean {
  if (!header) return false;
  const a = Buffer.from(session.csrf);
  const b = Buffer.from(header);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function cookieName(tls: boolean): string {
  return tls ? '__Host-gofleet_session' : 'gofleet_session';
}

export function sessionCookie(id: string, tls: boolean): string {
  return `${cookieName(tls)}=${id}; Path=/; HttpOnly; SameSite=Strict${tls ? '; Secure' : ''}`;
}

export function clearedCookie(tls: boolean): string {
  return `${cookieName(tls)}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0${tls ? '; Secure' : ''}`;
}

/** The value of cookie `name` in a Cookie header. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
