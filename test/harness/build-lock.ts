// A cross-process lock for fixture builds (test files run in parallel processes):
// `<path>.lock` is created exclusively with the holder's pid; others wait for it to go away.
// A lock whose pid is dead (a killed test run) is taken over.

import { open, readFile, rm } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

const POLL_MS = 250;
const GIVE_UP_MS = 15 * 60_000;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function tryAcquire(lock: string): Promise<boolean> {
  try {
    const fh = await open(lock, 'wx');
    await fh.writeFile(String(process.pid));
    await fh.close();
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const pid = Number(await readFile(lock, 'utf8').catch(() => ''));
    // an empty file may be a holder between open and write: only a readable, dead pid is stale
    if (Number.isInteger(pid) && pid > 0 && !alive(pid)) await rm(lock, { force: true });
    return false;
  }
}

/** Run `fn` holding `<path>.lock`. */
export async function withBuildLock<T>(path: string, fn: () => Promise<T>): Promise<T> {
  const lock = `${path}.lock`;
  const deadline = Date.now() + GIVE_UP_MS;
  while (!(await tryAcquire(lock))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock}`);
    await sleep(POLL_MS);
  }
  try {
    return await fn();
  } finally {
    await rm(lock, { force: true });
  }
}
