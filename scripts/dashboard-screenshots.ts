// Screenshots of every dashboard page for the docs: the real server with the in-memory fake data
// (src/serve/testing/fake-data.ts: 5,000 hosts, a run history, a policy, a rollout paused between waves), opened in
// headless Chromium (/usr/bin/chromium). Writes docs/img/dashboard-{fleet,runs,run,run-paused,policy,vulns,login}.png.
//
//   node --import tsx scripts/dashboard-screenshots.ts [--out docs/img] [--hosts 5000]

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Page } from 'playwright-core';
import { createDashboardServer } from '../src/serve/http-server.ts';
import { fakeDashboard, fakeFleet, hostEvents } from '../src/serve/testing/fake-data.ts';

const { values } = parseArgs({ options: { out: { type: 'string', default: 'docs/img' }, hosts: { type: 'string', default: '5000' } } });
const out = values.out;
mkdirSync(out, { recursive: true });

const RUN = '20261203-090000-live';
const data = fakeDashboard({ fleet: fakeFleet(Number(values.hosts)) });
const now = Date.now();
const names = (prefix: string, n: number, from = 1) => Array.from({ length: n }, (_, i) => `${prefix}-${String(i + from).padStart(4, '0')}`);
const waves = [names('build', 2), names('ci-runners', 12), names('web', 24)];

// a rollout: the canary and wave 2 went through (one host rolled back), now waiting for a person before wave 3
data.emit({ kind: 'run-start', run: RUN, command: 'upgrade', target: 'go1.27.3', hosts: waves.flat(), at: now - 600_000 });
let t = now - 600_000;
waves.slice(0, 2).forEach((hosts, i) => {
  data.emit({ kind: 'wave-start', run: RUN, wave: i + 1, hosts, at: t });
  hosts.forEach((h, j) => {
    for (const e of hostEvents(RUN, h, t + (j % 4) * 9000, 4000 + (j % 3) * 900, i === 1 && j === 7 ? 'rolled_back' : 'upgraded')) data.emit(e);
  });
  t += 120_000;
  data.emit({ kind: 'wave-end', run: RUN, wave: i + 1, at: t });
});

async function shot(page: Page, path: string, name: string, wait: string, fullPage = true): Promise<void> {
  await page.goto(path);
  await page.locator(wait).first().waitFor();
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(out, `dashboard-${name}.png`), fullPage });
  process.stderr.write(`wrote ${join(out, `dashboard-${name}.png`)}\n`);
}

const server = createDashboardServer(data, { listen: { host: '127.0.0.1', port: 0 }, requireToken: false });
const url = await server.listen();
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
try {
  const page = await browser.newPage({ viewport: { width: 1360, height: 900 }, deviceScaleFactor: 1 });
  await shot(page, url, 'fleet', '.vt tr.row', false);
  await shot(page, `${url}runs`, 'runs', '#runs tbody tr');
  data.pause(RUN, 3, 3, waves[2] ?? []);
  await shot(page, `${url}runs/${RUN}`, 'run-paused', '#paused');
  await page.click('#approve');
  await page.locator('#decision').waitFor();
  data.emit({ kind: 'wave-start', run: RUN, wave: 3, hosts: waves[2] ?? [], at: Date.now() });
  (waves[2] ?? []).slice(0, 5).forEach((h, j) => {
    for (const e of hostEvents(RUN, h, Date.now() - 20_000, 3000).slice(0, 3 + j * 2)) data.emit(e);
  });
  await page.waitForTimeout(500);
  await page.screenshot({ path: join(out, 'dashboard-run.png'), fullPage: true });
  process.stderr.write(`wrote ${join(out, 'dashboard-run.png')}\n`);
  await shot(page, `${url}policy`, 'policy', '#assignments article');
  await shot(page, `${url}vulns`, 'vulns', '#vulns tbody tr', false);
  const secure = createDashboardServer(data, { listen: { host: '127.0.0.1', port: 0 }, requireToken: true, verifyToken: () => null });
  const secureUrl = await secure.listen();
  const login = await browser.newPage({ viewport: { width: 1000, height: 640 } });
  await shot(login, secureUrl, 'login', 'input#token', false);
  await secure.close();
} finally {
  await browser.close();
  await server.close();
}
