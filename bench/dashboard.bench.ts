// Dashboard benchmark: the fleet page with N hosts (default 1,000, 5,000 and 20,000) in headless Chromium
// (/usr/bin/chromium) against the real server and the in-memory fake data. Per size, R fresh page loads; medians of:
//   first render  navigation start -> the page's `gofleet-fleet-rendered` mark (fetch, parse, counts, chart, table)
//   /api/fleet    the JSON document's size and its response time in the page
//   JS heap       Chromium's JSHeapUsedSize after the first render; DOM nodes likewise
//   filter        a status filter applied: change event -> the next frame painted
//   search        a search typed: input event -> the next frame painted
//   scroll        the table scrolled to its middle: -> the next frame painted, with the middle row in the DOM
//
//   node --import tsx bench/dashboard.bench.ts [--hosts 1000,5000,20000] [--runs 5]
//
// Prints a markdown table (copy it into docs/benchmarks.md). Not a test: nothing here asserts a timing.

import { parseArgs } from 'node:util';
import { chromium, type Page } from 'playwright-core';
import { createDashboardServer } from '../src/serve/http-server.ts';
import { fakeDashboard, fakeFleet } from '../src/serve/testing/fake-data.ts';

const { values } = parseArgs({ options: { hosts: { type: 'string', default: '1000,5000,20000' }, runs: { type: 'string', default: '5' } } });
const sizes = values.hosts.split(',').map(Number);
const runs = Math.max(1, Number(values.runs));

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

/** Run `action` in the page and time it until the frame after it has been painted. */
async function nextFrame(page: Page, action: string): Promise<number> {
  return page.evaluate(`(async () => {
    const t = performance.now();
    ${action};
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    return performance.now() - t;
  })()`) as Promise<number>;
}

async function measure(page: Page, url: string, hosts: number) {
  await page.goto(url);
  await page.waitForFunction(() => performance.getEntriesByName('gofleet-fleet-rendered').length > 0, undefined, { timeout: 120_000 });
  const timing = (await page.evaluate(`(() => {
    const mark = performance.getEntriesByName('gofleet-fleet-rendered')[0].startTime;
    const api = performance.getEntriesByType('resource').find((e) => e.name.endsWith('/api/fleet'));
    return { first: mark, apiMs: api ? api.responseEnd - api.requestStart : 0, apiBytes: api ? api.decodedBodySize : 0 };
  })()`)) as { first: number; apiMs: number; apiBytes: number };
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const { metrics } = await cdp.send('Performance.getMetrics');
  const metric = (name: string) => metrics.find((m) => m.name === name)?.value ?? 0;
  const filter = await nextFrame(page, `const s = document.querySelector('select[name=status]'); s.value = 'behind'; s.dispatchEvent(new Event('change'))`);
  await nextFrame(page, `const s = document.querySelector('select[name=status]'); s.value = ''; s.dispatchEvent(new Event('change'))`);
  const search = await nextFrame(page, `const q = document.querySelector('input[name=q]'); q.value = 'web-1'; q.dispatchEvent(new Event('input'))`);
  await nextFrame(page, `const q = document.querySelector('input[name=q]'); q.value = ''; q.dispatchEvent(new Event('input'))`);
  const scroll = await nextFrame(page, `const v = document.querySelector('.vt'); v.scrollTo(0, v.scrollHeight / 2)`);
  const rows = (await page.evaluate(`document.querySelectorAll('.vt tr.row').length`)) as number;
  return { hosts, ...timing, heapMiB: metric('JSHeapUsedSize') / 2 ** 20, nodes: metric('Nodes'), filter, search, scroll, rows };
}

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'] });
const lines = ['| hosts | first render | /api/fleet (size) | JS heap | DOM nodes | rows in DOM | filter | search | scroll |', '|---|---|---|---|---|---|---|---|---|'];
try {
  for (const n of sizes) {
    const server = createDashboardServer(fakeDashboard({ fleet: fakeFleet(n) }), { listen: { host: '127.0.0.1', port: 0 }, requireToken: false });
    const url = await server.listen();
    const results: Awaited<ReturnType<typeof measure>>[] = [];
    for (let i = 0; i < runs + 1; i++) {
      const context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
      const r = await measure(await context.newPage(), url, n);
      await context.close();
      if (i > 0) results.push(r); // the first load warms the server and the browser
    }
    await server.close();
    const m = (k: keyof Awaited<ReturnType<typeof measure>>) => median(results.map((r) => Number(r[k])));
    lines.push(`| ${n.toLocaleString('en')} | ${m('first').toFixed(0)} ms | ${m('apiMs').toFixed(0)} ms (${(m('apiBytes') / 2 ** 20).toFixed(1)} MiB) | ${m('heapMiB').toFixed(1)} MiB | ${m('nodes').toFixed(0)} | ${m('rows').toFixed(0)} | ${m('filter').toFixed(0)} ms | ${m('search').toFixed(0)} ms | ${m('scroll').toFixed(0)} ms |`);
    process.stderr.write(`${n} hosts done\n`);
  }
} finally {
  await browser.close();
}
process.stdout.write(`${lines.join('\n')}\n\n${runs} page loads per size (after one warm-up), medians; Chromium ${browser.version()}\n`);
