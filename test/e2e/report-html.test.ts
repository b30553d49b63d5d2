// `gofleet report RUN --format html`: a run journaled into a real SQLite store, rendered through the real CLI,
// opened in headless Chromium with every network request blocked. Leaves docs/report-example.png behind.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { runCli } from '../../src/cli/program.ts';
import type { CliIo } from '../../src/cli/io.ts';
import type { EngineEvent, EngineStep, ErrorInfo, FinalStatus, HostResult, StepRecord } from '../../src/engine/events.ts';
import { openStore } from '../../src/store/index.ts';
import { T0 } from '../../src/store/testdata/synthetic-run.ts';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOT = new URL('../../docs/report-example.png', import.meta.url).pathname;
const skip = !existsSync(CHROMIUM) && process.env.CI !== 'true' ? `${CHROMIUM} is not installed (apt-get install chromium); CI=true runs it regardless` : false;

interface TimedStep {
  step: EngineStep;
  ms: number;
  status?: 'ok' | 'fail' | 'skip';
  code?: string;
  message?: string;
}

interface TimedHost {
  name: string;
  status: FinalStatus;
  from: string | null;
  error?: ErrorInfo;
  warnings?: string[];
  steps: TimedStep[];
}

/** Deterministic jitter: the same host always gets the same durations. */
function jitter(seed: string): (base: number, spread: number) => number {
  let x = [...seed].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7);
  return (base, spread) => {
    x = (x * 1103515245 + 12345) >>> 0;
    return Math.round(base + ((x >>> 8) / 0xffffff) * spread);
  };
}

function upgrade(name: string, end: Partial<Record<EngineStep, TimedStep[]>> = {}): TimedStep[] {
  const j = jitter(name);
  const plan: TimedStep[] = [
    { step: 'connect', ms: j(180, 260) },
    { step: 'facts', ms: j(400, 500) },
    { step: 'upload', ms: j(2600, 2400) },
    { step: 'lock', ms: j(60, 60) },
    { step: 'stage', ms: j(3800, 2600) },
    { step: 'switch', ms: j(120, 80) },
    { step: 'verify', ms: j(2400, 1600) },
    { step: 'unlock', ms: j(60, 40) },
  ];
  const cut = plan.findIndex((s) => end[s.step]);
  if (cut < 0) return plan;
  return [...plan.slice(0, cut), ...(end[plan[cut]?.step as EngineStep] ?? [])];
}

const ok = (name: string, from = 'go1.26.8'): TimedHost => ({ name, status: 'upgraded', from, steps: upgrade(name) });
const same = (name: string): TimedHost => ({ name, status: 'unchanged', from: 'go1.27.3', steps: upgrade(name).slice(0, 2) });

/** A four-wave upgrade: canary, two waves with trouble that spend the --max-fail budget, a skipped last wave. */
function postmortemFleet(): TimedHost[][] {
  const verifyOut = 'go version printed go1.26.8, want go1.27.3\n$ /usr/local/go/bin/go version\ngo version go1.26.8 linux/amd64\n<stderr & "quotes">';
  return [
    [ok('build-01')],
    [ok('build-02'), ok('build-03'), same('build-04'), ok('build-05'), ok('ci-runner-01', 'go1.25.4'), ok('ci-runner-02', 'go1.25.4')],
    [
      ok('ci-runner-03', 'go1.25.4'),
      {
        name: 'ci-runner-04',
        status: 'rolled_back',
        from: 'go1.25.4',
        error: { code: 'VERIFY_FAILED', message: 'go version printed go1.26.8, want go1.27.3', hint: 'The new toolchain did not pass verification; the host was rolled back to its previous Go.' },
        warnings: ['login PATH finds /usr/bin/go (Debian golang-go) before /usr/local/go/bin'],
        steps: upgrade('ci-runner-04', {
          verify: [
            { step: 'verify', ms: 1900, status: 'fail', code: 'VERIFY_FAILED', message: verifyOut },
            { step: 'rollback', ms: 700 },
            { step: 'unlock', ms: 60 },
          ],
        }),
      },
      ok('ci-runner-05', 'go1.25.4'),
      {
        name: 'gpu-07.lab',
        status: 'unreachable',
        from: null,
        error: { code: 'CONNECT_TIMEOUT', message: 'connect to 10.40.7.17:22 timed out after 10s', hint: 'The host did not answer in time; check routing or raise --connect-timeout.' },
        steps: [{ step: 'connect', ms: 10_000, status: 'fail', code: 'CONNECT_TIMEOUT', message: 'connect to 10.40.7.17:22 timed out after 10s' }],
      },
      {
        name: 'db-tools-02',
        status: 'failed',
        from: 'go1.26.8',
        error: { code: 'DISK_FULL', message: 'no space left on device: 212 MiB free under /opt/go-versions, 310 MiB needed', hint: 'Free space under versions_dir (gofleet prune --keep N) and retry.' },
        steps: upgrade('db-tools-02', {
          stage: [
            { step: 'stage', ms: 1400, status: 'fail', code: 'DISK_FULL', message: 'tar: go/pkg/tool/linux_amd64/compile: Wrote only 4096 of 10240 bytes\ntar: Exiting with failure status due to previous errors' },
            { step: 'unlock', ms: 50 },
          ],
        }),
      },
      ok('build-06'),
    ],
    ['build-07', 'build-08', 'build-09', 'ci-runner-06'].map((name) => ({
      name,
      status: 'skipped' as const,
      from: null,
      error: { code: 'BUDGET_EXCEEDED', message: '--max-fail 2 spent in wave 3 (1 failed, 1 rolled back, 1 unreachable); not started' },
      steps: [],
    })),
  ];
}

/** The engine's event stream for hosts in waves, `parallel` at a time within a wave, in time order. */
function wavedRun(run: string, waves: TimedHost[][], parallel = 4, t0 = T0): EngineEvent[] {
  const timed: EngineEvent[] = [];
  const all = waves.flat();
  const results: HostResult[] = [];
  let clock = t0;
  timed.push({ kind: 'run-start', run, command: 'upgrade', target: 'go1.27.3', hosts: all.map((h) => h.name), at: t0 });
  waves.forEach((hosts, w) => {
    const wave = w + 1;
    timed.push({ kind: 'wave-start', run, wave, hosts: hosts.map((h) => h.name), at: clock });
    const slots = Array.from({ length: parallel }, () => clock + 20);
    for (const h of hosts) {
      const slot = slots.indexOf(Math.min(...slots));
      const start = slots[slot] ?? clock;
      let at = start;
      const steps: StepRecord[] = [];
      for (const s of h.steps) {
        const rec: StepRecord = { step: s.step, status: s.status ?? 'ok', startedAt: at, endedAt: at + s.ms, ...(s.code ? { code: s.code } : {}), ...(s.message ? { message: s.message } : {}) };
        timed.push({ kind: 'host-step', run, host: h.name, step: s.step, status: 'start', at });
        timed.push({ kind: 'host-step', run, host: h.name, step: s.step, status: rec.status as 'ok', ...(s.code ? { code: s.code } : {}), ...(s.message ? { message: s.message } : {}), at: at + s.ms });
        steps.push(rec);
        at += s.ms + 15;
      }
      const result: HostResult = { name: h.name, status: h.status, from: h.from, to: 'go1.27.3', error: h.error ?? null, warnings: h.warnings ?? [], startedAt: start, durationMs: at - start, steps };
      results.push(result);
      timed.push({ kind: 'host-done', run, result, at });
      slots[slot] = h.steps.length ? at + 10 : start;
    }
    clock = Math.max(...slots) + 40;
    timed.push({ kind: 'wave-end', run, wave, at: clock });
    clock += 1500;
  });
  timed.push({ kind: 'run-end', run, results, at: clock - 1500 + 30 });
  // a stable sort keeps each step's start before its end at equal times
  return timed.map((e, i) => ({ e, i })).sort((a, b) => a.e.at - b.e.at || a.i - b.i).map(({ e }) => e);
}

function recordRun(db: string, run: string, events: EngineEvent[], argv: string[]): void {
  const store = openStore(db);
  try {
    const sink = store.recorder({ run, user: 'mira', argv, command: 'upgrade', target: 'go1.27.3', policy: { parallel: 4, canary: 1, waves: [1, '50%', '100%'], 'max-fail': 2 } });
    for (const e of events) sink(e);
  } finally {
    store.close();
  }
}

async function renderHtml(db: string, run: string, out: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { out: (t) => void (stdout += t), err: (t) => void (stderr += t), stdoutTty: false, stderrTty: false };
  const code = await runCli(['report', run, '--format', 'html', '-o', out, '--state', db], io);
  return { code, stdout, stderr };
}

async function launch(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
}

test('the HTML report of a recorded run opens offline in Chromium: a row and a bar per host, waves, a screenshot', { skip, timeout: 120_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'gofleet-report-html-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const db = join(dir, 'gofleet.db');
  const run = '20261125-091502-3fa2';
  const fleet = postmortemFleet();
  const hosts = fleet.flat();
  recordRun(db, run, wavedRun(run, fleet), ['gofleet', 'upgrade', '-i', 'fleet.yml', '--to', '1.27', '--canary', '1', '--waves', '1,50%,100%', '--max-fail', '2', '--parallel', '4']);

  const file = join(dir, 'report.html');
  const cli = await renderHtml(db, run, file);
  assert.equal(cli.code, 0, cli.stderr);
  assert.equal(cli.stdout, '', 'with -o the page goes to the file, not stdout');
  assert.match(cli.stderr, /wrote .*report\.html/);

  const browser = await launch();
  t.after(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 1360, height: 900 }, deviceScaleFactor: 1 });
  const attempted: string[] = [];
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('dialog', (d) => {
    errors.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  await page.route('**', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:')) return route.continue();
    attempted.push(url);
    return route.abort();
  });
  page.on('request', (r) => {
    if (!r.url().startsWith('file:') && !r.url().startsWith('data:')) attempted.push(r.url());
  });
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });

  assert.deepEqual(attempted, [], 'the page asked for nothing over the network');
  assert.deepEqual(errors, []);
  assert.equal(await page.locator('script').count(), 0);

  const rows = await page.locator('section.hosts tbody tr').evaluateAll((trs) => trs.map((tr) => tr.querySelector('th')?.textContent ?? ''));
  assert.deepEqual(rows, hosts.map((h) => h.name), 'one table row per host, in run order');
  const bars = await page.locator('.tl-row.host').evaluateAll((els) => els.map((el) => ({
    name: el.querySelector('.tl-name')?.textContent?.replace(/^\S\s?/, '') ?? '',
    segments: el.querySelectorAll('.tl-track i').length,
    width: el.querySelector('.tl-track')?.getBoundingClientRect().width ?? 0,
  })));
  assert.deepEqual(bars.map((b) => b.name.replace(/^[^\w]+/, '')), hosts.map((h) => h.name), 'one timeline bar per host');
  assert.deepEqual(bars.map((b) => b.segments), hosts.map((h) => h.steps.length), 'a segment per recorded step');
  assert.ok(bars.every((b) => b.width > 400), 'the bars have room');

  const waves = await page.locator('details.wave > summary .tl-name b').allTextContents();
  assert.deepEqual(waves, ['Wave 1', 'Wave 2', 'Wave 3', 'Wave 4'], 'hosts grouped by the waves the journal recorded');
  const counts = await page.locator('ul.counts li:not(.total) b').allTextContents();
  const expected = ['upgraded', 'unchanged', 'failed', 'rolled_back', 'unreachable', 'skipped'].map((s) => hosts.filter((h) => h.status === s).length);
  assert.deepEqual(counts.map((c) => Number(c.replace(/\D/g, ''))), expected, 'upgraded, unchanged, failed, rolled back, unreachable, skipped');
  assert.match((await page.locator('section.hosts').textContent()) ?? '', /<stderr & "quotes">/, 'step output shown as text');

  // segments are placed by time: the canary starts the run, wave 3 starts after wave 2 ended
  const left = async (host: string): Promise<number> => {
    const style = await page.locator('.tl-row.host', { hasText: host }).locator('.tl-track i').first().getAttribute('style');
    return Number(/left:([\d.]+)%/.exec(style ?? '')?.[1] ?? NaN);
  };
  assert.ok((await left('build-01')) < 1);
  assert.ok((await left('build-02')) > (await left('build-01')) && (await left('ci-runner-03')) > (await left('ci-runner-02')));

  // before anything scrolls the page (the axis and table headers are sticky)
  mkdirSync(new URL('../../docs/', import.meta.url).pathname, { recursive: true });
  await page.screenshot({ path: SCREENSHOT, fullPage: true });
  assert.equal(readFileSync(SCREENSHOT).subarray(1, 4).toString(), 'PNG');

  // "only the hosts that need attention" works without any script
  await page.locator('#only-attention').check();
  const shown = await page.locator('section.hosts tbody tr').evaluateAll((trs) => trs.filter((tr) => tr.getClientRects().length > 0).map((tr) => tr.querySelector('th')?.textContent));
  assert.deepEqual(shown, hosts.filter((h) => ['failed', 'rolled_back', 'unreachable'].includes(h.status)).map((h) => h.name));
});

test('hostile host names and messages stay text in the browser', { skip, timeout: 60_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'gofleet-report-html-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const db = join(dir, 'gofleet.db');
  const evil = '<script>alert(1)</script>';
  const quote = `q" onmouseover="alert(2)`;
  const img = '<img src=x onerror=alert(3)>';
  const hosts: TimedHost[] = [
    { name: evil, status: 'upgraded', from: 'go1.26.8', steps: upgrade('a') },
    { name: quote, status: 'failed', from: 'go1.26.8', error: { code: 'REMOTE_FAILED', message: `${img} & see https://go.dev/doc/install` }, steps: [{ step: 'connect', ms: 200 }, { step: 'facts', ms: 300, status: 'fail', code: 'REMOTE_FAILED', message: `${img}\n</pre></td></tr></table><b>not bold</b>` }] },
  ];
  recordRun(db, 'evil', wavedRun('evil', [hosts]), ['gofleet', 'upgrade', '--limit', evil]);
  const file = join(dir, 'evil.html');
  assert.equal((await renderHtml(db, 'evil', file)).code, 0);

  const browser = await launch();
  t.after(() => browser.close());
  const page = await browser.newPage();
  const events: string[] = [];
  page.on('dialog', (d) => {
    events.push(d.message());
    void d.dismiss();
  });
  page.on('request', (r) => {
    if (!r.url().startsWith('file:') && !r.url().startsWith('data:')) events.push(r.url());
  });
  await page.route('**', (route) => (route.request().url().startsWith('file:') ? route.continue() : route.abort()));
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  await page.locator('.tl-row.host .tl-name').nth(1).hover();

  assert.deepEqual(events, [], 'no dialog, no request');
  assert.equal(await page.locator('script, img, section.hosts b:text("not bold")').count(), 0);
  assert.deepEqual(await page.locator('section.hosts tbody th').allTextContents(), [evil, quote]);
  const notes = await page.locator('section.hosts tbody tr').nth(1).innerText();
  assert.ok(notes.includes(img) && notes.includes('https://go.dev/doc/install'), notes);
  assert.equal(await page.locator('[onmouseover], [onerror]').count(), 0);
});
