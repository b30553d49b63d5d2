import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inCi, optionalFixture } from './optional-fixture.ts';

const missing = async (): Promise<never> => {
  throw new Error('Cannot find module toolchains.ts');
};

test('a fixture that loads runs the test', async () => {
  const r = await optionalFixture({ name: 'x.ts', load: async () => 42, env: { CI: 'true' } });
  assert.deepEqual(r, { fixture: 42, skip: false });
});

test('a missing fixture in CI fails (throws), naming the fixture and the cause', async () => {
  await assert.rejects(optionalFixture({ name: 'test/harness/toolchains.ts', load: missing, env: { CI: 'true' } }), /CI=true: the test fixture test\/harness\/toolchains\.ts .*Cannot find module/);
});

test('a missing fixture locally skips, and the message says it would fail in CI', async () => {
  const r = await optionalFixture({ name: 'test/harness/toolchains.ts', load: missing, env: {} });
  assert.equal(r.fixture, null);
  assert.match(String(r.skip), /^skipped locally only \(in CI this fails\): .*toolchains\.ts.*Cannot find module/);
});

test('what counts as CI', () => {
  assert.equal(inCi({ CI: 'true' }), true);
  assert.equal(inCi({ CI: '1' }), true);
  assert.equal(inCi({ CI: 'false' }), false);
  assert.equal(inCi({ CI: '0' }), false);
  assert.equal(inCi({}), false);
});
