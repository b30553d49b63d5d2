// JUnit XML for CI dashboards: one testsuite per run, one testcase per host. Failed, rolled back and
// unreachable hosts are failures (type = the error code), skipped hosts are <skipped/>, hosts a stopped run
// never finished are errors. Takes the `upgrade --json` / `show RUN --json` document.

export interface JunitStep {
  step: string;
  status: string;
  code?: string | null;
  message?: string | null;
  duration_ms?: number | null;
}

export interface JunitHost {
  name: string;
  status: string;
  from?: string | null;
  to?: string | null;
  error: { code: string; message: string; hint?: string } | null;
  warnings?: string[];
  duration_ms?: number | null;
  steps?: JunitStep[];
}

export interface JunitRun {
  run: string;
  target: string | null;
  command?: string;
  /** ISO time the run started (show --json) */
  started?: string;
  ended?: string | null;
  hosts: JunitHost[];
}

const FAILURES = new Set(['failed', 'rolled_back', 'unreachable']);
const PASSES = new Set(['upgraded', 'switched', 'pruned', 'unchanged']);

export function junitXml(run: JunitRun): string {
  const classname = run.command ? `gofleet.${run.command}` : run.run;
  const cases = run.hosts.map((h) => testcase(h, classname));
  const count = (pred: (h: JunitHost) => boolean): number => run.hosts.filter(pred).length;
  const totals = {
    tests: run.hosts.length,
    failures: count((h) => FAILURES.has(h.status)),
    errors: count((h) => !FAILURES.has(h.status) && !PASSES.has(h.status) && h.status !== 'skipped'),
    skipped: count((h) => h.status === 'skipped'),
    time: seconds(suiteMs(run)),
  };
  const name = ['gofleet', run.command, run.target, `run ${run.run}`].filter(Boolean).join(' ');
  const suiteAttrs = { name, ...totals, ...(run.started ? { timestamp: run.started.replace(/\.\d+Z$|Z$/, '') } : {}) };
  const props: [string, string][] = [['run', run.run], ['command', run.command ?? ''], ['target', run.target ?? '']];
  const properties = props
    .map(([n, v]) => `      <property${attrs({ name: n, value: v })}/>`)
    .join('\n');
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attrs({ name: 'gofleet', ...totals })}>`,
    `  <testsuite${attrs(suiteAttrs)}>`,
    '    <properties>',
    properties,
    '    </properties>',
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

function testcase(h: JunitHost, classname: string): string {
  const open = `    <testcase${attrs({ classname, name: h.name, time: seconds(h.duration_ms ?? 0) })}`;
  const summary = `${h.from ?? '-'} -> ${h.to ?? '-'} (${h.status})`;
  const out = [summary, ...(h.warnings ?? []).map((w) => `warning: ${w}`)].join('\n');
  const systemOut = `      <system-out>${text(out)}</system-out>`;
  if (PASSES.has(h.status)) return `${open}>\n${systemOut}\n    </testcase>`;
  const code = h.error?.code ?? (h.status === 'skipped' ? 'SKIPPED' : 'UNFINISHED');
  const message = h.error?.message ?? (h.status === 'skipped' ? 'skipped' : `the run stopped while this host was ${h.status}`);
  if (h.status === 'skipped') return `${open}>\n      <skipped${attrs({ message: `${code}: ${message}` })}/>\n${systemOut}\n    </testcase>`;
  const element = FAILURES.has(h.status) ? 'failure' : 'error';
  const body = [message, ...(h.error?.hint ? [`hint: ${h.error.hint}`] : []), '', 'steps:', ...(h.steps ?? []).map(stepLine)].join('\n');
  return `${open}>\n      <${element}${attrs({ type: code, message })}>${text(body)}</${element}>\n${systemOut}\n    </testcase>`;
}

function stepLine(s: JunitStep): string {
  const detail = [s.code, s.message].filter(Boolean).join(': ');
  return `  ${s.step} ${s.status}${s.duration_ms == null ? '' : ` ${s.duration_ms}ms`}${detail ? ` - ${detail}` : ''}`;
}

function suiteMs(run: JunitRun): number {
  const start = run.started ? Date.parse(run.started) : NaN;
  const end = run.ended ? Date.parse(run.ended) : NaN;
  if (Number.isFinite(start) && Number.isFinite(end)) return end - start;
  return run.hosts.reduce((sum, h) => sum + (h.duration_ms ?? 0), 0);
}

function seconds(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(3);
}

function attrs(values: Record<string, string | number>): string {
  return Object.entries(values)
    .map(([k, v]) => ` ${k}="${attrValue(String(v))}"`)
    .join('');
}

// eslint-disable-next-line no-control-regex -- removing terminal escapes from host output is the point
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]/g;
// eslint-disable-next-line no-control-regex -- characters XML 1.0 forbids: C0 controls but tab/LF/CR, lone surrogates, U+FFFE/U+FFFF
const NOT_XML = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDFFF]/gu;

/** Text content: terminal colours dropped, characters XML cannot carry replaced by U+FFFD, markup escaped. */
export function xmlText(value: string): string {
  return value.replace(ANSI, '').replace(NOT_XML, '\uFFFD').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const text = xmlText;

/** Attribute value (double-quoted): also quotes, and whitespace kept as character references. */
export function attrValue(value: string): string {
  return xmlText(value).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}
