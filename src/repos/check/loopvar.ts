// Go 1.22 made for-loop variables per iteration, for code whose module go line is 1.22 or later. When a bump
// moves the go line across 1.22, the compiler lists the loops that now compile differently (-d=loopvar=2):
//   store/store.go:6:9: loop variable n now per-iteration, heap-allocated
// The decision (crossesLoopvar) and the parser are pure; listLoopvarChanges runs the go command.

import { parseVersion } from '../../releases/version.ts';
import { runGo, STEP_TIMEOUT_MS, type GoRunner } from '../shared/run-go.ts';
import type { Finding, LoopvarChange } from '../shared/types.ts';

export const LOOPVAR_CODE = 'LOOPVAR_PER_ITERATION';
export const LOOPVAR_FAILED_CODE = 'LOOPVAR_LIST_FAILED';
export const LOOPVAR_HINT = 'loop variable now per-iteration; review closures or &x use; bisect -compile=loopvar finds a failing one';

/** The language minor of a go line (1.21.5 -> 21); a missing line means 1.16; null when not a Go 1 version. */
function languageMinor(goLine: string | null): number | null {
  if (goLine === null) return 16;
  const v = parseVersion(goLine);
  return v && v.major === 1 ? v.minor : null;
}

/** true when the go line moves from below 1.22 to 1.22 or later (`from` null: no go line, i.e. 1.16). */
export function crossesLoopvar(from: string | null, to: string | null): boolean {
  const lo = languageMinor(from);
  const hi = to === null ? null : languageMinor(to);
  return lo !== null && hi !== null && lo < 22 && hi >= 22;
}

/**
 * `go list -e -export -test` compiles the module's packages and their test variants without linking, so loops
 * in _test.go files are listed too. The flag is limited to the packages under the module directory
 * (`-gcflags=all=` would list loops in dependencies and the standard library).
 */
export function loopvarArgs(): string[] {
  return ['list', '-e', '-export', '-test', '-f', '{{if .Error}}{{.Error}}{{end}}', '-gcflags=./...=-d=loopvar=2', './...'];
}

const LINE = /^(.+?):(\d+):(\d+): loop variable (\S+) now per-iteration, (heap|stack)-allocated$/;

/**
 * The loops in compiler output, one per position, sorted by file and position. Lines about a loop inlined
 * into another function ("… (loop inlined into f.go:18)") repeat a loop listed at its own position; they are
 * skipped, as are headers (`# pkg`), errors and anything else.
 */
export function parseLoopvarOutput(output: string): LoopvarChange[] {
  const seen = new Map<string, LoopvarChange>();
  for (const raw of output.split('\n')) {
    const m = LINE.exec(raw.trimEnd());
    if (!m) continue;
    const [, path, line, col, variable, alloc] = m as unknown as [string, string, string, string, string, 'heap' | 'stack'];
    const file = path.replace(/^(?:\.\/)+/, '');
    const key = `${file}:${line}:${col}`;
    if (!seen.has(key)) seen.set(key, { file, line: Number(line), col: Number(col), variable, alloc });
  }
  return [...seen.values()].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.col - b.col));
}

function position(l: LoopvarChange): string {
  return `${l.file}:${l.line}:${l.col} ${l.variable}`;
}

/** The info finding for a listing (null when no loop changes). */
export function loopvarFinding(loops: readonly LoopvarChange[], truncated = false): Finding | null {
  if (loops.length === 0) return null;
  const heap = loops.filter((l) => l.alloc === 'heap').length;
  const shown = loops.slice(0, 3).map(position).join(', ');
  const more = loops.length > 3 ? `, … (${loops.length - 3} more)` : '';
  return {
    code: LOOPVAR_CODE,
    severity: 'info',
    message: `go 1.22: ${loops.length} loop variable${loops.length === 1 ? '' : 's'} now per-iteration (${heap} heap-allocated): ${shown}${more}${truncated ? '; the compiler output was cut, the list is incomplete' : ''}`,
    hint: LOOPVAR_HINT,
    loops: [...loops],
  };
}

/** Run the listing in `dir` (its go.mod already at the new go line); findings are info only. */
export async function listLoopvarChanges(r: GoRunner, dir: string, gowork: string): Promise<Finding[]> {
  const res = await runGo(r, dir, gowork, loopvarArgs(), STEP_TIMEOUT_MS);
  const loops = parseLoopvarOutput(res.output);
  if (res.exitCode !== 0 && loops.length === 0) {
    const first = res.timedOut ? 'timed out' : (res.output.split('\n').find((l) => l.trim() !== '') ?? `exit ${res.exitCode}`);
    return [{ code: LOOPVAR_FAILED_CODE, severity: 'info', message: `could not list the loops that change in go 1.22: ${first}`, hint: 'Run go build -gcflags=./...=-d=loopvar=2 ./... in the module with the new go line to list them.' }];
  }
  const finding = loopvarFinding(loops, / bytes not kept\) …$/m.test(res.output));
  return finding ? [finding] : [];
}
