// What `bump --all-pins` does to each pin, decided before any file is written (repos.md §1.3):
//   - a single pin behind the target is rewritten to it, in its own form;
//   - a CI matrix list (flow `go: ['1.25.x', '1.26.x']` or a block list of `- '1.25.x'` lines) that lacks the target gets it added (`--matrix add`,
//     the default) or its oldest entry replaced (`--matrix replace-oldest`), and never holds one twice;
//   - `include:` / `exclude:` entries name matrix entries: they follow a replaced entry and are otherwise kept;
//   - a pin with a comment (same line or the line before) is held back on purpose: reported, not rewritten.
// Applying the plan to a file's text is applyPinActions. Pure.

import { compareVersions } from '../../releases/version.ts';
import { comparePin, rewriteValue, type Pin } from '../discover/pins.ts';
import type { MatrixMode } from '../shared/settings.ts';


export interface PinAction {
  pin: Pin;
  /** rewrite: the token becomes `to`; append: `to` is added to the pin's list after it; held / keep: untouched */
  action: 'rewrite' | 'append' | 'held' | 'keep';
  to: string;
  /** the list entries, for append and for a replaced matrix entry */
  list?: Pin[];
}

const bare = (v: string): string => v.replace(/^go/, '').replace(/\.x$/, '');
const byVersion = (a: Pin, b: Pin): number => compareVersions(bare(a.value), bare(b.value));

function listAction(list: Pin[], target: string, mode: MatrixMode): PinAction[] {
  const keep = list.map((pin): PinAction => ({ pin, action: 'keep', to: pin.value }));
  if (list.some((p) => comparePin(p.value, target) >= 0)) return keep;
  const held = list.find((p) => p.held !== undefined);
  if (held) return list.map((pin) => ({ pin, action: 'held', to: pin.value, list }));
  const sorted = [...list].sort(byVersion);
  const pick = (mode === 'add' ? sorted.at(-1) : sorted[0]) as Pin;
  return keep.map((a) => (a.pin === pick ? { pin: pick, action: mode === 'add' ? 'append' : 'rewrite', to: rewriteValue(pick.value, target), list } : a));
}

/** One action per pin. */
export function planPins(pins: readonly Pin[], target: string, mode: MatrixMode = 'add'): PinAction[] {
  const out: PinAction[] = [];
  const lists = new Map<string, Pin[]>();
  for (const p of pins) {
    if (!p.inList) continue;
    const key = `${p.file}:${p.listLine ?? p.line}`;
    lists.set(key, [...(lists.get(key) ?? []), p]);
  }
  for (const list of lists.values()) out.push(...listAction(list, target, mode));
  const replaced = out.filter((a) => a.action === 'rewrite');
  for (const p of pins) {
    if (p.inList) continue;
    const behind = comparePin(p.value, target) < 0;
    if (p.matrixRef) {
      // an include/exclude entry follows the matrix entry it names (kept when that entry is kept)
      const follows = replaced.some((a) => a.pin.file === p.file && bare(a.pin.value) === bare(p.value));
      out.push(follows && p.held === undefined ? { pin: p, action: 'rewrite', to: rewriteValue(p.value, target) } : { pin: p, action: follows ? 'held' : 'keep', to: p.value });
    } else if (behind && p.held !== undefined) out.push({ pin: p, action: 'held', to: p.value });
    else if (behind) out.push({ pin: p, action: 'rewrite', to: rewriteValue(p.value, target) });
    else out.push({ pin: p, action: 'keep', to: p.value });
  }
  const order = new Map(pins.map((p, i) => [p, i]));
  return out.sort((a, b) => (order.get(a.pin) ?? 0) - (order.get(b.pin) ?? 0));
}

/** The entry to add after `pin` in its list line: same quotes, same separator as the list uses. */
function appended(line: string, pin: Pin, to: string, list: readonly Pin[]): { at: number; text: string } {
  const q = /["']/.test(line[pin.start - 1] ?? '') && line[pin.end] === line[pin.start - 1] ? (line[pin.end] as string) : '';
  const sorted = [...list].sort((a, b) => a.start - b.start);
  const [first, second] = sorted;
  const sep = first && second ? line.slice(first.end + q.length, second.start - q.length) : ', ';
  return { at: pin.end + q.length, text: `${sep || ', '}${q}${to}${q}` };
}

/** The line to insert after `pin`'s line in a block list: a copy of it (indent, dash, quotes) holding `to`, no comment. */
function appendedLine(line: string, pin: Pin, to: string): string {
  const cr = line.endsWith('\r') ? '\r' : '';
  const q = /["']/.test(line[pin.start - 1] ?? '') && line[pin.end] === line[pin.start - 1] ? (line[pin.end] as string) : '';
  return line.slice(0, pin.start) + to + q + cr;
}

/** `text` (one file) with the actions for its pins applied; actions on lines that changed since are skipped. */
export function applyPinActions(text: string, actions: readonly PinAction[]): string {
  const lines = text.split('\n');
  // last line first: a line added to a block list moves only the lines after it, which are done
  const edits = actions.filter((a) => a.action === 'rewrite' || a.action === 'append').sort((a, b) => b.pin.line - a.pin.line || b.pin.start - a.pin.start);
  for (const a of edits) {
    const p = a.pin;
    const l = lines[p.line - 1];
    if (l === undefined || l.slice(p.start, p.end) !== p.value) continue;
    if (a.action === 'rewrite') lines[p.line - 1] = l.slice(0, p.start) + a.to + l.slice(p.end);
    else if (p.inList === 'block') lines.splice(p.line, 0, appendedLine(l, p, a.to));
    else {
      const { at, text: add } = appended(l, p, a.to, a.list ?? [p]);
      lines[p.line - 1] = l.slice(0, at) + add + l.slice(at);
    }
  }
  return lines.join('\n');
}
