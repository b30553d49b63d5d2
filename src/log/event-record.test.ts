import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventRecord } from './event-record.ts';

test("an 'archive' event: one line with where the file came from; a failover makes it a warning", () => {
  const provenance = {
    source: 'http://good/golang/',
    sourceKind: 'url' as const,
    authority: 'the official index https://go.dev/dl/',
    hashes: { sha256: 'a'.repeat(64) },
    failover: [{ source: 'http://dead/', code: 'SOURCE_UNAVAILABLE', message: 'connect ECONNREFUSED' }],
    warnings: [],
  };
  const r = eventRecord({ kind: 'archive', run: 'r1', filename: 'go1.27.3.linux-amd64.tar.gz', provenance, at: 0 });
  assert.equal(r.level, 'warn');
  assert.equal(r.msg, 'go1.27.3.linux-amd64.tar.gz from http://good/golang/, vouched by the official index https://go.dev/dl/, failover: http://dead/ (SOURCE_UNAVAILABLE)');
  assert.deepEqual(r.fields.provenance, provenance);
  assert.equal(eventRecord({ kind: 'archive', run: 'r1', filename: 'f', provenance: { ...provenance, failover: [] }, at: 0 }).level, 'info');
  const goproxy = { ...provenance, failover: [], hashes: { sha256: 'a'.repeat(64), h1: 'h1:xyz=' } };
  const g = eventRecord({ kind: 'archive', run: 'r1', filename: 'f', provenance: goproxy, at: 0 });
  assert.equal(g.msg, 'f from http://good/golang/, vouched by the official index https://go.dev/dl/, module zip h1:xyz=');
  assert.deepEqual(g.fields.provenance, goproxy);
});
