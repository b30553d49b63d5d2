// Ansible INI inventory -> host drafts. Sections: `[group]` (host lines), `[group:vars]`
// (key=value lines), `[group:children]` (group names). Hosts before any section are ungrouped.
// Host lines: `name[:port] key=value ...`, names may hold ranges (`web[01:03]`).

import { addChild, addHost, newModel, resolveAnsible, touchGroup, type AnsibleModel } from './ansible-model.ts';
import type { VarBlock } from './ansible-vars.ts';
import type { Env } from './expand-values.ts';
import type { ParsedInventory } from './host-layers.ts';
import { expandHostRange, HostRangeError } from './host-range.ts';
import { invalidAt, parseErrorAt } from './inventory-errors.ts';
import { splitWords } from './split-words.ts';

type SectionKind = 'hosts' | 'vars' | 'children';
interface State {
  model: AnsibleModel;
  group: string;
  kind: SectionKind;
  block?: VarBlock;
  /** line of each variable of the current [group:vars] section */
  varLines: Record<string, number>;
  lineNo: number;
  /** groups declared so far ([g], [g:children], [g:vars]; and all groups of earlier files) */
  known: Set<string>;
  /** references still waiting for a [g] or [g:children] section, in order: Ansible refuses those left at the end */
  pending: Map<string, { line: number; message: string }>;
}

const SECTION = /^\[([^[\]:\s]+)(?::([^\]\s]*))?\]$/;
const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function fail(st: State, message: string): never {
  throw parseErrorAt({ file: st.model.file, line: st.lineNo }, message);
}

function openSection(st: State, text: string): void {
  const m = SECTION.exec(text);
  if (!m) fail(st, `malformed section header ${JSON.stringify(text)} (expected [group], [group:vars] or [group:children])`);
  const [, group, suffix] = m as unknown as [string, string, string | undefined];
  if (suffix !== undefined && suffix !== 'vars' && suffix !== 'children') {
    fail(st, `unknown section type ":${suffix}" (expected :vars or :children)`);
  }
  st.group = group;
  st.kind = (suffix ?? 'hosts') as SectionKind;
  // as Ansible's ini plugin: [g:vars] alone does not declare g; [g] or [g:children] do, even later
  if (st.kind === 'vars') {
    if (!st.known.has(group) && !st.pending.has(group)) {
      st.pending.set(group, { line: st.lineNo, message: `section [${group}:vars] is for a group defined nowhere: ${group}` });
    }
  } else st.pending.delete(group);
  st.known.add(group);
  touchGroup(st.model, group, st.lineNo);
  st.block = undefined;
  if (st.kind === 'vars') {
    const lines: Record<string, number> = (st.varLines = {});
    const file = st.model.file;
    st.block = { vars: {}, where: (key) => ({ file, line: lines[key], field: `[${group}:vars].${key}` }) };
    touchGroup(st.model, group).blocks.push(st.block);
  }
}

function addVarLine(st: State, text: string): void {
  const eq = text.indexOf('=');
  const key = eq < 0 ? '' : text.slice(0, eq).trim();
  if (!VAR_NAME.test(key)) fail(st, `expected key=value in [${st.group}:vars], got ${JSON.stringify(text)}`);
  const rest = text.slice(eq + 1).trim();
  // a quoted value is one word; an unquoted one runs to the end of the line or a ` #`/` ;` comment
  const quoted = rest.startsWith('"') || rest.startsWith("'");
  const value = quoted ? (splitWords(rest, (msg) => fail(st, msg))[0] ?? '') : rest.replace(/\s+[#;].*$/, '');
  st.block!.vars[key] = value;
  st.varLines[key] = st.lineNo;
}

function addHostLine(st: State, text: string): void {
  const [first = '', ...rest] = splitWords(text, (msg) => fail(st, msg));
  if (first.includes('=')) fail(st, `expected a host name before key=value, got ${JSON.stringify(first)}`);
  const vars: Record<string, unknown> = {};
  const hostPort = /^([^:]+):(\d+)$/.exec(first);
  const pattern = hostPort ? hostPort[1]! : first;
  if (hostPort) vars.ansible_port = hostPort[2];
  for (const word of rest) {
    const eq = word.indexOf('=');
    if (eq <= 0 || !VAR_NAME.test(word.slice(0, eq))) fail(st, `expected key=value after host ${pattern}, got ${JSON.stringify(word)}`);
    vars[word.slice(0, eq)] = word.slice(eq + 1);
  }
  let names: string[];
  try {
    names = expandHostRange(pattern);
  } catch (err) {
    if (err instanceof HostRangeError) fail(st, err.message);
    throw err;
  }
  const line = st.lineNo;
  const block: VarBlock = { vars, where: (key) => ({ file: st.model.file, line, field: `${pattern}.${key}` }) };
  for (const name of names) addHost(st.model, st.group, name, line, block);
}

function addChildLine(st: State, text: string): void {
  const words = splitWords(text, (msg) => fail(st, msg));
  if (words.length !== 1 || words[0]!.includes('=')) fail(st, `expected one group name in [${st.group}:children], got ${JSON.stringify(text)}`);
  const child = words[0]!;
  if (!st.known.has(child) && !st.pending.has(child)) {
    st.pending.set(child, { line: st.lineNo, message: `section [${st.group}:children] includes a group defined nowhere: ${child}` });
  }
  addChild(st.model, st.group, words[0]!, st.lineNo);
}

/** Read one INI file into `model` (an inventory directory fills one model from several files). */
export function fillAnsibleIni(model: AnsibleModel, file: string, text: string): void {
  model.file = file;
  const known = new Set(model.groups.keys());
  const st: State = { model, group: 'ungrouped', kind: 'hosts', varLines: {}, lineNo: 0, known, pending: new Map() };
  for (const raw of text.split(/\r?\n/)) {
    st.lineNo += 1;
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    if (line.startsWith('[')) openSection(st, line.replace(/\s+[#;].*$/, ''));
    else if (st.kind === 'vars') addVarLine(st, line);
    else if (st.kind === 'children') addChildLine(st, line);
    else addHostLine(st, line);
  }
  for (const { line, message } of st.pending.values()) {
    throw invalidAt({ file, line }, message, `Define it with a [name] section (it may stay empty), as Ansible requires.`);
  }
}

export function parseAnsibleIni(file: string, text: string, env: Env): ParsedInventory {
  const model = newModel(file);
  fillAnsibleIni(model, file, text);
  return resolveAnsible(model, env);
}
