// The dashboard's HTML: one small shell per page (the page's own ES module fills <main>), and the sign-in form.
// No inline script or style (the CSP forbids both); the only per-request value is the session's CSRF token, in a
// <meta> the page's script reads. Everything interpolated goes through escapeHtml/escapeAttr.

import { escapeAttr, escapeHtml } from '../report/html-escape.ts';

export type PageName = 'fleet' | 'runs' | 'run' | 'policy' | 'vulns';

const NAV: ReadonlyArray<[PageName, string, string]> = [
  ['fleet', '/', 'Fleet'],
  ['runs', '/runs', 'Runs'],
  ['policy', '/policy', 'Policy'],
  ['vulns', '/vulns', 'Vulnerabilities'],
];

function head(title: string, extra = ''): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="color-scheme" content="light">',
    `<title>${escapeHtml(title)} · gofleet</title>`,
    '<link rel="icon" href="data:,">',
    '<link rel="stylesheet" href="/ui/app.css">',
    extra,
    '</head>',
  ].join('\n');
}

export interface PageOptions {
  page: PageName;
  csrf: string;
  /** who is signed in ("local" without tokens) */
  who: string;
  /** the run id, for the run page */
  run?: string;
  /** show a sign-out button (token sessions) */
  signOut: boolean;
}

export function pageHtml(o: PageOptions): string {
  const title = o.page === 'run' ? `run ${o.run ?? ''}` : (NAV.find(([p]) => p === o.page)?.[2] ?? o.page);
  const current = o.page === 'run' ? 'runs' : o.page;
  const links = NAV.map(([p, href, label]) => `<a href="${href}"${p === current ? ' aria-current="page"' : ''}>${label}</a>`).join('');
  const signOut = o.signOut ? `<form method="post" action="/logout" class="signout" id="signout"><button type="submit">Sign out</button></form>` : '';
  return [
    head(title, `<meta name="gofleet-csrf" content="${escapeAttr(o.csrf)}">\n<script type="module" src="/ui/${o.page}-page.js"></script>`),
    `<body data-page="${o.page}"${o.run !== undefined ? ` data-run="${escapeAttr(o.run)}"` : ''}>`,
    `<header class="top"><span class="brand">gofleet</span><nav>${links}</nav><span class="who" title="signed in as">${escapeHtml(o.who)}</span>${signOut}</header>`,
    '<main id="app" aria-live="polite"><p class="loading">Loading…</p></main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** The sign-in page: paste a token (never put in a URL: the form posts it). */
export function loginHtml(failed: boolean): string {
  return [
    head('Sign in'),
    '<body class="login">',
    '<main class="login-box">',
    '<p class="brand">gofleet</p>',
    '<h1>Sign in to the dashboard</h1>',
    '<p class="caption">Paste an API token (made with <code>gofleet serve token create NAME</code>).</p>',
    failed ? '<p class="error" role="alert">That token is not valid (unknown or revoked).</p>' : '',
    '<form method="post" action="/login">',
    '<label for="token">Token</label>',
    '<input id="token" name="token" type="password" autocomplete="off" spellcheck="false" required autofocus>',
    '<button type="submit">Sign in</button>',
    '</form>',
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
