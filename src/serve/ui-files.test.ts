// The front end ships as it is: every page's module exists, every import between the ui modules names a file
// of the folder (the browser could load nothing else), and the build copies the folder beside the server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadUiFiles } from './ui-files.ts';
import { pageHtml, type PageName } from './pages.ts';

const files = loadUiFiles();

test('each page loads its own module and the stylesheet, and they exist', () => {
  for (const page of ['fleet', 'runs', 'run', 'policy', 'vulns'] as PageName[]) {
    const html = pageHtml({ page, csrf: 'c', who: 'local', signOut: false, run: 'r' });
    const refs = [...html.matchAll(/(?:src|href)="\/ui\/([^"]+)"/g)].map((m) => m[1] ?? '');
    assert.deepEqual(refs.sort(), ['app.css', `${page}-page.js`].sort(), page);
    for (const r of refs) assert.ok(files.has(r), `${page}: /ui/${r} is missing`);
  }
});

test('ui modules import only their neighbours, by a name the server serves', () => {
  const js = [...files.keys()].filter((f) => f.endsWith('.js'));
  assert.ok(js.length >= 8);
  for (const f of js) {
    const text = files.get(f)?.body.toString('utf8') ?? '';
    for (const m of text.matchAll(/^import [^;]*?from '([^']+)';$/gm)) {
      const spec = m[1] ?? '';
      assert.match(spec, /^\.\/[a-z0-9-]+\.js$/, `${f}: ${spec}`);
      assert.ok(files.has(spec.slice(2)), `${f}: ${spec} is not in src/serve/ui`);
    }
  }
});

test('npm run build copies the ui folder beside the compiled server', () => {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: { build: string }; files: string[] };
  assert.match(pkg.scripts.build, /tsc -p tsconfig\.build\.json && node scripts\/copy-ui\.mjs/);
  assert.ok(pkg.files.includes('dist'));
  const copy = readFileSync(new URL('../../scripts/copy-ui.mjs', import.meta.url), 'utf8');
  assert.match(copy, /src\/serve\/ui\//);
  assert.match(copy, /dist\/serve\/ui\//);
});
