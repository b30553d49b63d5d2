// The dashboard's front end: plain ES modules and one stylesheet in src/serve/ui/, served as they are (no build
// step). `npm run build` copies the folder beside the compiled server (scripts/copy-ui.mjs), so the same
// `./ui/` next to this module is found under tsx (src/serve/ui) and from the package (dist/serve/ui).
// Read once at start-up; only plain file names are served, so no request path can reach another file.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface UiFile {
  type: string;
  body: Buffer;
}

const TYPES: Record<string, string> = {
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
};

export const DEFAULT_UI_DIR = fileURLToPath(new URL('./ui/', import.meta.url));

export function loadUiFiles(dir: string = DEFAULT_UI_DIR): Map<string, UiFile> {
  const files = new Map<string, UiFile>();
  for (const name of readdirSync(dir)) {
    const ext = /^[a-z0-9-]+\.(js|css|svg)$/.exec(name)?.[1];
    if (!ext || name.endsWith('.test.js')) continue;
    files.set(name, { type: TYPES[ext] ?? 'application/octet-stream', body: readFileSync(join(dir, name)) });
  }
  return files;
}
