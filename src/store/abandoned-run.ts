// A run still 'running' in the journal whose controller process is gone crashed or was killed (-9, power
// loss): history shows it as such, and resume may take it over. Only decidable on the machine that ran it.

import { hostname } from 'node:os';
import type { RunSummary } from './types.ts';

export interface ControllerProbe {
  hostname: string;
  isAlive(pid: number): boolean;
}

export const thisMachine: ControllerProbe = { hostname: hostname(), isAlive: pidAlive };

/** true: running but its controller is gone · false: finished, or its controller still runs · null: ran elsewhere. */
export function isAbandoned(run: Pick<RunSummary, 'status' | 'controller' | 'pid'>, probe: ControllerProbe = thisMachine): boolean | null {
  if (run.status !== 'running') return false;
  if (run.controller !== probe.hostname) return null;
  return !probe.isAlive(run.pid);
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
