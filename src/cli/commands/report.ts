// gofleet report RUN --format json|junit|html [-o FILE] — a recorded run, rendered for machines (json, junit)
// and for people (html: one self-contained page for a postmortem).

import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { GofleetError } from '../../errors.ts';
import type { Store } from '../../store/index.ts';
import { junitXml, type JunitRun } from '../../report/junit.ts';
import { htmlReport, wavesFromEvents, withWaves, type HtmlRun } from '../../report/html.ts';
import { EXIT } from '../exit-code.ts';
import type { CliIo } from '../io.ts';
import { showDocument } from './history.ts';

export async function reportCommand(store: Store, io: CliIo, id: string, options: { format: string; output?: string }): Promise<number> {
  const run = await store.getRun(id);
  if (!run) throw new GofleetError('RUN_NOT_FOUND', `no recorded run ${id}`);
  const doc = await showDocument(store, run);
  let text: string;
  switch (options.format) {
    case 'json':
      text = JSON.stringify(doc, null, 2) + '\n';
      break;
    case 'junit':
      text = junitXml(doc as unknown as JunitRun);
      break;
    case 'html':
      text = (await htmlReportFor(store, id)) ?? '';
      break;
    default:
      throw new GofleetError('BAD_OPTION', `--format must be json, junit or html, got "${options.format}"`);
  }
  if (options.output) {
    writeOutput(options.output, text);
    io.err(`wrote ${options.output}\n`);
  } else {
    io.out(text);
  }
  return EXIT.ok;
}

/** A run's HTML report (report --format html, the dashboard's run page); null when the journal has no such run. */
export async function htmlReportFor(store: Store, id: string): Promise<string | null> {
  const run = await store.getRun(id);
  if (!run) return null;
  // hosts carry no wave number in the show document yet: the journal's wave-start events say which went when
  return htmlReport(withWaves((await showDocument(store, run)) as unknown as HtmlRun, wavesFromEvents(await store.runEvents(id))));
}

/** Write through a temp file and rename (a reader never sees half a report); a failure is the user's to fix. */
function writeOutput(path: string, text: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    const e = err as NodeJS.ErrnoException;
    // a missing directory is not created: a typo in -o should not grow a tree of directories
    const why = e.code === 'ENOENT' ? `the directory ${dirname(path)} does not exist` : e.message;
    throw new GofleetError('OUTPUT_UNWRITABLE', `-o ${path}: cannot write the report: ${why}`, { cause: err });
  }
}
