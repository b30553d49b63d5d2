// Read an ssh config into a tree of lines, as OpenSSH's readconf.c does: `Keyword args` or
// `Keyword=args`, quoted arguments, `#` comments, and `Include` read at load time (every included
// file is read whether or not its block applies, as OpenSSH does; whether it applies is decided per
// host when the tree is evaluated). Relative Include paths resolve against ~/.ssh (user config),
// globs are expanded and sorted, nesting is capped at OpenSSH's 16.

import { readdir, readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { GofleetError } from '../errors.ts';
import { expandTilde, homeDir, type Env } from './expand-values.ts';
import { invalidAt, parseErrorAt } from './inventory-errors.ts';

export interface ConfigLine {
  /** lower-cased keyword */
  key: string;
  args: string[];
  /** the rest of the line after the keyword, unsplit (ProxyCommand takes it whole, as OpenSSH does) */
  rest: string;
  file: string;
  line: number;
  /** for Include: the files read, in glob order */
  included?: ConfigLine[][];
}

/** OpenSSH's READCONF_MAX_DEPTH */
export const MAX_INCLUDE_DEPTH = 16;

/** Split arguments like OpenSSH's argv_split: whitespace, "double" or 'single' quotes, # starts a comment. */
export function splitArgs(text: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i]!)) i++;
    if (i >= text.length || text[i] === '#') break;
    let arg = '';
    let quote = '';
    for (; i < text.length; i++) {
      const c = text[i]!;
      if (quote) {
        if (c === quote) quote = '';
        else arg += c;
      } else if (c === '"' || c === '\'') quote = c;
      else if (/\s/.test(c)) break;
      else arg += c;
    }
    out.push(arg);
  }
  return out;
}

function parseLine(raw: string, file: string, line: number): ConfigLine | undefined {
  const text = raw.trim();
  if (text === '' || text.startsWith('#')) return undefined;
  const m = /^([^\s=]+)\s*(?:=\s*|\s+|$)(.*)$/.exec(text);
  if (!m) throw parseErrorAt({ file, line }, `cannot parse ${JSON.stringify(text)}`);
  const rest = m[2] ?? '';
  return { key: m[1]!.toLowerCase(), args: splitArgs(rest), rest, file, line };
}

const WILD = /[*?[]/;

function globToRegex(part: string): RegExp {
  const body = part.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]');
  return new RegExp(`^${body}$`);
}

/** Expand a glob path (absolute) to the existing files it names, sorted as glob(3) sorts. */
async function expandGlob(path: string): Promise<string[]> {
  if (!WILD.test(path)) return [path];
  let bases = ['/'];
  for (const part of path.split('/').filter((p) => p !== '')) {
    const next: string[] = [];
    for (const base of bases) {
      if (!WILD.test(part)) next.push(join(base, part));
      else {
        const names = await readdir(base).catch(() => [] as string[]);
        const re = globToRegex(part);
        for (const n of names.sort()) if (re.test(n) && (!n.startsWith('.') || part.startsWith('.'))) next.push(join(base, n));
      }
    }
    bases = next;
  }
  return bases;
}

interface ReadOptions {
  env: Env;
  depth: number;
}

async function readIncluded(line: ConfigLine, o: ReadOptions): Promise<ConfigLine[][]> {
  if (o.depth >= MAX_INCLUDE_DEPTH) {
    throw invalidAt({ file: line.file, line: line.line }, `Include nested more than ${MAX_INCLUDE_DEPTH} deep (an Include loop?)`);
  }
  const files: ConfigLine[][] = [];
  for (const arg of line.args) {
    // OpenSSH anchors a relative path in ~/.ssh for a user config
    const anchored = arg.startsWith('~') || isAbsolute(arg) ? expandTilde(arg, o.env) : join(homeDir(o.env), '.ssh', arg);
    for (const path of await expandGlob(anchored)) {
      const lines = await readConfigFile(path, { ...o, depth: o.depth + 1 }, true);
      if (lines) files.push(lines);
    }
  }
  return files;
}

/** Read one config file and everything it includes; a missing file gives undefined. */
export async function readConfigFile(file: string, o: ReadOptions, included = false): Promise<ConfigLine[] | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR' || (included && code === 'EISDIR')) return undefined;
    throw new GofleetError('INVENTORY_PARSE', `${file}: cannot read the ssh config: ${(err as Error).message}`, {
      location: { file }, cause: err, hint: 'Check the file permissions, or point --ssh-config elsewhere.',
    });
  }
  const lines: ConfigLine[] = [];
  const raw = text.split(/\r?\n/);
  for (let i = 0; i < raw.length; i++) {
    const line = parseLine(raw[i]!, file, i + 1);
    if (!line) continue;
    if (line.key === 'include') line.included = await readIncluded(line, o);
    lines.push(line);
  }
  return lines;
}
