// The Windows pull (ps-pull.ts inside the stage step) and the reach probe (reach-script.ts): snapshots, the Windows
// PowerShell 5.1 checker, the script lint, values only through psQuote, and the reach line read by parseReach.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { GofleetError } from '../../errors.ts';
import { percentEncode } from '../protocol/percent.ts';
import type { HostPaths } from '../types.ts';
import { windows } from './index.ts';
import { msiUpgradeScript } from './msi-script.ts';
import { scriptKindOf } from './script-kind.ts';
import { checkPs51, formatPs51Problems } from './testing/check-ps51.ts';
import { lintScript } from './testing/script-lint.ts';

const DIR = fileURLToPath(new URL('./__snapshots__/', import.meta.url));
const paths: HostPaths = { goroot: 'C:\\Program Files\\Go', versionsDir: 'C:\\ProgramData\\gofleet\\versions' };
const run = '20261125-091502-3fa2';
const verify = { build: true, requirePath: true };
const URL_ = 'https://mirrors.example.com/golang/go1.27.3.windows-amd64.zip';
const zip = {
  filename: 'go1.27.3.windows-amd64.zip',
  sha256: '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
  size: 80_000_000,
  remotePath: windows.cachedArchivePath(paths, 'go1.27.3.windows-amd64.zip'),
  pullUrl: URL_,
};
const reachProbe = windows.reachProbe ?? ((): string => assert.fail('the Windows dialect has a reach probe'));
const parseReach = windows.parseReach ?? ((): never => assert.fail('the Windows dialect parses the reach line'));

const SCRIPTS: Record<string, () => string> = {
  'upgrade-pull': () => windows.upgrade({ paths, target: 'go1.27.3', run, verify, archive: zip }),
  reach: () => reachProbe(URL_),
};

function snapshot(name: string, text: string): void {
  const file = join(DIR, `${name}.ps1`);
  if (process.env.UPDATE_SNAPSHOTS === '1' || !existsSync(file)) {
    mkdirSync(DIR, { recursive: true });
    writeFileSync(file, text);
    if (process.env.UPDATE_SNAPSHOTS !== '1') assert.fail(`wrote a new snapshot ${file}; review it and re-run`);
  }
  assert.equal(text, readFileSync(file, 'utf8'), `${name}.ps1 differs from its snapshot; if intended, re-run with UPDATE_SNAPSHOTS=1`);
}

for (const [name, render] of Object.entries(SCRIPTS)) {
  test(`snapshot: ${name}.ps1; Windows PowerShell 5.1 checker and lint clean`, () => {
    const text = render();
    snapshot(name, text);
    const result = checkPs51(text);
    assert.deepEqual(result.problems, [], formatPs51Problems(result.problems, `${name}.ps1`));
    assert.deepEqual(result.ignored, []);
    assert.deepEqual(lintScript(text), []);
  });
}

test('the upgrade script pulls only when given a URL: PULL_URL quoted, step pull right before stage', () => {
  const pull = SCRIPTS['upgrade-pull']?.() ?? '';
  assert.ok(pull.includes(`  $script:PULL_URL = '${URL_}'\n`));
  assert.match(pull, /-not \(gf_pull\) -or \(gf_interrupted 'stage'\) -or -not \(gf_fence_check 'stage'\) -or -not \(gf_stage\)/);
  assert.match(pull, /if \(\$script:PULL_URL -eq ''\) \{ return \$true \}/);
  assert.match(pull, /gf_cache_archive \$cached \$script:PULLED/);
  assert.match(pull, /AddRange\(\[long\]\$From\)/);
  assert.match(pull, /if \(\[int\]\$protocols -ne 0\) \{\n +\[Net\.ServicePointManager\]::SecurityProtocol = \$protocols -bor \[Net\.SecurityProtocolType\]::Tls12/);
  assert.match(pull, /GetSystemWebProxy\(\)/);
  assert.doesNotMatch(pull, /Start-BitsTransfer|Invoke-WebRequest/);
  const push = windows.upgrade({ paths, target: 'go1.27.3', run, verify, archive: { ...zip, pullUrl: undefined } });
  assert.ok(push.includes("  $script:PULL_URL = ''\n"));
  const msi = msiUpgradeScript({ paths, target: 'go1.27.3', run, verify, method: 'msi', archive: { ...zip, filename: 'go1.27.3.windows-amd64.msi' } });
  assert.ok(msi.includes(`  $script:PULL_URL = '${URL_}'\n`));
  assert.deepEqual(lintScript(msi), []);
});

test("a URL enters the scripts only as a psQuote literal; a URL that is not http(s) is refused", () => {
  const odd = "https://h.example/it's/$x/`y/go1.27.3.windows-amd64.zip";
  assert.ok(reachProbe(odd).includes("$script:PULL_URL = 'https://h.example/it''s/$x/`y/go1.27.3.windows-amd64.zip'\n"));
  assert.equal(scriptKindOf(reachProbe(odd)), 'reach');
  const bad = (url: string): void =>
    assert.throws(() => windows.upgrade({ paths, target: 'go1.27.3', run, verify, archive: { ...zip, pullUrl: url } }), (e: unknown) => e instanceof GofleetError && e.code === 'BAD_OPTION', url);
  for (const url of ['file:///C:/go.zip', 'ftp://h/go.zip', 'https://h/a b.zip', 'https://h/a\nb.zip', 'not a url']) {
    bad(url);
    assert.throws(() => reachProbe(url), GofleetError);
  }
});

test('the reach probe is read-only: no lock, no file written', () => {
  const text = reachProbe(URL_);
  assert.doesNotMatch(text, /gf_lock|(?<!WebRequest\])::(Delete|Move|Create\w*|Write\w*|Replace)\(|Set-Item|New-Item|Remove-/);
  assert.match(text, /gf_http_request \$script:PULL_URL 'HEAD' 10000/);
});

test('parseReach reads the reach line', () => {
  assert.deepEqual(parseReach('@@gofleet reach ok 200 HttpWebRequest OK\n'), { ok: true, status: 200, tool: 'HttpWebRequest', detail: 'OK' });
  const msg = 'The remote name could not be resolved: \'mirror.example\'';
  assert.deepEqual(parseReach(`noise\r\n@@gofleet reach fail - HttpWebRequest ${percentEncode(msg)}\r\n`), { ok: false, status: null, tool: 'HttpWebRequest', detail: msg });
  assert.deepEqual(parseReach('@@gofleet reach fail 404 HttpWebRequest -\n'), { ok: false, status: 404, tool: 'HttpWebRequest', detail: '' });
  assert.deepEqual(parseReach('@@gofleet reach fail - - no%20download%20tool\n'), { ok: false, status: null, tool: null, detail: 'no download tool' });
  // no line, or a line cut in transit: not reachable
  assert.equal(parseReach('').ok, false);
  assert.equal(parseReach('@@gofleet reach ok 200 HttpWebRequest OK').ok, false);
  assert.match(parseReach('something else\n').detail, /no result line/);
});

test('parseReach: a line with another verdict is no answer; a percent-encoded tool is decoded', () => {
  assert.equal(parseReach('@@gofleet reach maybe 200 curl -\n').detail, 'the reach probe printed no result line');
  assert.equal(parseReach('@@gofleet reach ok 200 busybox%20wget -\n').tool, 'busybox wget');
});
