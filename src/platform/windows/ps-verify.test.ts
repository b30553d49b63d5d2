// gf_out_of_memory (ps-verify.ts) decides that a failed verification build died because an allocation failed (the
// host's memory, or WinRM's MaxMemoryPerShellMB cap), so it is VERIFY_OUT_OF_MEMORY and not a broken toolchain.
// PowerShell cannot run here: the test takes the function's exit codes and its -match pattern out of the script text
// (PowerShell's -match is a case-insensitive .NET regex; the pattern is plain alternation, read the same by JS with
// the i flag) and applies them to what Go, cmd and .NET print when memory runs out, and to ordinary build failures.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PS_VERIFY } from './ps-verify.ts';

function outOfMemoryClassifier(): (text: string, code: number) => boolean {
  const fn = /function gf_out_of_memory\(\[string\]\$Text, \[int\]\$Code\) \{\n([\s\S]*?)\n\}/.exec(PS_VERIFY)?.[1];
  assert.ok(fn, 'gf_out_of_memory is defined');
  const codes = [...(/if \((\$Code -eq -?\d+(?: -or \$Code -eq -?\d+)*)\) \{ return \$true \}/.exec(fn)?.[1] ?? '').matchAll(/-?\d+/g)].map((m) => Number(m[0]));
  const pattern = /return \(\$Text -match '([^']+)'\)/.exec(fn)?.[1];
  assert.ok(pattern, 'the -match pattern');
  const re = new RegExp(pattern, 'i');
  return (text, code) => codes.includes(code) || re.test(text);
}

test('gf_out_of_memory: Go runtime, Windows and .NET out-of-memory reports and the NTSTATUS exit codes', () => {
  const oom = outOfMemoryClassifier();
  for (const text of [
    'runtime: VirtualAlloc of 1048576 bytes failed with errno=1455\nfatal error: out of memory',
    'go build gofleetcheck: C:\\go\\pkg\\tool\\windows_amd64\\compile.exe: exit status 0xc0000017',
    'link: exit status 0xC000012D',
    'The paging file is too small for this operation to complete.',
    'Not enough quota is available to process this command.',
    "Exception of type 'System.OutOfMemoryException' was thrown.",
  ]) {
    assert.ok(oom(text, 2), text);
  }
  assert.ok(oom('', -1073741801), '0xC0000017 STATUS_NO_MEMORY');
  assert.ok(oom('', -1073741523), '0xC000012D STATUS_COMMITMENT_LIMIT');
});

test('gf_out_of_memory: an ordinary build failure is not one (it stays VERIFY_FAILED)', () => {
  const oom = outOfMemoryClassifier();
  for (const text of ['main.go:4:2: undefined: printn', 'go: cannot find main module', 'exit status 0xc0000005', 'fatal error: all goroutines are asleep']) {
    assert.equal(oom(text, 1), false, text);
  }
  assert.equal(oom('', -1073741819), false, '0xC0000005 access violation');
});

test('the build step reports VERIFY_OUT_OF_MEMORY, blamed on the host, before the generic VERIFY_FAILED', () => {
  const build = PS_VERIFY.slice(PS_VERIFY.indexOf('function gf_verify_build'));
  const oomAt = build.indexOf("if (gf_out_of_memory $out $r.Code) {");
  assert.ok(oomAt > 0);
  assert.ok(oomAt < build.indexOf("'VERIFY_FAILED' ('the hello-world build failed (exit '"));
  assert.match(build.slice(oomAt, oomAt + 400), /\$script:VERIFY_BLAME = 'host'\n\s*gf_fail 'verify' 'VERIFY_OUT_OF_MEMORY'/);
});
