import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { attrValue, junitXml, xmlText, type JunitRun } from './junit.ts';

// A small strict XML 1.0 parser: enough to prove well-formedness (one root, matched tags, quoted unique
// attributes, only the five entities and character references, no illegal characters) and read the tree.
interface XmlNode {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  text: string;
}

function parseXml(src: string): XmlNode {
  let i = 0;
  const fail = (why: string): never => {
    throw new Error(`not well-formed: ${why} at ${i}: ${JSON.stringify(src.slice(i, i + 40))}`);
  };
  if (/[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u.test(src)) fail('a character XML 1.0 forbids');
  const skipWs = (): boolean => {
    const start = i;
    while (/[ \t\r\n]/.test(src[i] ?? '')) i++;
    return i > start;
  };
  const expect = (s: string): void => {
    if (!src.startsWith(s, i)) fail(`expected ${s}`);
    i += s.length;
  };
  const name = (): string => {
    const m = /^[A-Za-z_:][A-Za-z0-9_.:-]*/.exec(src.slice(i));
    if (!m) return fail('expected a name');
    i += m[0].length;
    return m[0];
  };
  const decode = (raw: string): string =>
    raw.replace(/&[^;]*;|&/g, (ref) => {
      const named: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&apos;': "'" };
      if (named[ref]) return named[ref];
      const m = /^&#(?:(\d+)|x([0-9a-fA-F]+));$/.exec(ref);
      if (!m) return fail(`bad reference ${ref}`);
      return String.fromCodePoint(m[1] ? Number(m[1]) : parseInt(m[2] ?? '', 16));
    });
  const element = (): XmlNode => {
    expect('<');
    const node: XmlNode = { name: name(), attrs: {}, children: [], text: '' };
    for (;;) {
      const spaced = skipWs();
      if (src.startsWith('/>', i)) return (i += 2), node;
      if (src[i] === '>') break;
      if (!spaced) fail('attributes must be separated by whitespace');
      const attr = name();
      skipWs();
      expect('=');
      skipWs();
      const quote = src[i];
      if (quote !== '"' && quote !== "'") fail('unquoted attribute');
      const end = src.indexOf(quote ?? '"', i + 1);
      if (end < 0) fail('unterminated attribute');
      const raw = src.slice(i + 1, end);
      if (raw.includes('<')) fail('< in an attribute value');
      if (attr in node.attrs) fail(`duplicate attribute ${attr}`);
      node.attrs[attr] = decode(raw);
      i = end + 1;
    }
    i++;
    for (;;) {
      if (i >= src.length) fail(`<${node.name}> is never closed`);
      if (src.startsWith('</', i)) {
        i += 2;
        if (name() !== node.name) fail(`mismatched end tag for <${node.name}>`);
        skipWs();
        expect('>');
        return node;
      }
      if (src[i] === '<') {
        node.children.push(element());
        continue;
      }
      const next = src.indexOf('<', i);
      const raw = src.slice(i, next < 0 ? src.length : next);
      if (raw.includes(']]>')) fail(']]> in text');
      node.text += decode(raw);
      i = next < 0 ? src.length : next;
    }
  };
  if (src.startsWith('<?xml')) {
    const end = src.indexOf('?>');
    if (end < 0) fail('unterminated declaration');
    i = end + 2;
  }
  skipWs();
  const root = element();
  skipWs();
  if (i !== src.length) fail('content after the root element');
  return root;
}

const all = (node: XmlNode, name: string): XmlNode[] => [
  ...(node.name === name ? [node] : []),
  ...node.children.flatMap((c) => all(c, name)),
];

const NASTY = 'exit 1: <stderr> & "quotes" \'apos\' ]]> \x1b[31mred\x1b[0m \x00\x07 tab\tnew\nline é 𝄞 \uD800';

const run: JunitRun = {
  run: '20261125-091502-3fa2',
  command: 'upgrade',
  target: 'go1.27.3',
  started: '2026-11-25T09:15:02.000Z',
  ended: '2026-11-25T09:15:12.500Z',
  hosts: [
    { name: 'build-01', status: 'upgraded', from: 'go1.26.8', to: 'go1.27.3', error: null, duration_ms: 8750, steps: [] },
    { name: 'build-02 "&<x>"', status: 'unchanged', from: 'go1.27.3', to: 'go1.27.3', error: null, warnings: ['PATH finds /usr/bin/go'], duration_ms: 1200 },
    {
      name: 'build-03',
      status: 'rolled_back',
      from: 'go1.26.8',
      to: 'go1.27.3',
      error: { code: 'VERIFY_FAILED', message: NASTY, hint: 'rolled back' },
      duration_ms: 9000,
      steps: [{ step: 'verify', status: 'fail', code: 'VERIFY_FAILED', message: NASTY, duration_ms: 250 }],
    },
    { name: 'build-04', status: 'failed', from: 'go1.26.8', to: 'go1.27.3', error: { code: 'DISK_FULL', message: 'no space' }, duration_ms: 10 },
    { name: 'win-01', status: 'unreachable', from: null, to: 'go1.27.3', error: { code: 'HOST_UNREACHABLE', message: 'connect ECONNREFUSED' } },
    { name: 'win-02', status: 'skipped', from: null, to: 'go1.27.3', error: { code: 'INTERRUPTED', message: 'not started' } },
    { name: 'win-03', status: 'staging', from: 'go1.26.8', to: 'go1.27.3', error: null },
  ],
};

test('well-formed XML: one suite, one testcase per host, totals that add up', () => {
  const root = parseXml(junitXml(run));
  assert.equal(root.name, 'testsuites');
  const [suite, ...more] = all(root, 'testsuite');
  assert.ok(suite);
  assert.equal(more.length, 0);
  assert.deepEqual(
    { tests: suite.attrs.tests, failures: suite.attrs.failures, errors: suite.attrs.errors, skipped: suite.attrs.skipped, time: suite.attrs.time },
    { tests: '7', failures: '3', errors: '1', skipped: '1', time: '10.500' },
  );
  assert.equal(suite.attrs.timestamp, '2026-11-25T09:15:02');
  assert.equal(suite.attrs.name, 'gofleet upgrade go1.27.3 run 20261125-091502-3fa2');
  assert.deepEqual(root.attrs.tests, '7');
  const cases = all(suite, 'testcase');
  assert.deepEqual(cases.map((c) => c.attrs.name), run.hosts.map((h) => h.name));
  assert.ok(cases.every((c) => c.attrs.classname === 'gofleet.upgrade'));
  assert.equal(cases[0]?.attrs.time, '8.750');
  assert.deepEqual(
    all(suite, 'property').map((p) => [p.attrs.name, p.attrs.value]),
    [['run', run.run], ['command', 'upgrade'], ['target', 'go1.27.3']],
  );
});

test('failures carry the error code as type and the message; skipped and unfinished hosts are marked', () => {
  const cases = all(parseXml(junitXml(run)), 'testcase');
  const kinds = cases.map((c) => c.children.filter((k) => k.name !== 'system-out').map((k) => `${k.name}:${k.attrs.type ?? ''}`));
  assert.deepEqual(kinds, [[], [], ['failure:VERIFY_FAILED'], ['failure:DISK_FULL'], ['failure:HOST_UNREACHABLE'], ['skipped:'], ['error:UNFINISHED']]);
  const failure = cases[2]?.children.find((c) => c.name === 'failure');
  const cleaned = 'exit 1: <stderr> & "quotes" \'apos\' ]]> red \uFFFD\uFFFD tab\tnew\nline é 𝄞 \uFFFD';
  assert.equal(failure?.attrs.message, cleaned, 'attribute keeps tabs and newlines as references');
  assert.ok(failure?.text.startsWith(cleaned + '\nhint: rolled back\n\nsteps:\n  verify fail 250ms - VERIFY_FAILED: exit 1'));
  assert.equal(cases[5]?.children[0]?.attrs.message, 'INTERRUPTED: not started');
  assert.match(cases[6]?.children[0]?.attrs.message ?? '', /stopped while this host was staging/);
  assert.equal(cases[1]?.children[0]?.text, 'go1.27.3 -> go1.27.3 (unchanged)\nwarning: PATH finds /usr/bin/go');
});

test('escaping helpers', () => {
  assert.equal(xmlText('a<b>&c'), 'a&lt;b&gt;&amp;c');
  assert.equal(attrValue('"x"\n\'y\''), '&quot;x&quot;&#10;&apos;y&apos;');
  assert.equal(xmlText('\x1b[1;31mERR\x1b[0m\x0b'), 'ERR\uFFFD');
});

test('without a command or times: classname is the run id and time sums the hosts', () => {
  const minimal: JunitRun = { run: 'r-1', target: null, hosts: [{ name: 'a', status: 'upgraded', error: null, duration_ms: 1500 }, { name: 'b', status: 'upgraded', error: null }] };
  const root = parseXml(junitXml(minimal));
  const suite = all(root, 'testsuite')[0];
  assert.equal(suite?.attrs.time, '1.500');
  assert.equal(suite?.attrs.timestamp, undefined);
  assert.deepEqual(all(root, 'testcase').map((c) => c.attrs.classname), ['r-1', 'r-1']);
});

test('the checker itself rejects what is not well-formed', () => {
  for (const bad of ['<a><b></a></b>', '<a x="1" x="2"/>', '<a>&nbsp;</a>', '<a>x & y</a>', '<a x="<"/>', '<a/><b/>', '<a>\x01</a>', '<a']) {
    assert.throws(() => parseXml(bad), /not well-formed/, bad);
  }
});

for (const [tool, args] of [['xmllint', ['--noout', '-']], ['python3', ['-c', 'import sys, xml.parsers.expat as x; x.ParserCreate().ParseFile(sys.stdin.buffer)']]] as const) {
  const present = spawnSync(tool, ['--version'], { stdio: 'ignore' }).status === 0;
  test(`a real XML parser (${tool}) accepts the report`, { skip: present ? false : `${tool} is not installed` }, () => {
    const r = spawnSync(tool, args, { input: junitXml(run), encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const broken = spawnSync(tool, args, { input: '<a><b></a>', encoding: 'utf8' });
    assert.notEqual(broken.status, 0, 'the tool really parses');
  });
}

test('switched (use, rollback) and pruned hosts pass: neither a failure nor an error', () => {
  const xml = junitXml({
    run: 'r-2',
    command: 'rollback',
    target: null,
    hosts: [
      { name: 'a', status: 'switched', from: 'go1.27.3', to: 'go1.26.8', error: null },
      { name: 'b', status: 'pruned', from: 'go1.27.3', to: 'go1.27.3', error: null },
    ],
  });
  assert.match(xml, /<testsuites name="gofleet" tests="2" failures="0" errors="0" skipped="0"/);
  assert.doesNotMatch(xml, /<error|<failure/);
});
