#!/usr/bin/env node
// `npm run build`, after tsc: copy the dashboard's front end (src/serve/ui: plain ES modules and a stylesheet,
// served as they are) beside the compiled server, where src/serve/ui-files.ts looks for it (dist/serve/ui).
import { cpSync, mkdirSync, readdirSync, rmSync } from 'node:fs';

const from = new URL('../src/serve/ui/', import.meta.url);
const to = new URL('../dist/serve/ui/', import.meta.url);
rmSync(to, { recursive: true, force: true });
mkdirSync(to, { recursive: true });
const files = readdirSync(from).filter((f) => /\.(js|css|svg)$/.test(f));
for (const f of files) cpSync(new URL(f, from), new URL(f, to));
console.log(`copied ${files.length} dashboard files to dist/serve/ui`);
