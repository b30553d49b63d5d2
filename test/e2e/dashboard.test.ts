// The dashboard in real Chromium (playwright-core, /usr/bin/chromium) against the real server and an in-memory
// DashboardData (src/serve/testing/fake-data.ts): the fleet page's counts, filters and chart, 5,000 hosts, a run
// view fed by server-sent events, Approve and Stop on a paused rollout reaching the data with the right actor.
// Every request the page makes to anything but the dashboard is blocked, and any CSP report or page error fails.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { createDashboardServer, type DashboardServer, type DashboardServerOptions } from '../../src/serve/http-server.ts';
import { fakeDashboard, fakeFleet, hostEvents, T0, type FakeDashboard } from '../../src/serve/testing/fake-data.ts';
import { createToken, verifyToken } from '../../src/serve/tokens.ts';
import { openServeStore } from '../../src/store/index.ts';

const CHROMIUM = '/usr/bin/chromium';
const skip = !existsSync(CHROMIUM) && process.env.CI !== 'true' ? `${CHROMIUM} is not installed (apt-get install chromium); CI=true runs it regardless` : false;
const RUN = '20261203-090000-live';

let browser: Browser;
before(async () => {
  if (skip) return;
  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
});
after(async () => browser?.close());

interface Ctx {
  data: FakeDashboard;
  server: DashboardServer;
  url: string;
  page: Page;
  problems: string[];
}

async function open(t: { after: (fn: () => unknown) => void }, data: FakeDashboard, options: Partial<DashboardServerOptions> = {}): Promise<Ctx> {
  const server = createDashboardServer(data, { listen: { host: '127.0.0.1', port: 0 }, requireToken: false, heartbeatMs: 1000, ...options });
  const url = await server.listen();
  const context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && !/401/.test(m.text()) && problems.push(`console: ${m.text()}`));
  await page.route('**', (route) => (route.request().url().startsWith(url) ? route.continue() : (problems.push(`blocked ${route.request().url()}`), route.abort())));
  t.after(async () => {
    await context.close();
    await server.close();
  });
  return { data, server, url, page, problems };
}

const texts = (page: Page, selector: string) => page.locator(selector).allInnerTexts();

test('the fleet page: counts per status, a chart of versions, filters that narrow the table', { skip, timeout: 120_000 }, async (t) => {
  const fleet = fakeFleet(300);
  const { page, url, problems } = await open(t, fakeDashboard({ fleet }));
  await page.goto(url);
  await page.locator('#counts button').first().waitFor();

  const shownCounts = await page.locator('#counts button').evaluateAll((els) => els.map((e) => [e.getAttribute('data-status'), Number(e.querySelector('b')?.textContent?.replace(/\D/g, ''))]));
  assert.deepEqual(Object.fromEntries(shownCounts), fleet.counts);

  const versions = new Map<string, number>();
  for (const h of fleet.hosts) versions.set(h.active ?? 'none', (versions.get(h.active ?? 'none') ?? 0) + 1);
  const bars = await page.locator('#chart g.row').evaluateAll((els) => els.map((e) => [e.getAttribute('data-version'), Number(e.querySelector('text.n')?.textContent?.replace(/\D/g, ''))]));
  assert.deepEqual(new Map(bars as [string, number][]), versions, 'one bar per active version, with its host count');

  const shown = async () => Number((await page.locator('#shown').innerText()).match(/showing ([\d,]+)/)?.[1]?.replace(/,/g, ''));
  assert.equal(await shown(), 300);
  await page.selectOption('select[name=status]', 'behind');
  assert.equal(await shown(), fleet.counts.behind);
  assert.deepEqual(new Set(await page.locator('.vt tr.row td:nth-child(2)').allInnerTexts()), new Set(['↓behind']));

  await page.selectOption('select[name=status]', '');
  await page.selectOption('select[name=group]', 'build');
  await page.selectOption('select[name=tag]', 'canary');
  const webCanary = fleet.hosts.filter((h) => h.groups.includes('build') && h.tags.includes('canary'));
  assert.ok(webCanary.length > 0);
  assert.equal(await shown(), webCanary.length);
  assert.deepEqual(await page.locator('.vt tr.row').evaluateAll((els) => els.map((e) => e.getAttribute('data-host'))), webCanary.map((h) => h.name));
  const counts = await page.locator('#counts button b').allInnerTexts();
  assert.equal(counts.map((c) => Number(c.replace(/\D/g, ''))).reduce((a, b) => a + b, 0), webCanary.length, 'the counts follow the filters');

  await page.click('button:text("Clear")');
  await page.selectOption('select[name=channel]', 'legacy');
  assert.equal(await shown(), fleet.hosts.filter((h) => h.channel === 'legacy').length);
  await page.click('button:text("Clear")');
  await page.fill('input[name=q]', 'web-0003');
  assert.deepEqual(await page.locator('.vt tr.row').evaluateAll((els) => els.map((e) => e.getAttribute('data-host'))), ['web-0003']);
  await page.click('button:text("Clear")');

  // a bar is a filter too; clicking the status card filters by status
  await page.click('#chart g.row[data-version="go1.26.8"]');
  assert.equal(await shown(), versions.get('go1.26.8'));
  assert.deepEqual(new Set(await page.locator('.vt tr.row td:nth-child(3)').allInnerTexts()), new Set(['go1.26.8']));
  await page.click('button:text("Clear")');
  await page.click('#counts button[data-status=unknown]');
  assert.equal(await shown(), fleet.counts.unknown);
  // the filters are in the URL: a reload (or a shared link) shows the same view
  await page.selectOption('select[name=os]', 'windows');
  assert.equal(new URL(page.url()).hash, '#status=unknown&os=windows');
  await page.reload();
  await page.locator('.vt tr.row').first().waitFor();
  assert.equal(await shown(), fleet.hosts.filter((h) => h.status === 'unknown' && h.os === 'windows').length);
  assert.equal(await page.locator('select[name=os]').inputValue(), 'windows');
  assert.deepEqual(problems, []);
});

test('5,000 hosts: the table keeps only the rows in view and scrolls to the last host', { skip, timeout: 120_000 }, async (t) => {
  const fleet = fakeFleet(5000);
  const { page, url, problems } = await open(t, fakeDashboard({ fleet }));
  await page.goto(url);
  await page.locator('.vt tr.row').first().waitFor();
  assert.equal(await page.locator('#shown').innerText(), 'showing 5,000 of 5,000 hosts');
  const rendered = await page.locator('.vt tr.row').count();
  assert.ok(rendered > 10 && rendered < 120, `only the rows in view are in the DOM (${rendered})`);
  const height = await page.locator('.vt').evaluate((el) => el.scrollHeight);
  assert.ok(height >= 5000 * 34, `the scroll area stands for every host (${height}px)`);

  await page.locator('.vt').evaluate((el) => el.scrollTo(0, el.scrollHeight));
  const last = fleet.hosts[4999]?.name ?? '';
  await page.locator(`.vt tr[data-host="${last}"]`).waitFor();
  assert.ok(await page.locator('.vt tr.row').count() < 120);
  await page.locator('.vt').evaluate((el) => el.scrollTo(0, el.scrollHeight / 2));
  const middle = fleet.hosts[2500]?.name ?? '';
  await page.locator(`.vt tr[data-host="${middle}"]`).waitFor();

  // sorting 5,000 rows by name (descending on the second click) puts the last name first
  await page.click('thead th button:text("Host")');
  await page.click('thead th button:text("Host")');
  await page.locator('.vt').evaluate((el) => el.scrollTo(0, 0));
  const names = fleet.hosts.map((h) => h.name).sort((a, b) => b.localeCompare(a, 'en', { numeric: true }));
  await page.locator(`.vt tr.row[data-host="${names[0]}"]`).waitFor();
  assert.deepEqual(problems, []);
});

test('a run view follows the live stream: waves, hosts, steps, the ETA, then the report', { skip, timeout: 120_000 }, async (t) => {
  const data = fakeDashboard({ hosts: 10 });
  const { page, url, problems, server } = await open(t, data);
  // a page opened mid-run replays what happened before it
  data.emit({ kind: 'run-start', run: RUN, command: 'upgrade', target: 'go1.27.3', hosts: ['web-01', 'web-02', 'web-03', 'db-01'], at: T0 });
  data.emit({ kind: 'wave-start', run: RUN, wave: 1, hosts: ['web-01'], at: T0 });
  await page.goto(`${url}runs/${RUN}`);
  await page.locator('details.wave[data-wave="1"] tr[data-host="web-01"]').waitFor();
  await page.locator('#run-state[data-state="running"]').waitFor();
  assert.equal(server.openStreams(), 1, 'the page holds one event stream');

  for (const e of hostEvents(RUN, 'web-01', T0 + 1000, 1000)) data.emit(e);
  const row = page.locator('tr[data-host="web-01"]');
  await row.locator('.badge.st-upgraded').waitFor();
  assert.deepEqual(await row.locator('.step').allInnerTexts(), ['connect', 'facts', 'upload', 'stage', 'switch', 'verify']);
  data.emit({ kind: 'wave-end', run: RUN, wave: 1, at: T0 + 8000 });
  data.emit({ kind: 'wave-start', run: RUN, wave: 2, hosts: ['web-02', 'web-03', 'db-01'], at: T0 + 9000 });
  data.emit({ kind: 'host-step', run: RUN, host: 'web-02', step: 'connect', status: 'start', at: T0 + 9000 });
  const second = page.locator('details.wave[data-wave="2"] tr[data-host="web-02"]');
  await second.locator('.step.running').waitFor();
  assert.equal(await second.locator('.step.running').innerText(), 'connect');
  assert.equal(await second.locator('.badge').innerText(), '◌in progress', 'a host with a step under way is in progress');
  assert.equal(await page.locator('tr[data-host="web-03"] .badge').innerText(), '·pending');
  // a finished wave with nothing to look at folds away; a click opens it again and it stays open
  const first = page.locator('details.wave[data-wave="1"]');
  assert.equal(await first.getAttribute('open'), null);
  await first.locator('summary').click();
  await first.locator('tr[data-host="web-01"] .badge.st-upgraded').waitFor();
  data.emit({ kind: 'host-step', run: RUN, host: 'web-02', step: 'connect', status: 'ok', at: T0 + 9500 });
  await second.locator('.step.ok').waitFor();
  assert.notEqual(await first.getAttribute('open'), null);
  await page.locator('#eta', { hasText: /about \d/ }).waitFor();

  for (const host of ['web-02', 'web-03', 'db-01']) for (const e of hostEvents(RUN, host, T0 + 9000, 500, host === 'db-01' ? 'failed' : 'upgraded')) data.emit(e);
  data.emit({ kind: 'run-end', run: RUN, results: [], at: T0 + 20_000 });
  await page.locator('tr[data-host="db-01"] .badge.st-failed').waitFor();
  await page.locator('#run-state[data-state="done"]').waitFor();
  assert.equal(await page.locator('#host-counts').innerText(), '3 upgraded, 1 failed');
  const frame = page.frameLocator('iframe.report');
  assert.equal(await frame.locator('h1').innerText(), `Report of ${RUN}`);
  assert.deepEqual(problems, []);
});

test('Approve on a paused rollout reaches the data as the local user and the page shows it resumed', { skip, timeout: 120_000 }, async (t) => {
  const data = fakeDashboard({ hosts: 10 });
  const { page, url, problems } = await open(t, data);
  data.emit({ kind: 'run-start', run: RUN, command: 'upgrade', target: 'go1.27.3', hosts: ['a', 'b', 'c'], at: T0 });
  data.emit({ kind: 'wave-start', run: RUN, wave: 1, hosts: ['a'], at: T0 });
  for (const e of hostEvents(RUN, 'a', T0, 100)) data.emit(e);
  data.emit({ kind: 'wave-end', run: RUN, wave: 1, at: T0 + 700 });
  await page.goto(`${url}runs/${RUN}`);
  await page.locator('tr[data-host="a"] .badge.st-upgraded').waitFor();
  assert.equal(await page.locator('#paused').count(), 0);

  data.pause(RUN, 2, 2, ['b', 'c']);
  await page.locator('#paused').waitFor();
  assert.match(await page.locator('#paused').innerText(), /Paused before wave 2 of 2[\s\S]*2 hosts waiting: b, c/);
  await page.click('#approve');
  await page.locator('#decision').waitFor();
  assert.match(await page.locator('#decision').innerText(), /Wave 2 approved by local/);
  assert.equal(await page.locator('#paused').count(), 0);
  assert.deepEqual(data.actions, [{ kind: 'approve', run: RUN, wave: 2, actor: { who: 'local', from: '127.0.0.1' } }]);
  assert.deepEqual(problems, []);
});

test('signed in with a token, Stop reaches the data as that token and the page shows the rollout stopped', { skip, timeout: 120_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'gofleet-dashboard-'));
  const store = openServeStore(join(dir, 'gofleet.db'));
  t.after(() => (store.close(), rmSync(dir, { recursive: true, force: true })));
  const token = createToken(store, 'night-shift', { actor: 'ops', at: T0 });
  const data = fakeDashboard({ hosts: 10 });
  const { page, url, problems } = await open(t, data, { requireToken: true, verifyToken: (x) => verifyToken(store, x) });
  data.emit({ kind: 'run-start', run: RUN, command: 'upgrade', target: 'go1.27.3', hosts: ['a', 'b'], at: T0 });
  data.pause(RUN, 2, 2, ['b']);

  await page.goto(`${url}runs/${RUN}`);
  await page.locator('input#token').waitFor();
  await page.fill('input#token', 'wrong-token');
  await page.click('button[type=submit]');
  await page.locator('.error[role=alert]').waitFor();
  await page.fill('input#token', token);
  await page.click('button[type=submit]');
  await page.waitForURL(url);
  assert.equal(await page.locator('.who').innerText(), 'night-shift');
  const cookies = await page.context().cookies();
  assert.deepEqual(cookies.map((c) => [c.name, c.httpOnly, c.sameSite]), [['gofleet_session', true, 'Strict']]);
  assert.ok(!cookies.some((c) => c.value.includes(token)));

  await page.goto(`${url}runs/${RUN}`);
  await page.locator('#paused').waitFor();
  await page.click('#stop');
  await page.locator('#decision').waitFor();
  assert.match(await page.locator('#decision').innerText(), /Stopped before wave 2 by night-shift/);
  assert.deepEqual(data.actions, [{ kind: 'stop', run: RUN, wave: 2, actor: { who: 'night-shift', from: '127.0.0.1' } }]);
  const html = await page.content();
  assert.ok(html.includes('night-shift'));
  assert.ok(!html.includes(token), 'the page never holds the token');

  // signing out ends the session: back to the sign-in page, and the old cookie opens nothing
  const before = (await page.context().cookies())[0]?.value ?? '';
  await page.click('#signout button');
  await page.waitForURL(`${url}login`);
  await page.locator('input#token').waitFor();
  const res = await fetch(`${url}api/fleet`, { headers: { cookie: `gofleet_session=${before}` } });
  assert.equal(res.status, 401);
  assert.deepEqual(problems, []);
});

test('the runs, policy and vulnerability pages render from the data, with no CSP violation', { skip, timeout: 120_000 }, async (t) => {
  const fleet = fakeFleet(400);
  const { page, url, problems } = await open(t, fakeDashboard({ fleet }));
  await page.goto(`${url}runs`);
  await page.locator('#runs tbody tr').first().waitFor();
  assert.equal(await page.locator('#runs tbody tr').count(), 5);
  await page.click(`#runs a:text("20261202-020000-a1b2")`);
  await page.waitForURL(`${url}runs/20261202-020000-a1b2`);
  await page.frameLocator('iframe.report').locator('h1').waitFor();

  await page.goto(`${url}policy`);
  await page.locator('#assignments article').first().waitFor();
  assert.deepEqual(await texts(page, '#channels tbody td:first-child'), ['stable', 'fast', 'legacy']);
  assert.match(await page.locator('article[data-assignment="0"] .window-now').innerText(), /closed, opens 2026-12-05 02:00 Europe\/Berlin/);

  await page.goto(`${url}vulns`);
  await page.locator('#vulns tbody tr').first().waitFor();
  const affected = fleet.hosts.filter((h) => h.vulns && h.vulns.length > 0).length;
  assert.equal(Number((await page.locator('#affected-count b').innerText()).replace(/\D/g, '')), affected);
  assert.deepEqual(await page.locator('#vulns tbody tr').evaluateAll((els) => els.map((e) => e.getAttribute('data-vuln'))), ['GO-2026-4101', 'GO-2025-3801']);
  assert.deepEqual(problems, []);
});

test('hostile host names, reasons and run ids stay text: no markup, no script, no CSP report', { skip, timeout: 120_000 }, async (t) => {
  const fleet = fakeFleet(20);
  const evil = '<img src=x onerror="document.title=1">';
  const first = fleet.hosts[0];
  if (!first) throw new Error('no host');
  Object.assign(first, { name: `web-${evil}`, reasons: [`</td><script>document.title=2</script>`], groups: [`g${evil}`], channel: '"><b>x</b>' });
  const data = fakeDashboard({ fleet });
  const { page, url, problems } = await open(t, data);
  data.emit({ kind: 'run-start', run: RUN, command: 'upgrade', target: '<i>go</i>', hosts: [`web-${evil}`], at: T0 });
  await page.goto(url);
  await page.locator('.vt tr.row').first().waitFor();
  assert.equal(await page.locator('.vt tr.row').first().locator('td').first().innerText(), `web-${evil}`);
  await page.goto(`${url}runs/${RUN}`);
  await page.locator('details.wave[data-wave="none"]').waitFor();
  await page.locator('details.wave[data-wave="none"] summary').click();
  assert.equal(await page.locator('details.wave tr td.mono').first().innerText(), `web-${evil}`);
  assert.match(await page.locator('.run-meta').innerText(), /upgrade → <i>go<\/i>/);
  assert.equal(await page.locator('img, main script, b, i:not(.ic)').count(), 0, 'no element made from data');
  assert.notEqual(await page.title(), '1');
  assert.deepEqual(problems, []);
});
