// gf_capped (sh-capped.ts) run for real under dash and busybox sh: when the capped command ends in time, the
// watcher's `sleep SECONDS` is gone by the time gf_capped returns. It once outlived it (a quick command
// stopped the watcher between starting its sleep and reading its pid: the sleep ran for its whole cap), and a
// stop signal that reached the watcher before its own trap was set went to the script's TERM trap and was lost
// (gf_capped then waited for the whole cap). A `sleep` on PATH records the pid of every watch sleep.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { SH_CAPPED } from './sh-capped.ts';
import { BASE_PATH } from './testing/fake-host.ts';

const dir = mkdtempSync(join(tmpdir(), 'gofleet-capped-'));
const bin = join(dir, 'bin');
spawnSync('mkdir', [bin]);
// every sleep appends its pid to $SLEEP_PIDS (one file per test), then becomes the real sleep
writeFileSync(join(bin, 'sleep'), `#!/bin/sh\necho $$ >>"$SLEEP_PIDS"\nPATH='${BASE_PATH}'\nexec sleep "$@"\n`);
chmodSync(join(bin, 'sleep'), 0o755);
const pidFiles: string[] = [];

function recorded(pidFile: string): number[] {
  try {
    return readFileSync(pidFile, 'utf8').split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** Is pid running? A zombie is not. */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]/.test(stat.slice(stat.lastIndexOf(') ') + 2));
  } catch {
    return false;
  }
}

after(() => {
  for (const pid of pidFiles.flatMap(recorded)) if (running(pid)) process.kill(pid, 'SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** The script's own traps as render-script.ts sets them (TERM trapped), gf_capped, then `body`. */
function run(shell: string[], body: string, pidFile: string): { code: number | null; stdout: string; stderr: string } {
  pidFiles.push(pidFile);
  const script = ["trap 'GF_SIGNAL=TERM' TERM", "trap 'GF_SIGNAL=INT' INT", SH_CAPPED, body].join('\n');
  // a lost stop signal made gf_capped wait for its 300 s cap: killed after 60 s (KILL: the script traps TERM), the
  // run fails instead of hanging
  const r = spawnSync(shell[0]!, [...shell.slice(1), '-s'], {
    input: script, encoding: 'utf8', timeout: 60_000, killSignal: 'SIGKILL', env: { PATH: `${bin}:${BASE_PATH}`, SLEEP_PIDS: pidFile },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const SHELLS: [string, string[]][] = [['dash', ['dash']], ['busybox sh', ['busybox', 'sh']]];

for (const [name, shell] of SHELLS) {
  describe(`gf_capped under ${name}`, () => {
    test('a command that ends in time leaves no watch sleep behind, and gf_capped does not wait for the cap', { timeout: 90_000 }, () => {
      const pidFile = join(dir, `sleep-pids-${name.replace(/\W/g, '-')}`);
      const r = run(shell, [
        'i=0',
        'while [ $i -lt 200 ]; do gf_capped 300 true; i=$((i + 1)); done',
        // the statuses stay: the command's own, or 124 when the cap ran out
        "gf_capped 300 sh -c 'exit 3'; echo \"rc=$?\"",
        'gf_capped 1 sleep 30; echo "rc=$?"',
      ].join('\n'), pidFile);
      assert.notEqual(r.code, null, `still running after 60 s: a watcher waited for its 300 s cap\n${r.stderr}`);
      assert.equal(r.stdout, 'rc=3\nrc=124\n', r.stderr);
      const pids = recorded(pidFile);
      assert.ok(pids.length > 0, 'some watcher got as far as its sleep: the test saw the case it is about');
      const left = pids.filter(running);
      assert.deepEqual(left, [], `${left.length} of ${pids.length} watch sleeps outlived gf_capped`);
    });
  });
}
