// outcomeToResult: a verification build that ran out of memory (VERIFY_OUT_OF_MEMORY from the host script) is the
// WinRM shell's memory cap when the host is reached over WinRM (its transport has hostLimits), named with its value;
// over ssh it stays VERIFY_OUT_OF_MEMORY (the host's memory), and other codes are untouched.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ScriptOutcome } from '../platform/types.ts';
import { HostRecorder } from './host-recorder.ts';
import { outcomeToResult } from './outcome.ts';

const oom: ScriptOutcome = {
  result: 'rolled_back', active: 'go1.26.8', previous: 'go1.26.8', code: 'VERIFY_OUT_OF_MEMORY',
  message: 'the hello-world build ran out of memory (exit 2): fatal error: out of memory', warnings: [],
};
const rec = (): HostRecorder => new HostRecorder('w1', 'run-1', () => undefined, () => 0);

test('over WinRM: WINRM_SHELL_MEMORY naming the cap (or that it could not be read); rolled back either way', () => {
  const r = outcomeToResult(oom, rec(), 'go1.26.8', 'go1.27.3', 'upgraded', { maxEnvelopeSizeKb: 500, maxMemoryPerShellMB: 300, configRead: true });
  assert.equal(r.status, 'rolled_back');
  assert.equal(r.error?.code, 'WINRM_SHELL_MEMORY');
  assert.match(r.error?.message ?? '', /^w1: the hello-world build ran out of memory .*; stopped by the WinRM shell's memory cap \(MaxMemoryPerShellMB=300\)$/s);
  const unknown = outcomeToResult(oom, rec(), 'go1.26.8', 'go1.27.3', 'upgraded', { maxEnvelopeSizeKb: 150, configRead: false });
  assert.equal(unknown.error?.code, 'WINRM_SHELL_MEMORY');
  assert.match(unknown.error?.message ?? '', /MaxMemoryPerShellMB, not readable by this account/);
});

test('over ssh (no host limits) it stays VERIFY_OUT_OF_MEMORY; a plain VERIFY_FAILED over WinRM stays VERIFY_FAILED', () => {
  assert.equal(outcomeToResult(oom, rec(), 'go1.26.8', 'go1.27.3').error?.code, 'VERIFY_OUT_OF_MEMORY');
  const failed = outcomeToResult({ ...oom, code: 'VERIFY_FAILED', message: 'go version printed nothing' }, rec(), 'go1.26.8', 'go1.27.3', 'upgraded',
    { maxEnvelopeSizeKb: 500, maxMemoryPerShellMB: 300, configRead: true });
  assert.equal(failed.error?.code, 'VERIFY_FAILED');
});
