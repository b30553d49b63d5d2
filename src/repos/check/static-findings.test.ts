import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateLineOptions } from '../shared/go-line.ts';
import { parseModFile } from '../shared/parse-mod-file.ts';
import { findPins } from '../discover/pins.ts';
import { memberDir, planRepo, type ParsedGoFile } from '../bump/plan-repo.ts';
import { fileFindings, pinFindings } from './static-findings.ts';

const opts = validateLineOptions({ target: 'go1.27.3' });

function file(path: string, text: string): ParsedGoFile {
  const kind = path.endsWith('go.work') ? 'workspace' : 'module';
  const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '.';
  return { dir, kind, file: path, mod: parseModFile(text, kind) };
}

function codes(plan: ReturnType<typeof planRepo>[number], files: ParsedGoFile[], target = 'go1.27.3'): string[] {
  return fileFindings(plan, files, target).map((f) => `${f.severity}:${f.code}`);
}

test('memberDir resolves go.work use paths to repo-relative dirs', () => {
  assert.equal(memberDir('.', './api'), 'api');
  assert.equal(memberDir('.', '.'), '.');
  assert.equal(memberDir('tools', '../svc/'), 'svc');
  assert.equal(memberDir('a', './b'), 'a/b');
});

test('a workspace is planned at or above its members and members build under it', () => {
  const files = [
    file('go.work', 'go 1.21\n\nuse (\n\t./api\n\t./svc\n)\n'),
    file('api/go.mod', 'module x/api\n\ngo 1.22.0\n'),
    file('svc/go.mod', 'module x/svc\n\ngo 1.27.2\n'),
    file('tools/go.mod', 'module x/tools\n\ngo 1.22\n'),
  ];
  const plans = planRepo(files, opts);
  assert.deepEqual(plans.map((p) => [p.file.file, p.lines.go, p.lines.toolchain, p.workspace]), [
    ['go.work', '1.27.2', 'go1.27.3', null],
    ['api/go.mod', '1.27.0', 'go1.27.3', 'go.work'],
    ['svc/go.mod', '1.27.2', 'go1.27.3', 'go.work'],
    ['tools/go.mod', '1.27.0', 'go1.27.3', null],
  ]);
  assert.deepEqual(plans[0]?.members, ['api', 'svc']);
  assert.deepEqual(codes(plans[0]!, files), ['warn:GO_LINE_TWO_PART', 'warn:GOWORK_BELOW_MEMBER', 'warn:GOWORK_BELOW_MEMBER']);
  assert.deepEqual(codes(plans[3]!, files), ['warn:GO_LINE_TWO_PART', 'info:GODEBUG_DEFAULTS_CHANGE', 'info:LANGUAGE_CHANGE']);
});

test('line findings: missing, above target, toolchain invalid or above target', () => {
  const cases: [string, string[]][] = [
    ['module a\n', ['warn:GO_LINE_MISSING', 'info:GODEBUG_DEFAULTS_CHANGE', 'info:LANGUAGE_CHANGE', 'info:LANGUAGE_CHANGE']],
    ['module a\ngo 1.28.0\n', ['fail:GO_LINE_ABOVE_TARGET']],
    ['module a\ngo 1.22.x\n', ['fail:GO_LINE_INVALID']],
    ['module a\ngo 1.27.0\ntoolchain default\n', ['warn:TOOLCHAIN_LINE_INVALID']],
    ['module a\ngo 1.27.0\ntoolchain go1.23\n', ['warn:TOOLCHAIN_LINE_INVALID']],
    ['module a\ngo 1.27.0\ntoolchain go1.28.1\n', ['warn:TOOLCHAIN_LINE_ABOVE_TARGET']],
    ['module a\ngo 1.22\ntoolchain go1.22.5\n', ['info:GODEBUG_DEFAULTS_CHANGE', 'info:LANGUAGE_CHANGE']],
    ['module a\ngo 1.27.0\n', []],
  ];
  for (const [text, want] of cases) {
    const files = [file('go.mod', text)];
    assert.deepEqual(codes(planRepo(files, opts)[0]!, files), want, text);
  }
});

test('known-bad dependencies from go.mod requires are findings with the table severity', () => {
  const files = [file('go.mod', 'module a\n\ngo 1.27.0\n\nrequire (\n\tgithub.com/bytedance/sonic v1.11.0\n\tgolang.org/x/tools v0.30.0 // indirect\n)\n')];
  const f = fileFindings(planRepo(files, opts)[0]!, files, 'go1.27.3');
  assert.deepEqual(f.map((x) => `${x.severity}:${x.code}`), ['fail:KNOWN_BAD_DEPENDENCY']);
  assert.match(f[0]?.message ?? '', /sonic@v1\.11\.0/);
});

test('pins behind the target warn (or are reported updated); pins ahead are info; agreeing pins say nothing', () => {
  const pins = [...findPins('Dockerfile', 'FROM golang:1.22-alpine\nFROM golang:1.27\nFROM golang:1.28\n')];
  assert.deepEqual(pinFindings(pins, 'go1.27.3', false).map((f) => `${f.severity}:${f.code}:${f.message.slice(0, 12)}`), ['warn:PIN_DISAGREES:Dockerfile:1', 'info:PIN_AHEAD:Dockerfile:3']);
  const updated = pinFindings(pins, 'go1.27.3', true);
  assert.equal(updated[0]?.code, 'PIN_UPDATED');
  assert.match(updated[0]?.message ?? '', /1\.22 -> 1\.27/);
});
