// Host names, versions and messages holding terminal escapes (clear screen ESC[2J, OSC window titles, C1 CSI)
// are printed escaped (\u001b...) in every human output: the summary and facts/plan tables, the live progress,
// errors printed by the CLI, and at the process's output boundary. JSON output stays JSON.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { EngineEvent, HostResult } from '../engine/events.ts';
import type { FleetPlan } from '../engine/plan-fleet.ts';
import { streamIo, type CliIo } from '../cli/io.ts';
import { runCli } from '../cli/program.ts';
import { consoleProgress } from './console-progress.ts';
import { planSummary, resultsSummary } from './summary.ts';

const CLEAR = '\x1b[2J';
const TITLE = '\x1b]0;pwned\x07';
const C1_CSI = '\x9b2J';
const HOSTILE = `web${CLEAR}${TITLE}${C1_CSI}\r`;

/** Control characters left in text, other than newlines, tabs and (when `own`) gofleet's status-line erase. */
function rawControls(text: string, own = false): string[] {
  const rest = own ? text.split('\r\x1b[2K').join('') : text;
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  return [...rest.matchAll(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g)].map((m) => JSON.stringify(m[0]));
}

function result(overrides: Partial<HostResult> = {}): HostResult {
  return {
    name: HOSTILE, status: 'failed', from: `go1.26.8${CLEAR}`, to: 'go1.27.3', startedAt: 0, durationMs: 1500,
    error: { code: 'STAGE_FAILED', message: `tar: ${TITLE}bad`, hint: `look at ${C1_CSI}` }, warnings: [],
    steps: [{ step: 'stage', status: 'fail', startedAt: 0, endedAt: 1500 }], ...overrides,
  };
}

describe('human output shows terminal escapes instead of obeying them', () => {
  it('the end-of-run summary (table, hints, slowest steps)', () => {
    const text = resultsSummary([result()], true);
    assert.deepEqual(rawControls(text.replace(/\x1b\[[0-9;]*m/g, '')), []); // eslint-disable-line no-control-regex
    assert.match(text, /web\\u001b\[2J\\u001b\]0;pwned\\u0007\\u009b2J\\u000d/);
  });

  it('the plan table', () => {
    const plan = { target: 'go1.27.3', waves: [{ hosts: [{ name: HOSTILE, from: null, to: 'go1.27.3', actions: ['stage'], skip: { code: 'HOST_LOCKED', message: TITLE } }] }] };
    assert.deepEqual(rawControls(planSummary(plan as unknown as FleetPlan)), []);
  });

  for (const tty of [true, false]) {
    it(`the live progress (${tty ? 'terminal' : 'plain lines'})`, () => {
      let screen = '';
      const progress = consoleProgress({ write: (t) => void (screen += t), tty, colour: false, now: () => 0, ticker: false, columns: () => 200 });
      const events: EngineEvent[] = [
        { kind: 'run-start', run: 'r1', command: 'upgrade', target: 'go1.27.3', hosts: [HOSTILE], at: 0 },
        { kind: 'wave-start', run: 'r1', wave: 1, hosts: [HOSTILE], at: 0 },
        { kind: 'host-step', run: 'r1', host: HOSTILE, step: 'stage', status: 'start', at: 0 },
        { kind: 'host-step', run: 'r1', host: HOSTILE, step: 'stage', status: 'fail', code: 'STAGE_FAILED', message: `out: ${TITLE}`, at: 1 },
        { kind: 'host-done', run: 'r1', result: result(), at: 2 },
        { kind: 'run-end', run: 'r1', at: 3 } as EngineEvent,
      ];
      for (const e of events) progress(e);
      progress.stop();
      assert.deepEqual(rawControls(screen, tty), []);
      assert.match(screen, /web\\u001b\[2J/);
    });
  }
});

describe('the CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gofleet-hostile-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('prints an error quoting a hostile host name escaped', async () => {
    const inventory = join(dir, 'fleet.yml');
    // YAML's double-quoted \e and \a are ESC and BEL: two entries for one address, refused with both names
    writeFileSync(inventory, 'hosts:\n  "web\\e[2J\\e]0;pwned\\a": { address: 10.9.9.9 }\n  "db\\x9b2J": { address: 10.9.9.9 }\n');
    let stderr = '';
    const io: CliIo = { out: () => {}, err: (t) => void (stderr += t), stdoutTty: false, stderrTty: false };
    const code = await runCli(['facts', '-i', inventory, '--ssh-config', join(dir, 'none')], io);
    assert.equal(code, 4, stderr);
    assert.deepEqual(rawControls(stderr), []);
    assert.match(stderr, /"web\\u001b\[2J\\u001b\]0;pwned\\u0007" .* and "db\\u009b2J"/);
  });

  it("escapes at the process's output boundary, keeping colours and JSON", () => {
    const written: string[] = [];
    const io = streamIo({ write: (t: string) => written.push(t), isTTY: true }, { write: (t: string) => written.push(t) });
    io.err(`\x1b[32m✓\x1b[39m ${HOSTILE}\n`);
    io.out(JSON.stringify({ host: `a\x7f${C1_CSI}` }) + '\n');
    assert.equal(written[0], '\x1b[32m✓\x1b[39m web\\u001b[2J\\u001b]0;pwned\\u0007\\u009b2J\\u000d\n');
    assert.deepEqual(JSON.parse(written[1]!), { host: `a\x7f${C1_CSI}` });
    assert.equal(io.stdoutTty, true);
  });
});
