// go.mod / go.work reader: the directives a campaign needs (module, go, toolchain, godebug, require,
// replace, use), with line numbers. Lenient on purpose: a line it does not understand is skipped, because
// the go command (run later) is the judge of validity and reports it with its own message. Pure.

import type { FileKind } from './types.ts';

export interface Require {
  path: string;
  version: string;
  indirect: boolean;
}

export interface Replace {
  oldPath: string;
  oldVersion: string | null;
  /** a module path, or a directory when it starts with ./ ../ or / */
  newPath: string;
  newVersion: string | null;
}

export interface ModFile {
  kind: FileKind;
  module: string | null;
  go: { version: string; line: number } | null;
  toolchain: { name: string; line: number } | null;
  godebug: { key: string; value: string }[];
  requires: Require[];
  replaces: Replace[];
  /** go.work `use` directories, as written */
  uses: string[];
}

/** Split a line into tokens (double-quoted and back-quoted strings are one token) and its `//` comment. */
export function tokenize(line: string): { tokens: string[]; comment: string } {
  const tokens: string[] = [];
  let i = 0;
  while (i < line.length) {
    const c = line[i] ?? '';
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
    } else if (line.startsWith('//', i)) {
      return { tokens, comment: line.slice(i + 2).trim() };
    } else if (c === '"' || c === '`') {
      let j = i + 1;
      let value = '';
      while (j < line.length && line[j] !== c) {
        if (c === '"' && line[j] === '\\' && j + 1 < line.length) j++;
        value += line[j];
        j++;
      }
      tokens.push(value);
      i = j + 1;
    } else if (c === '(' || c === ')') {
      tokens.push(c);
      i++;
    } else {
      let j = i;
      while (j < line.length && !/[\s()]/.test(line[j] ?? '') && !line.startsWith('//', j)) j++;
      tokens.push(line.slice(i, j));
      i = j;
    }
  }
  return { tokens, comment: '' };
}

/** True when a replacement target is a directory rather than a module path (go.dev/ref/mod#go-mod-file-replace). */
export function isLocalPath(path: string): boolean {
  return path.startsWith('./') || path.startsWith('../') || path.startsWith('/') || path === '.' || path === '..' || /^[A-Za-z]:[\\/]/.test(path);
}

function applyDirective(mod: ModFile, verb: string, args: string[], comment: string, line: number): void {
  switch (verb) {
    case 'module':
      if (args[0]) mod.module = args[0];
      break;
    case 'go':
      if (args[0]) mod.go = { version: args[0], line };
      break;
    case 'toolchain':
      if (args[0]) mod.toolchain = { name: args[0], line };
      break;
    case 'godebug': {
      const [key, value] = (args[0] ?? '').split('=');
      if (key && value !== undefined) mod.godebug.push({ key, value });
      break;
    }
    case 'require':
      if (args[0] && args[1]) mod.requires.push({ path: args[0], version: args[1], indirect: /^indirect\b/.test(comment) });
      break;
    case 'replace': {
      const arrow = args.indexOf('=>');
      if (arrow < 1 || arrow > 2 || !args[arrow + 1]) break;
      mod.replaces.push({ oldPath: args[0] ?? '', oldVersion: arrow === 2 ? (args[1] ?? null) : null, newPath: args[arrow + 1] ?? '', newVersion: args[arrow + 2] ?? null });
      break;
    }
    case 'use':
      if (args[0]) mod.uses.push(args[0]);
      break;
  }
}

/** Read a go.mod (`kind: 'module'`) or go.work (`kind: 'workspace'`). */
export function parseModFile(text: string, kind: FileKind): ModFile {
  const mod: ModFile = { kind, module: null, go: null, toolchain: null, godebug: [], requires: [], replaces: [], uses: [] };
  let block: string | null = null;
  text.split('\n').forEach((raw, index) => {
    const line = index + 1;
    const { tokens, comment } = tokenize(raw);
    if (tokens.length === 0) return;
    if (block !== null) {
      if (tokens[0] === ')') block = null;
      else applyDirective(mod, block, tokens, comment, line);
      return;
    }
    const [verb, ...rest] = tokens;
    if (!verb) return;
    if (rest[0] === '(' && rest.length === 1) {
      block = verb;
      return;
    }
    applyDirective(mod, verb, rest, comment, line);
  });
  return mod;
}
