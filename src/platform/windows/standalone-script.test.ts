// `gofleet script --os windows`: the standalone PowerShell scripts. No PowerShell runs here: every script is parsed
// and checked (tree-sitter + the Windows PowerShell 5.1 rules, check-ps51.ts; gofleet's own conventions,
// script-lint.ts), snapshot-tested, and read for what it must hold. They run for real only on a Windows machine
// (.github/workflows/windows-e2e.yml, a hosted windows-latest runner).
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import Parser from 'tree-sitter';
import PowerShell from 'tree-sitter-powershell/bindings/node/index.js';
import { GofleetError } from '../../errors.ts';
import type { StandaloneUpgradeIntent } from '../standalone.ts';
import { msiUpgradeScriptSpec } from './msi-script.ts';
import { PS_STANDALONE } from './ps-standalone.ts';
import { standaloneDetectScript, standaloneUpgradeScript, WINDOWS_STANDALONE_EXIT_CODES, windowsStandalone } from './standalone-script.ts';
import { upgradeScriptSpec } from './switch-script.ts';
import { checkPs51, formatPs51Problems } from './testing/check-ps51.ts';
import { lintScript } from './testing/script-lint.ts';

const DIR = fileURLToPath(new URL('./__snapshots__/', import.meta.url));
const paths = { goroot: 'C:\\Program Files\\Go', versionsDir: 'C:\\ProgramData\\gofleet\\versions' };
const sha = '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';
const zipIntent: StandaloneUpgradeIntent = {
  paths,
  target: 'go1.27.3',
  archive: { filename: 'go1.27.3.windows-amd64.zip', sha256: sha, size: 80_000_000, url: 'https://go.dev/dl/go1.27.3.windows-amd64.zip' },
  verify: { build: true, requirePath: true, healthCommand: 'go env GOVERSION | findstr go1.27' },
  run: 'script-20261202-170000',
  method: 'zip',
};
const msiIntent: StandaloneUpgradeIntent = {
  ...zipIntent,
  archive: { ...zipIntent.archive, filename: 'go1.27.3.windows-amd64.msi', url: null, size: 0 },
  method: 'msi',
};

const SCRIPTS: Record<string, () => string> = {
  'standalone-zip': () => standaloneUpgradeScript(zipIntent),
  'standalone-msi': () => standaloneUpgradeScript(msiIntent),
  'standalone-detect': () => standaloneDetectScript({ paths, target: 'go1.27.3' }),
};

for (const [name, render] of Object.entries(SCRIPTS)) {
  test(`snapshot: ${name}.ps1`, () => {
    const text = render();
    const file = join(DIR, `${name}.ps1`);
    if (process.env.UPDATE_SNAPSHOTS === '1' || !existsSync(file)) {
      mkdirSync(DIR, { recursive: true });
      writeFileSync(file, text);
      if (process.env.UPDATE_SNAPSHOTS !== '1') assert.fail(`wrote a new snapshot ${file}; review it and re-run`);
    }
    assert.equal(text, readFileSync(file, 'utf8'), `${name}.ps1 differs from its snapshot; if intended, re-run with UPDATE_SNAPSHOTS=1`);
  });

  test(`${name}.ps1 passes the Windows PowerShell 5.1 checker (nothing ignored) and the script lint`, () => {
    const result = checkPs51(render());
    assert.deepEqual(result.problems, [], formatPs51Problems(result.problems, `${name}.ps1`));
    assert.deepEqual(result.ignored, []);
    assert.deepEqual(lintScript(render()), []);
    assert.doesNotMatch(render(), /`/, 'no backtick escapes');
  });
}

test('the upgrade script is the remote upgrade script (same values, same library, same flow) plus the standalone parts', () => {
  const upgrade = { ...zipIntent, archive: { ...zipIntent.archive, remotePath: 'C:\\ProgramData\\gofleet\\versions\\.gofleet\\cache\\go1.27.3.windows-amd64.zip' } };
  for (const [intent, spec] of [
    [zipIntent, upgradeScriptSpec(upgrade)],
    [msiIntent, msiUpgradeScriptSpec({ ...upgrade, method: 'msi', archive: { ...upgrade.archive, filename: msiIntent.archive.filename, remotePath: upgrade.archive.remotePath.replace('.zip', '.msi'), size: 0 } })],
  ] as const) {
    const text = standaloneUpgradeScript(intent);
    for (const snippet of spec.library) assert.ok(text.includes(snippet.trimEnd()), 'every snippet of the remote script, unchanged');
    for (const [name] of spec.vars) assert.match(text, new RegExp(`\\n {2}\\$script:${name} = '`), `$script:${name}`);
    assert.ok(text.indexOf(spec.library.at(-1)?.trimEnd() ?? '?') < text.indexOf(PS_STANDALONE.trimEnd()), 'the standalone gf_out comes after the remote one');
    assert.equal(text.match(/^function gf_out\(/gm)?.length, 2, 'gf_out is defined twice: the later (standalone) one wins');
    assert.match(text, new RegExp(`\\n {2}\\$script:SA_FLOW = '${intent.method === 'msi' ? 'gf_msi_flow' : 'gf_switch_flow'}'\\n`));
  }
  // the archive is expected where the flow checks it: the cache
  assert.match(standaloneUpgradeScript(zipIntent), /\n {2}\$script:ARCHIVE = 'C:\\ProgramData\\gofleet\\versions\\\.gofleet\\cache\\go1\.27\.3\.windows-amd64\.zip'\n/);
});

test('the param block comes first (after comments), and the arguments no parameter took reach gf_sa_main (exit 5)', () => {
  const text = standaloneUpgradeScript(zipIntent);
  const code = text.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
  assert.deepEqual(code.slice(0, 5), ['param(', "  [Alias('Archive')][string]$ArchiveFile = '',", "  [Alias('Log')][string]$LogFile = '',", '  [switch]$Help', ')']);
  assert.ok(text.endsWith('\n}\ngf_main $args\nexit $script:RC\n'));
  assert.match(text, /\nfunction gf_main\(\[object\[\]\]\$Rest\) \{\n/);
  assert.match(text, /\n {4}gf_sa_main \$Rest\n/);
  assert.match(PS_STANDALONE, /\$script:RC = 5\n/);
});

test('the SHA-256 is checked (Get-FileHash) before the archive is put anywhere; TLS 1.2, basic parsing, the system proxy', () => {
  const fetch = /function gf_sa_fetch \{\n([\s\S]*?)\n\}/.exec(PS_STANDALONE)?.[1] ?? '';
  const check = fetch.indexOf('$sum -cne $script:ARCHIVE_SHA');
  assert.ok(check > 0);
  for (const change of ['CreateDirectory', '[IO.File]::Move', '[IO.File]::Copy']) assert.ok(fetch.indexOf(change) > check, `${change} after the check`);
  assert.match(PS_STANDALONE, /Get-FileHash|gf_sha256/);
  assert.match(PS_STANDALONE, /\[Net\.ServicePointManager\]::SecurityProtocol = \[Net\.ServicePointManager\]::SecurityProtocol -bor \[Net\.SecurityProtocolType\]::Tls12/);
  assert.match(PS_STANDALONE, /Invoke-WebRequest -Uri \$Url -OutFile \$File -UseBasicParsing/);
  assert.match(PS_STANDALONE, /\[Net\.WebRequest\]::DefaultWebProxy/);
});

test('the exit code table in the header is the one gf_sa_exit sets', () => {
  const text = standaloneUpgradeScript(zipIntent);
  for (const [code] of WINDOWS_STANDALONE_EXIT_CODES) {
    assert.match(text, new RegExp(`\\n#   ${code} +\\S`), `header lists ${code}`);
    assert.match(PS_STANDALONE, new RegExp(`\\$script:RC = ${code}\\n`), `gf_sa_* sets ${code}`);
  }
  assert.deepEqual(WINDOWS_STANDALONE_EXIT_CODES.map(([c]) => c), [0, 1, 2, 3, 4, 5, 99]);
  assert.match(text, /log.*\\\.gofleet\\logs\\script\.log/);
});

test('a directory source: no URL is baked in, the header says the file goes beside the script', () => {
  const text = standaloneUpgradeScript({ ...zipIntent, archive: { ...zipIntent.archive, url: null, size: 0 } });
  assert.match(text, /\n {2}\$script:SA_URL = ''\n/);
  assert.match(text, /the file go1\.27\.3\.windows-amd64\.zip beside this script/);
  assert.match(text, /size not published/);
});

test('bad intents are refused before a script exists', () => {
  const code = (f: () => unknown): string => {
    try {
      f();
    } catch (err) {
      assert.ok(err instanceof GofleetError, String(err));
      return err.code;
    }
    return 'no error';
  };
  assert.equal(code(() => standaloneUpgradeScript({ ...zipIntent, archive: { ...zipIntent.archive, url: "https://x/'; rm" } })), 'BAD_OPTION');
  assert.equal(code(() => standaloneUpgradeScript({ ...zipIntent, archive: { ...zipIntent.archive, sha256: 'abc' } })), 'BAD_OPTION');
  assert.equal(code(() => standaloneUpgradeScript({ ...zipIntent, paths: { ...paths, goroot: '\\\\srv\\share\\go' } })), 'WINDOWS_PATH_INVALID');
  assert.equal(code(() => standaloneUpgradeScript({ ...zipIntent, paths: { ...paths, goroot: 'C:\\go\nWrite-Host x' } })), 'WINDOWS_PATH_INVALID');
  assert.equal(code(() => standaloneUpgradeScript({ ...msiIntent, archive: zipIntent.archive })), 'BAD_OPTION');
  assert.equal(code(() => standaloneDetectScript({ paths, target: 'go1.27.3; x' })), 'BAD_OPTION');
  assert.equal(code(() => standaloneDetectScript({ paths: { ...paths, versionsDir: 'C:\\Windows\\go' }, target: 'go1.27.3' })), 'SYSTEM_PATH');
});

const parser = new Parser();
parser.setLanguage(PowerShell as Parser.Language);

/** `$script:NAME = <value>` assignments: NAME -> the value's node (as in script-quoting.test.ts). */
function assignments(script: string): Map<string, Parser.SyntaxNode> {
  const out = new Map<string, Parser.SyntaxNode>();
  const visit = (n: Parser.SyntaxNode): void => {
    if (n.type === 'assignment_expression') {
      const m = /^\$script:([A-Z_]+)$/.exec(n.namedChildren[0]?.text ?? '');
      const right = n.namedChildren[n.namedChildren.length - 1];
      if (m && right && !out.has(m[1] ?? '')) out.set(m[1] ?? '', right);
    }
    for (const c of n.namedChildren) visit(c);
  };
  visit(parser.parse(script, undefined, { bufferSize: 1 << 22 }).rootNode);
  return out;
}

function verbatimValue(node: Parser.SyntaxNode): string | null {
  const literals = node.descendantsOfType('string_literal');
  if (literals.length !== 1 || literals[0]?.text !== node.text) return null;
  const parts = literals[0].namedChildren;
  if (parts.length !== 1 || parts[0]?.type !== 'verbatim_string_characters') return null;
  return node.text.slice(1, -1).replace(/(['\u2018\u2019\u201A\u201B])\1/g, '$1');
}

test('hostile paths and health command stay one verbatim literal each (upgrade, msi and detection scripts)', () => {
  const hostile = {
    goroot: "C:\\Go'; Remove-Item -Recurse \\Windows ; '",
    versionsDir: 'D:\\$(Stop-Computer)\\`n back`tick ${env;x} \u2019smart\u2019 \u00e9t\u00e9',
  };
  const health = "go version; if ($LASTEXITCODE) { 'x' }; echo `whoami`";
  const scripts = [
    standaloneUpgradeScript({ ...zipIntent, paths: hostile, verify: { build: true, requirePath: true, healthCommand: health } }),
    standaloneUpgradeScript({ ...msiIntent, paths: hostile, verify: { build: true, requirePath: true, healthCommand: health } }),
    standaloneDetectScript({ paths: hostile, target: 'go1.27.3' }),
  ];
  for (const script of scripts) {
    const result = checkPs51(script);
    assert.deepEqual(result.problems, [], formatPs51Problems(result.problems));
    assert.deepEqual(lintScript(script), []);
    const vars = assignments(script);
    const want: Record<string, string> = { G_ROOT: hostile.goroot, VDIR: hostile.versionsDir, TARGET: 'go1.27.3' };
    if (script !== scripts[2]) Object.assign(want, { HEALTH: health, SA_URL: zipIntent.archive.url ?? '' });
    if (script === scripts[1]) want.SA_URL = '';
    for (const [name, value] of Object.entries(want)) {
      const node = vars.get(name);
      assert.ok(node, `$script:${name} is assigned`);
      assert.equal(verbatimValue(node), value, `$script:${name}`);
    }
  }
});

test('detection: read-only, prints only the one line, nothing when anything throws, always exit 0', () => {
  const text = standaloneDetectScript({ paths, target: 'go1.27.3' });
  assert.ok(text.endsWith('\n}\ngf_detect_main\nexit 0\n'));
  assert.match(text, /\n {2}try \{\n {4}gf_detect\n {2}\} catch \{\n[^\n]*\n {4}return\n {2}\}\n/);
  const detect = /function gf_detect \{\n([\s\S]*?)\n\}/.exec(text)?.[1] ?? '';
  assert.equal(detect.match(/\[Console\]::Out/g)?.length, 1, 'one line of output');
  assert.match(detect, /gf_go_version \(\$script:G_ROOT \+ '\\bin\\go\.exe'\)/);
  assert.match(detect, /gf_state_read 'verify_pending'/);
  const body = text.slice(text.indexOf('function gf_detect_main'));
  assert.doesNotMatch(body, /gf_(lock|point|stage|adopt|machine_path|state_put|state_write|rm_tree)\b/, 'detection changes nothing');
});

test('the builder for Windows: .ps1, not executable, written with a UTF-8 byte order mark (5.1 reads BOM-less files as ANSI)', () => {
  assert.equal(windowsStandalone.extension, '.ps1');
  assert.equal(windowsStandalone.fileMode, 0o644);
  assert.equal(windowsStandalone.byteOrderMark, true);
  assert.equal(windowsStandalone.upgrade, standaloneUpgradeScript);
  assert.equal(windowsStandalone.detect, standaloneDetectScript);
});
