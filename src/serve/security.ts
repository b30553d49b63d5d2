// The dashboard's request checks and response headers, as pure functions (http-server.ts applies them):
// - Host: only the names the server is reached by (loopback names, the listen address, --allow-host names) at its
//   port, so a DNS name rebound to 127.0.0.1 cannot read the dashboard from another site's page.
// - Origin: a state-changing request from a browser must come from the dashboard's own origin.
// - Headers: a CSP with no inline script, no framing, no sniffing, no referrer to other sites, nothing cached.

export interface HostRules {
  /** the port the server listens on (the real one when asked for 0) */
  port: number;
  /** host names allowed besides the loopback ones, lower case, without port (the listen address, --allow-host) */
  names: readonly string[];
}

const LOOPBACK = ['localhost', '127.0.0.1', '[::1]'];
const WILDCARD = new Set(['0.0.0.0', '::', '[::]', '']);

/** The names a server listening on `host` answers to: loopback always, plus the address itself unless a wildcard. */
export function hostNames(listenHost: string, extra: readonly string[] = []): string[] {
  const own = listenHost.includes(':') && !listenHost.startsWith('[') ? `[${listenHost}]` : listenHost;
  return [...new Set([...LOOPBACK, ...(WILDCARD.has(listenHost) ? [] : [own.toLowerCase()]), ...extra.map((h) => h.toLowerCase())])];
}

/** Split a Host header into name and port ("[::1]:8080" -> ["[::1]", 8080]); null when malformed. */
export function parseHost(header: string, defaultPort: number): { name: string; port: number } | null {
  const m = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::(\d{1,5}))?$/i.exec(header.trim());
  if (!m?.[1]) return null;
  return { name: m[1].toLowerCase(), port: m[2] ? Number(m[2]) : defaultPort };
}

export function hostAllowed(header: string | undefined, rules: HostRules, tls: boolean): boolean {
  if (!header) return false;
  const h = parseHost(header, tls ? 443 : 80);
  return h !== null && h.port === rules.port && (LOOPBACK.includes(h.name) || rules.names.includes(h.name));
}

/**
 * A browser's state-changing request is same-origin when its Origin is this server's scheme and the Host it asked
 * for (already checked by hostAllowed), and Sec-Fetch-Site, when sent, agrees. No Origin at all is refused.
 */
export function sameOrigin(headers: { origin?: string | undefined; host?: string | undefined; 'sec-fetch-site'?: string | undefined }, tls: boolean): boolean {
  const { origin, host } = headers;
  if (!origin || !host || origin === 'null') return false;
  const site = headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin') return false;
  return origin.toLowerCase() === `${tls ? 'https' : 'http'}://${host.toLowerCase()}`;
}

/** The pages' policy: scripts and styles only from the server's own files, no inline script, no framing. */
export const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The run report (report/html.ts, inline CSS, no script) in the run page's frame: sandboxed, framed only by us. */
export const REPORT_FRAME_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; base-uri 'none'; frame-ancestors 'self'; sandbox";

export function securityHeaders(csp: string, tls: boolean): Record<string, string> {
  return {
    'content-security-policy': csp,
    'x-content-type-options': 'nosniff',
    'x-frame-options': csp.includes("frame-ancestors 'self'") ? 'SAMEORIGIN' : 'DENY',
    // same-origin, not no-referrer: under no-referrer Chromium sends `Origin: null` with a form's POST (sign-in)
    'referrer-policy': 'same-origin',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'cache-control': 'no-store',
    ...(tls ? { 'strict-transport-security': 'max-age=31536000' } : {}),
  };
}
