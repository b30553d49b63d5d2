// The become-password command, run locally with a stand-in `sudo` on PATH that records what it reads:
// the password reaches `sudo -v` as the only line of its stdin (one attempt: the script's lines are never
// tried as passwords), a refused password stops before the script runs, and the script reaches `sh -s`
// in full after the password line. The password is never in the command (argv).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { posix } from './index.ts';

const dir = mkdtempSync(join(tmpdir(), 'gofleet-sudo-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const log = join(dir, 'log');
// -v: read one line, then record whether stdin had more (it must not); run: read the line, then exec the rest
writeFileSync(join(dir, 'sudo'), `#!/bin/sh
for a in "$@"; do last=$a; done
IFS= read -r pw
if [ "$last" = -v ]; then
  if IFS= read -r more; then echo "v: extra line: $more" >>'${log}'; fi
  [ "$pw" = right ] || { echo 'Sorry, try again.' >&2; exit 1; }
  echo "v: ok" >>'${log}'; exit 0
fi
[ "$pw" = right ] || exit 1
echo "run: ok" >>'${log}'
shift 4; exec "$@"
`);
chmodSync(join(dir, 'sudo'), 0o755);

const SCRIPT = 'echo one\necho two\necho "$((1 + 2))"\n';
const run = (pw: string) => {
  rmSync(log, { force: true });
  const cmd = posix.scriptCommand({ become: true, becomePassword: true });
  const r = spawnSync('sh', ['-c', cmd], { input: `${pw}\n${SCRIPT}`, encoding: 'utf8', env: { PATH: `${dir}:${process.env.PATH}` } });
  return { ...r, log: readFileSync(log, { encoding: 'utf8', flag: 'a+' }) };
};

test('the right password: sudo -v sees one line only, then the whole script runs after the password line', () => {
  const r = run('right');
  assert.equal(r.stdout, 'one\ntwo\n3\n', r.stderr);
  assert.equal(r.log, 'v: ok\nrun: ok\n');
  assert.equal(r.status, 0);
});

test('a wrong password: one attempt, the script never runs, a clear message', () => {
  const r = run('wrong');
  assert.equal(r.stdout, '');
  assert.equal(r.log, '');
  assert.match(r.stderr, /Sorry, try again\.\ngofleet: sudo did not accept the become password/);
  assert.equal(r.status, 1);
});

test('without a become password nothing changes; the password is never part of the command', () => {
  assert.equal(posix.scriptCommand({ become: true }), 'sudo -n sh -s');
  assert.equal(posix.scriptCommand({ become: false, becomePassword: true }), 'sh -s');
  // inside sh -c '...': the quote function's '\'' escapes around sudo's empty prompt
  assert.ok(posix.scriptCommand({ become: true, becomePassword: true }).includes(String.raw`| sudo -k -S -p '\'''\'' -v ||`));
});
