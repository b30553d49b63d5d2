// A controller stand-in for the process tests: journals a synthetic run into a real journal (a SQLite file or a
// postgres:// URL, as --state takes it) and reports every committed event on stdout once the store has flushed
// it (pipes are synchronous on Linux, so a reported event is committed before the parent reads the line).
//   record-child.ts endless STATE RUN      hosts one after another, forever, until killed
//   record-child.ts full STATE RUN N       prints "ready", waits for "go" on stdin, records a whole run of N hosts

import { once } from 'node:events';
import { setImmediate as tick } from 'node:timers/promises';
import type { EngineEvent } from '../../engine/events.ts';
import { openJournal } from '../open-journal.ts';
import { syntheticRun, T0, upgradedHosts } from './synthetic-run.ts';

const [mode, path, run, count] = process.argv.slice(2);
if (!path || !run) throw new Error('usage: record-child.ts endless|full DB RUN [N]');
const store = await openJournal(path);
const meta = { run, user: 'child', argv: ['gofleet', 'upgrade', '--to', 'go1.27.3'], command: 'upgrade', target: 'go1.27.3', policy: {} };
const sink = store.recorder(meta);

const report = (seq: number, e: EngineEvent): void => {
  const host = e.kind === 'host-step' ? e.host : e.kind === 'host-done' ? e.result.name : '-';
  process.stdout.write(`${seq} ${e.kind} ${host}\n`);
};

if (mode === 'endless') {
  const hosts = upgradedHosts(1000);
  let seq = 0;
  const emit = async (e: EngineEvent): Promise<void> => {
    sink(e);
    await store.flush();
    report(++seq, e);
  };
  await emit({ kind: 'run-start', run, command: 'upgrade', target: 'go1.27.3', hosts: hosts.map((h) => h.name), at: T0 });
  for (const [i, host] of hosts.entries()) {
    const { events } = syntheticRun(run, [host], T0 + i * 60_000);
    for (const e of events) {
      if (e.kind !== 'host-step' && e.kind !== 'host-done') continue;
      await emit(e);
      await tick();
    }
  }
  throw new Error('the parent was meant to kill this process mid-stream');
} else if (mode === 'full') {
  const { events } = syntheticRun(run, upgradedHosts(Number(count)));
  process.stdout.write('ready\n');
  process.stdin.setEncoding('utf8');
  await once(process.stdin, 'data');
  for (const e of events) {
    sink(e);
    // yield so two children really take turns at the write lock
    await tick();
  }
  await store.close();
  process.stdout.write(`done ${events.length}\n`);
  process.stdin.destroy();
} else {
  throw new Error(`unknown mode ${mode}`);
}
