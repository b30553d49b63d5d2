import { test } from 'node:test';
import assert from 'node:assert/strict';
import { htmlReport } from './html.ts';
import type { HtmlHost, HtmlRun, HtmlStep } from './html-input.ts';
import { DENSE_HOSTS } from './html-timeline.ts';

const T = Date.UTC(2026, 10, 25, 9, 15, 2);
const iso = (s: number): string => new Date(T + s * 1000).toISOString();

/** [step, status, from s, to s (null: never ended)] */
type StepSpec = [string, string, number, number | null, string?];

function host(name: string, status: string, steps: StepSpec[], extra: Partial<HtmlHost> = {}): HtmlHost {
  const s: HtmlStep[] = steps.map(([step, st, from, to, message]) => ({
    step,
    status: st,
    started_at: iso(from),
    ended_at: to === null ? null : iso(to),
    duration_ms: to === null ? null : (to - from) * 1000,
    code: st === 'fail' ? 'VERIFY_FAILED' : null,
    message: message ?? null,
  }));
  const first = steps[0]?.[2];
  const last = steps.at(-1)?.[3];
  return {
    name,
    status,
    from: 'go1.26.8',
    to: 'go1.27.3',
    error: null,
    warnings: [],
    started_at: first === undefined ? null : iso(first),
    ended_at: last == null ? null : iso(last),
    duration_ms: first !== undefined && last != null ? (last - first) * 1000 : null,
    steps: s,
    ...extra,
  };
}

function run(hosts: HtmlHost[], extra: Partial<HtmlRun> = {}): HtmlRun {
  return {
    run: '20261125-091502-3fa2',
    target: 'go1.27.3',
    command: 'upgrade',
    status: 'done',
    abandoned: false,
    started: iso(0),
    ended: iso(10),
    user: 'ops',
    argv: ['gofleet', 'upgrade', '-i', 'fleet.yml', '--to', '1.27'],
    controller: 'ctl-01',
    policy: { parallel: 10 },
    hosts,
    ...extra,
  };
}

const THREE = (): HtmlHost[] => [
  host('build-01', 'upgraded', [['connect', 'ok', 0, 1], ['stage', 'ok', 2, 4], ['verify', 'ok', 4, 6]]),
  host('build-02', 'rolled_back', [['connect', 'ok', 0, 1], ['verify', 'fail', 1, 3, 'go version printed go1.26.8\n<stderr & "quotes">'], ['rollback', 'ok', 3, 4]], {
    error: { code: 'VERIFY_FAILED', message: 'go version printed go1.26.8, want go1.27.3', hint: 'Rolled back.' },
    warnings: ['login PATH finds /usr/bin/go first'],
  }),
  host('win-01', 'unreachable', [['connect', 'fail', 0, 10]], { from: null, error: { code: 'HOST_UNREACHABLE', message: 'connect ECONNREFUSED 10.0.1.7:22' } }),
];

const TAGS = new Set('html head meta title link style body header footer section p h1 h2 dl div dt dd code pre ul li b i span small details summary label input table thead tbody tr th td'.split(' '));
const ATTRS = new Set('lang charset http-equiv content name rel href class style title id aria-labelledby aria-label aria-hidden role open type scope'.split(' '));

/** Every tag is one we write, with attributes we write: injected markup would show up here. */
function tags(html: string): { name: string; attrs: Map<string, string> }[] {
  const out: { name: string; attrs: Map<string, string> }[] = [];
  for (const [raw] of html.replace(/<!DOCTYPE html>/, '').matchAll(/<[^>]*>/g)) {
    const m = /^<\/?([a-z0-9]+)((?:\s+[a-z-]+(?:="[^"]*")?)*)\s*>$/.exec(raw);
    assert.ok(m, `a tag we do not write: ${raw}`);
    const attrs = new Map([...(m[2] ?? '').matchAll(/([a-z-]+)(?:="([^"]*)")?/g)].map((a) => [a[1] ?? '', a[2] ?? '']));
    out.push({ name: m[1] ?? '', attrs });
  }
  return out;
}

function text(html: string): string {
  return html.replace(/<style>[\s\S]*?<\/style>/, '').replace(/<[^>]*>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}

test('a host named <script>alert(1)</script> is text, everywhere it appears', () => {
  const evil = '<script>alert(1)</script>';
  const quote = `x" onmouseover="alert(2)`;
  const page = htmlReport(run([host(evil, 'upgraded', [['connect', 'ok', 0, 1]]), host(quote, 'failed', [['connect', 'fail', 0, 1, '<img src=x onerror=alert(3)>']], { error: { code: 'REMOTE_FAILED', message: '</td></tr></table>&amp;' } })], { argv: ['gofleet', '--limit', evil] }));
  assert.doesNotMatch(page, /<script|<img|<\/td><\/tr><\/table>&amp;/i);
  for (const t of tags(page)) {
    assert.ok(TAGS.has(t.name), `tag ${t.name}`);
    for (const a of t.attrs.keys()) assert.ok(ATTRS.has(a), `attribute ${a} on <${t.name}>`);
  }
  const body = text(page);
  assert.ok(body.includes(`'${evil}'`), 'the command line shows the hostile argument quoted, as text');
  assert.equal(body.split(evil).length - 1, 3, 'the name in the command line, the timeline and the table, as text');
  assert.ok(body.includes(quote) && body.includes('</td></tr></table>&amp;'));
  const titles = tags(page).flatMap((t) => [...t.attrs].filter(([k]) => k === 'title').map(([, v]) => v));
  assert.ok(titles.some((v) => v.includes('&lt;img src=x onerror=alert(3)&gt;')), 'the step message is an escaped tooltip');
  assert.ok(titles.some((v) => v.includes('x&quot; onmouseover=&quot;alert(2)')));
});

test('one table row and one timeline bar per host; counts per status', () => {
  const page = htmlReport(run(THREE()));
  const all = tags(page);
  const tbody = page.slice(page.indexOf('<tbody>'), page.indexOf('</tbody>'));
  assert.equal([...tbody.matchAll(/<tr /g)].length, 3);
  assert.deepEqual([...tbody.matchAll(/<th scope="row">([^<]*)<\/th>/g)].map((m) => m[1]), ['build-01', 'build-02', 'win-01']);
  assert.equal(all.filter((t) => t.name === 'div' && /\bhost\b/.test(t.attrs.get('class') ?? '')).length, 3);
  assert.equal(all.filter((t) => t.name === 'i' && t.attrs.has('title')).length, 7, 'a segment per step');
  const counts = Object.fromEntries([...page.matchAll(/<li class="st-(\w+)(?: zero)?"><b><span class="ic">[^<]*<\/span> (\d+)<\/b>/g)].map((m) => [m[1], Number(m[2])]));
  assert.deepEqual(counts, { upgraded: 1, unchanged: 0, failed: 0, rolled_back: 1, unreachable: 1, skipped: 0 }, 'no 0-switched or 0-pruned tile on an upgrade');
  assert.match(page, /<li class="total"><b>3<\/b> hosts<\/li>/);
  assert.match(text(page), /2 of 3 hosts need attention/);
  assert.match(page, /class="badge st-rolled_back"><b class="ic">↺<\/b> rolled back</);
  assert.match(text(page), /Hint: Rolled back\./);
  assert.match(text(page), /⚠ login PATH finds \/usr\/bin\/go first/);
  assert.match(text(page), /verify output \(VERIFY_FAILED\)go version printed go1.26.8\n<stderr & "quotes">/);
});

test('segments sit on the run time axis: left and width are percentages of the run', () => {
  const page = htmlReport(run(THREE()));
  assert.match(page, /<i class="ok" style="left:20%;width:20%" title="stage · ok · 2\.0s \(at \+2s\)">&#8203;stage<\/i>/);
  assert.match(page, /<i class="fail" style="left:10%;width:20%" title="verify · failed · 2\.0s \(at \+1s\)&#10;VERIFY_FAILED&#10;go version printed go1\.26\.8&#10;&lt;stderr &amp; &quot;quotes&quot;&gt;">/);
  assert.match(page, /<i class="fail" style="left:0%;width:100%"[^>]*>&#8203;✗ connect<\/i>/);
  assert.match(page, /--tick:10%/, 'a tick a second on a ten-second run');
});

test('use/rollback hosts read "switched" and prune hosts "pruned": done, nothing to look at', () => {
  const page = htmlReport(
    run([host('build-01', 'switched', [['switch', 'ok', 0, 1]]), host('build-02', 'pruned', [['prune', 'ok', 0, 1]], { to: 'go1.26.8' })], { command: 'rollback', target: null }),
  );
  assert.match(page, /class="badge st-switched"><b class="ic">⇄<\/b> switched</);
  assert.match(page, /class="badge st-pruned"><b class="ic">−<\/b> pruned</);
  assert.match(text(page), /All 2 hosts OK/);
  assert.doesNotMatch(text(page), /need attention|did not finish \(/);
});

test('no network references: nothing in any tag or the stylesheet points off the page; URLs in messages stay text', () => {
  const hosts = THREE();
  hosts[2] = { ...(hosts[2] as HtmlHost), error: { code: 'SOURCE_UNAVAILABLE', message: 'GET https://go.dev/dl/?mode=json failed; see http://proxy.example:3128' } };
  const page = htmlReport(run(hosts));
  for (const t of tags(page)) for (const [k, v] of t.attrs) if (k !== 'title') assert.doesNotMatch(v, /\/\/|url\(/i, `${k} on <${t.name}>`);
  const css = /<style>([\s\S]*?)<\/style>/.exec(page)?.[1] ?? '';
  assert.doesNotMatch(css, /url\(|@import|@font-face|\/\//);
  const links = tags(page).filter((t) => t.attrs.has('href') || t.attrs.has('src'));
  assert.deepEqual(links.map((t) => t.attrs.get('href')), ['data:,'], 'only the empty favicon, so no browser asks for /favicon.ico');
  assert.match(page, /http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:;/);
  assert.ok(text(page).includes('GET https://go.dev/dl/?mode=json failed; see http://proxy.example:3128'));
  assert.doesNotMatch(page, /<script/);
});

test('the same run renders to the same bytes', () => {
  const a = htmlReport(run(THREE()));
  const b = htmlReport(structuredClone(run(THREE())));
  assert.equal(a, b);
  assert.notEqual(a, htmlReport(run(THREE().reverse())), 'and it does depend on the run');
});

test('hosts with a wave are grouped by wave, with a wave column; without, one group and no column', () => {
  const hosts = THREE().map((h, i) => ({ ...h, wave: i === 0 ? 1 : 2 }));
  const waved = htmlReport(run(hosts));
  assert.deepEqual([...waved.matchAll(/<b>(Wave \d+)<\/b> <small>(\d+) hosts?<\/small>/g)].map((m) => `${m[1]}:${m[2]}`), ['Wave 1:1', 'Wave 2:2']);
  assert.match(waved, /<th class="num">Wave<\/th>/);
  for (const flat of [htmlReport(run(THREE())), htmlReport(run(THREE().map((h) => ({ ...h, wave: 1 }))))]) {
    assert.doesNotMatch(flat, /<details class="wave"|>Wave</, 'no waves, or a single one: shown flat');
  }
});

test('a run stopped midway: unfinished steps reach the end of the axis, the host "did not finish"', () => {
  const hosts = [
    host('a', 'upgraded', [['connect', 'ok', 0, 1]]),
    host('b', 'staging', [['connect', 'ok', 0, 1], ['stage', 'running', 2, null]]),
    host('c', 'pending', []),
  ];
  const page = htmlReport(run(hosts, { status: 'interrupted', ended: iso(8) }));
  assert.match(page, /<i class="running" style="left:25%;width:75%" title="stage · did not finish · unfinished \(at \+2s\)">&#8203;◌ stage<\/i>/);
  assert.match(text(page), /◌ did not finish \(staging\)/);
  assert.match(text(page), /no steps recorded/);
  assert.match(text(page), /Interrupted · 2 of 3 hosts did not finish or failed/);
  assert.match(page, /<li class="st-unfinished"><b><span class="ic">◌<\/span> 2<\/b> did not finish<\/li>/);
});

test('size grows linearly with hosts; 500 hosts stay small', () => {
  const fleet = (n: number): HtmlRun =>
    run(Array.from({ length: n }, (_, i) => host(`host-${String(i).padStart(3, '0')}`, 'upgraded', [
      ['connect', 'ok', i * 0.01, i * 0.01 + 0.2], ['facts', 'ok', i * 0.01 + 0.2, i * 0.01 + 0.5], ['upload', 'ok', i * 0.01 + 0.5, i * 0.01 + 3],
      ['lock', 'ok', i * 0.01 + 3, i * 0.01 + 3.1], ['stage', 'ok', i * 0.01 + 3.1, i * 0.01 + 6], ['switch', 'ok', i * 0.01 + 6, i * 0.01 + 6.1],
      ['verify', 'ok', i * 0.01 + 6.1, i * 0.01 + 8], ['unlock', 'ok', i * 0.01 + 8, i * 0.01 + 8.1],
    ], { wave: i < 100 ? 1 : 2 })), { ended: iso(14) });
  const size = (n: number): number => Buffer.byteLength(htmlReport(fleet(n)));
  const base = size(DENSE_HOSTS + 1);
  const perHost = (size(500) - base) / (500 - DENSE_HOSTS - 1);
  const perHostSmall = (size(200) - base) / (200 - DENSE_HOSTS - 1);
  assert.ok(perHost < 1600, `${perHost} bytes a host`);
  assert.ok(Math.abs(perHost - perHostSmall) / perHostSmall < 0.1, `linear: ${perHostSmall} vs ${perHost} bytes a host`);
  assert.ok(size(500) < 1_000_000);
  const one = htmlReport(fleet(1));
  assert.match(one, /<li class="total"><b>1<\/b> host<\/li>/);
  assert.match(text(one), /All 1 host OK/);
});
