import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Provenance } from '../releases/provider.ts';
import { consoleProgress } from './console-progress.ts';
import { archiveJson, provenanceLine } from './provenance.ts';

const FILE = 'go1.27.3.linux-amd64.tar.gz';
const p: Provenance = {
  source: 'http://good/golang/',
  sourceKind: 'url',
  authority: 'the official index https://go.dev/dl/',
  hashes: { sha256: 'a'.repeat(64) },
  failover: [{ source: 'http://dead/', code: 'SOURCE_UNAVAILABLE', message: 'connect ECONNREFUSED' }],
  warnings: [],
};

test('one line: from where, vouched by whom, which sources were passed over', () => {
  assert.equal(provenanceLine(FILE, p), `${FILE} from http://good/golang/, vouched by the official index https://go.dev/dl/, failover: http://dead/ (SOURCE_UNAVAILABLE)`);
  assert.equal(provenanceLine(FILE, { ...p, failover: [], warnings: ['checked only against the mirror'] }), `${FILE} from http://good/golang/, vouched by the official index https://go.dev/dl/; warning: checked only against the mirror`);
});

test("a goproxy: archive's line names the module zip's h1: after who vouched for it", () => {
  const q: Provenance = { ...p, source: 'goproxy:file:///p/', sourceKind: 'goproxy', authority: 'the Go checksum database (module zip from goproxy:file:///p/, repacked)', hashes: { sha256: 'a'.repeat(64), h1: 'h1:xyz=' } };
  assert.equal(provenanceLine(FILE, q), `${FILE} from goproxy:file:///p/, vouched by the Go checksum database (module zip from goproxy:file:///p/, repacked), module zip h1:xyz=, failover: http://dead/ (SOURCE_UNAVAILABLE)`);
});

test('the JSON shape of upgrade --json and show --json `archives`', () => {
  assert.deepEqual(archiveJson(FILE, p), {
    filename: FILE,
    source: 'http://good/golang/',
    source_kind: 'url',
    authority: 'the official index https://go.dev/dl/',
    sha256: 'a'.repeat(64),
    failover: [{ source: 'http://dead/', code: 'SOURCE_UNAVAILABLE', message: 'connect ECONNREFUSED' }],
    warnings: [],
  });
  assert.equal(archiveJson(FILE, { ...p, hashes: { sha256: 'b'.repeat(64), h1: 'h1:xyz=' } }).h1, 'h1:xyz=');
});

test('the console progress prints the provenance once, as one line', () => {
  let screen = '';
  const progress = consoleProgress({ write: (t) => void (screen += t), tty: false, colour: false, ticker: false });
  progress({ kind: 'archive', run: 'r1', filename: FILE, provenance: p, at: 0 });
  progress.stop();
  assert.equal(screen, `  archive ${provenanceLine(FILE, p)}\n`);
});
