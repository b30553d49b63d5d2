// Go version pins outside go.mod that a bump leaves behind unless told (repos.md §1.3: Renovate and
// Dependabot do not bump them): `.go-version`, `.tool-versions`, Dockerfile `FROM golang:X` / `ARG GO_VERSION=X`,
// CI `go-version:` / `GO_VERSION:` / `image: golang:X` and matrix lists of them (flow `[a, b]` or block `- a`
// lines). Finding and rewriting work on text, so a rewrite changes only the version token (quotes, `.x` suffixes,
// image variants and comments stay) and an added matrix entry copies its neighbour's form. Pure.

import { compareVersions, parseVersion } from '../../releases/version.ts';
import { languageVersion } from '../shared/go-line.ts';

export type PinKind = 'go-version-file' | 'tool-versions' | 'dockerfile' | 'ci';

export interface Pin {
  /** path relative to the repo */
  file: string;
  kind: PinKind;
  /** 1-based line */
  line: number;
  /** the version token as written, e.g. 1.22, 1.22.x, 1.22.5, go1.22.5 */
  value: string;
  /** column span of the token in its line (0-based, end exclusive) */
  start: number;
  end: number;
  /** an entry of a CI matrix list: `flow` (`go: ['1.25.x', '1.26.x']`, one line) or `block` (one `- 1.25.x` a line) */
  inList?: 'flow' | 'block';
  /** for a list entry: the 1-based line of the list's key (`go:`), which names the list within its file */
  listLine?: number;
  /** a `go:` / `go-version:` under a matrix `include:` / `exclude:`: it names a matrix entry */
  matrixRef?: boolean;
  /** the comment on the same line or the line before, which says why the pin is what it is */
  held?: string;
}

/** Which kind of pin file a repo-relative path is, or null. */
export function pinFileKind(relPath: string): PinKind | null {
  const parts = relPath.split('/');
  const base = parts[parts.length - 1] ?? '';
  if (base === '.go-version') return 'go-version-file';
  if (base === '.tool-versions' && parts.length === 1) return 'tool-versions';
  if (/^(Dockerfile|Containerfile)(\..+)?$|\.(Dockerfile|dockerfile)$/.test(base)) return 'dockerfile';
  if (relPath === '.gitlab-ci.yml' || /^\.github\/workflows\/[^/]+\.ya?ml$/.test(relPath)) return 'ci';
  return null;
}

const TOKEN = String.raw`(?:go)?1\.\d+(?:\.\d+|rc\d+)?(?:\.x)?`;

const PATTERNS: Record<PinKind, RegExp[]> = {
  'go-version-file': [new RegExp(String.raw`^\s*(${TOKEN})\s*$`)],
  'tool-versions': [new RegExp(String.raw`^\s*(?:golang|go)\s+(${TOKEN})\b`)],
  dockerfile: [
    new RegExp(String.raw`^\s*FROM\s+(?:--\S+\s+)*(?:[\w.-]+(?::\d+)?/)?(?:library/)?golang:(${TOKEN})`, 'i'),
    new RegExp(String.raw`^\s*ARG\s+GO_?VERSION=["']?(${TOKEN})`, 'i'),
  ],
  ci: [
    new RegExp(String.raw`^\s*-?\s*(?:go-version|go_version|GO_VERSION|GOLANG_VERSION):\s*["']?(${TOKEN})["']?\s*(?:#.*)?$`),
    new RegExp(String.raw`golang:(${TOKEN})`),
  ],
};

/** `go:` inside a matrix include/exclude block (outside one, `go:` is not a Go pin). */
const MATRIX_REF_RE = new RegExp(String.raw`^\s*-?\s*go:\s*["']?(${TOKEN})["']?\s*(?:#.*)?$`);
const BLOCK_RE = /^(\s*)(?:include|exclude):\s*(?:#.*)?$/;
/** Text before the token that names another tool: the version is that tool's business, not the Go pin's. */
const OTHER_TOOL = /tinygo|golangci|goreleaser|gotestsum|gopls|staticcheck|govulncheck|gofumpt/i;
/** Comment lines that are not about the next line: Dockerfile parser directives. */
const DIRECTIVE = /^#\s*(?:syntax|escape|check)\s*=/i;

/** The comment that explains the pin at [start, end) of `line` (same line, or a comment-only line before). */
function heldBy(line: string, end: number, previous: string | undefined, kind: PinKind): string | undefined {
  if (kind === 'go-version-file') return undefined;
  // a Dockerfile comment is a whole line; `#` later in an instruction is text
  const hash = kind === 'dockerfile' ? -1 : line.indexOf('#', end);
  if (hash >= 0 && (hash === 0 || /\s/.test(line[hash - 1] ?? ''))) return line.slice(hash).trim();
  const prev = previous?.trim() ?? '';
  if (prev.startsWith('#') && !DIRECTIVE.test(prev)) return prev;
  return undefined;
}

/** Keys whose value may be a list of Go versions: GitHub matrix names, GitLab `parallel: matrix:` variables. */
const LIST_KEY = '(?:go-version|go_version|go|GO_VERSION|GOLANG_VERSION)';
/** Inline YAML lists: `go-version: [ '1.21', '1.22' ]` / `go: [1.21, 1.22]` / `- GO_VERSION: ["1.25", "1.26"]`. */
const LIST_RE = new RegExp(String.raw`^\s*-?\s*${LIST_KEY}:\s*\[([^\]]*)\]`);
/** The key of a block YAML list: `go:` / `go-version:` / `GO_VERSION:` with nothing after it but a comment. */
const BLOCK_KEY_RE = new RegExp(String.raw`^(\s*)(?:-\s+)?${LIST_KEY}:\s*(?:#.*)?$`);
/** One scalar entry of a block list: `- '1.25.x'`, `- 1.26.x # newest`, `- stable`. */
const BLOCK_ITEM_RE = /^(\s*)-\s+(["']?)([^\s"'#]+)\2\s*(?:#.*)?$/;
const TOKEN_RE = new RegExp(String.raw`^${TOKEN}$`);
const isComment = (l: string): boolean => l.trim().startsWith('#');

function listPins(file: string, text: string, line: number): Pin[] {
  const m = LIST_RE.exec(text);
  if (!m || m[1] === undefined) return [];
  const offset = (m.index ?? 0) + m[0].indexOf('[') + 1;
  const pins: Pin[] = [];
  for (const item of m[1].matchAll(new RegExp(TOKEN, 'g'))) {
    const start = offset + (item.index ?? 0);
    pins.push({ file, kind: 'ci', line, value: item[0], start, end: start + item[0].length, inList: 'flow', listLine: line });
  }
  return pins;
}

/** The comment that holds a whole block list: on its key line, or a comment-only line before the key. */
function blockListHeld(lines: readonly string[], keyIndex: number): string | undefined {
  const key = lines[keyIndex] ?? '';
  const hash = key.indexOf('#');
  if (hash >= 0) return key.slice(hash).trim();
  const prev = lines[keyIndex - 1]?.trim() ?? '';
  return prev.startsWith('#') ? prev : undefined;
}

/**
 * The entries of the block YAML list whose key is at `keyIndex` (0-based), or [] when no list follows:
 * `- scalar` lines at the key's indent or deeper, blank and comment lines between them. Entries that are
 * not Go versions (`- stable`) belong to the list but are not pins. Each entry's comment (same line, or a
 * comment-only line before it) and the key's comment hold it, as a comment holds a flow list.
 */
function blockListPins(file: string, lines: readonly string[], keyIndex: number): Pin[] {
  const keyIndent = BLOCK_KEY_RE.exec(lines[keyIndex] ?? '')?.[1]?.length ?? 0;
  const listHeld = blockListHeld(lines, keyIndex);
  const pins: Pin[] = [];
  let itemIndent: number | null = null;
  for (let i = keyIndex + 1; i < lines.length; i++) {
    const text = lines[i] ?? '';
    if (text.trim() === '' || isComment(text)) continue;
    const m = BLOCK_ITEM_RE.exec(text);
    const indent = m?.[1]?.length ?? -1;
    if (!m || indent < keyIndent || (itemIndent !== null && indent !== itemIndent)) break;
    itemIndent = indent;
    const value = m[3] ?? '';
    if (!TOKEN_RE.test(value)) continue;
    const start = m[0].indexOf(value, indent + 1);
    const end = start + value.length;
    // a commented-out entry before this one (`# - '1.24.x'`) says nothing about this one
    const prev = /^\s*#\s*-\s/.test(lines[i - 1] ?? '') ? undefined : lines[i - 1];
    const held = listHeld ?? heldBy(text, end + (m[2]?.length ?? 0), prev, 'ci');
    pins.push({ file, kind: 'ci', line: i + 1, value, start, end, inList: 'block', listLine: keyIndex + 1, ...(held !== undefined ? { held } : {}) });
  }
  return pins;
}

/** Every pin in one file's text. Pins whose line names another tool (TinyGo, golangci-lint …) are not Go pins. */
export function findPins(file: string, text: string, kind: PinKind | null = pinFileKind(file)): Pin[] {
  if (kind === null) return [];
  const pins: Pin[] = [];
  const lines = text.split('\n').map((raw) => raw.replace(/\r$/, ''));
  let block: number | null = null;
  lines.forEach((lineText, i) => {
    const indent = /^\s*/.exec(lineText)?.[0].length ?? 0;
    if (kind === 'ci' && lineText.trim() !== '' && !lineText.trim().startsWith('#')) {
      if (block !== null && indent <= block) block = null;
      const b = BLOCK_RE.exec(lineText);
      if (b) block = b[1]?.length ?? 0;
    }
    if (kind === 'ci' && block === null && BLOCK_KEY_RE.test(lineText)) pins.push(...blockListPins(file, lines, i));
    const found: Pin[] = kind === 'ci' ? listPins(file, lineText, i + 1) : [];
    const patterns = kind === 'ci' && block !== null ? [...PATTERNS[kind], MATRIX_REF_RE] : PATTERNS[kind];
    for (const re of patterns) {
      const m = re.exec(lineText);
      if (!m || m[1] === undefined) continue;
      const start = (m.index ?? 0) + m[0].lastIndexOf(m[1]);
      if (found.some((p) => p.start === start)) continue;
      found.push({ file, kind, line: i + 1, value: m[1], start, end: start + m[1].length });
    }
    for (const p of found) {
      if (OTHER_TOOL.test(lineText.slice(0, p.start))) continue;
      const lastEnd = Math.max(...found.map((x) => x.end));
      const held = heldBy(lineText, lastEnd, lines[i - 1], kind);
      pins.push({ ...p, ...(block !== null ? { matrixRef: true } : {}), ...(held !== undefined ? { held } : {}) });
    }
  });
  // a block list's entries were pushed at its key line; every pin in line order (stable: a line keeps its order)
  return pins.sort((a, b) => a.line - b.line);
}

function isLinePin(value: string): boolean {
  return value.endsWith('.x') || /^(go)?\d+\.\d+$/.test(value);
}

/** -1: behind the target (a bump leaves it disagreeing), 0: agrees, 1: ahead of the target. */
export function comparePin(value: string, target: string): -1 | 0 | 1 {
  const bare = value.replace(/\.x$/, '');
  if (!parseVersion(bare)) return 0;
  if (isLinePin(value)) return Math.sign(compareVersions(languageVersion(bare), languageVersion(target))) as -1 | 0 | 1;
  return Math.sign(compareVersions(bare, target)) as -1 | 0 | 1;
}

/** The token to write for `target`, in the pin's own form (line or exact, go prefix, .x suffix). */
export function rewriteValue(value: string, target: string): string {
  const prefix = value.startsWith('go') ? 'go' : '';
  const bareTarget = target.replace(/^go/, '');
  if (isLinePin(value)) return prefix + languageVersion(bareTarget) + (value.endsWith('.x') ? '.x' : '');
  return prefix + bareTarget;
}

/** `text` with the given pins (all from this file) rewritten to `target`. */
export function rewritePins(text: string, pins: readonly Pin[], target: string): string {
  const lines = text.split('\n');
  const byLine = [...pins].sort((a, b) => a.line - b.line || b.start - a.start);
  for (const p of byLine) {
    const l = lines[p.line - 1];
    if (l === undefined || l.slice(p.start, p.end) !== p.value) continue;
    lines[p.line - 1] = l.slice(0, p.start) + rewriteValue(p.value, target) + l.slice(p.end);
  }
  return lines.join('\n');
}
