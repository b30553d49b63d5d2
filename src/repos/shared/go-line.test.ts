import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GofleetError } from '../../errors.ts';
import { isTwoPartTrap, languageVersion, planLines, validateLineOptions } from './go-line.ts';

test('isTwoPartTrap: a bare 1.N is a trap from 1.21 on, not before, and never with a patch or rc', () => {
  assert.equal(isTwoPartTrap('1.21'), true);
  assert.equal(isTwoPartTrap('1.27'), true);
  assert.equal(isTwoPartTrap('1.20'), false);
  assert.equal(isTwoPartTrap('1.22.0'), false);
  assert.equal(isTwoPartTrap('1.22rc1'), false);
  assert.equal(isTwoPartTrap('nonsense'), false);
});

test('languageVersion drops patch and pre-release', () => {
  assert.equal(languageVersion('1.22.5'), '1.22');
  assert.equal(languageVersion('go1.23rc1'), '1.23');
  assert.equal(languageVersion('1.19'), '1.19');
});

test('defaults: go 1.N.0 and the target as toolchain line; before 1.21: go 1.N and no toolchain line', () => {
  assert.deepEqual(validateLineOptions({ target: 'go1.27.3' }), { target: 'go1.27.3', goLine: '1.27.0', toolchainLine: 'go1.27.3' });
  assert.deepEqual(validateLineOptions({ target: 'go1.19.8' }), { target: 'go1.19.8', goLine: '1.19', toolchainLine: 'none' });
  assert.deepEqual(validateLineOptions({ target: 'go1.27.3', goLine: '1.26.0', toolchainLine: '1.27.1' }), { target: 'go1.27.3', goLine: '1.26.0', toolchainLine: 'go1.27.1' });
});

test('validateLineOptions refuses bare 1.N, lines above the target and language versions as toolchains', () => {
  const bad: [string | undefined, string | undefined, RegExp][] = [
    ['1.27', undefined, /bare 1\.27.*write 1\.27\.0/],
    ['1.28.0', undefined, /above the target/],
    ['1.19.1', undefined, /before Go 1\.21 the go line is 1\.N/],
    ['x', undefined, /not a Go version/],
    [undefined, 'go1.27', /language version, not a toolchain/],
    [undefined, 'go1.28.0', /above the target/],
    [undefined, 'go1.20.3', /from Go 1\.21 on/],
    [undefined, 'latest', /write go1\.N\.P or none/],
  ];
  for (const [goLine, toolchainLine, re] of bad) {
    assert.throws(() => validateLineOptions({ target: 'go1.27.3', goLine, toolchainLine }), (e: unknown) => e instanceof GofleetError && e.code === 'BAD_OPTION' && re.test(e.message), `${goLine} ${toolchainLine}`);
  }
});

const opts = validateLineOptions({ target: 'go1.27.3' });

test('planLines raises go and toolchain lines to the target', () => {
  assert.deepEqual(planLines({ go: '1.22', toolchain: null }, opts), { go: '1.27.0', toolchain: 'go1.27.3' });
  assert.deepEqual(planLines({ go: null, toolchain: null }, opts), { go: '1.27.0', toolchain: 'go1.27.3' });
  assert.deepEqual(planLines({ go: '1.21.0', toolchain: 'go1.21.5' }, opts), { go: '1.27.0', toolchain: 'go1.27.3' });
});

test('planLines never lowers a higher go or toolchain line, and drops a toolchain line not above go', () => {
  assert.deepEqual(planLines({ go: '1.27.2', toolchain: null }, opts), { go: '1.27.2', toolchain: 'go1.27.3' });
  assert.deepEqual(planLines({ go: '1.27.3', toolchain: null }, opts), { go: '1.27.3', toolchain: null });
  assert.deepEqual(planLines({ go: '1.27.0', toolchain: 'go1.28.1' }, opts), { go: '1.27.0', toolchain: 'go1.28.1' });
  assert.deepEqual(planLines({ go: '1.30', toolchain: null }, opts), { go: '1.30', toolchain: null });
  // an invalid toolchain line ("default", a language version) is replaced, not kept
  assert.deepEqual(planLines({ go: '1.22.0', toolchain: 'default' }, opts), { go: '1.27.0', toolchain: 'go1.27.3' });
});

test('planLines honours a floor (a workspace is never below its members) and toolchain none', () => {
  assert.deepEqual(planLines({ go: '1.21', toolchain: null }, opts, '1.27.2'), { go: '1.27.2', toolchain: 'go1.27.3' });
  const none = validateLineOptions({ target: 'go1.27.3', toolchainLine: 'none' });
  assert.deepEqual(planLines({ go: '1.22', toolchain: 'go1.22.4' }, none), { go: '1.27.0', toolchain: null });
  const old = validateLineOptions({ target: 'go1.19.8' });
  assert.deepEqual(planLines({ go: '1.16', toolchain: null }, old), { go: '1.19', toolchain: null });
});
