import { test } from 'node:test';
import assert from 'node:assert/strict';
import { archivesHtml } from './html-archives.ts';
import { htmlReport } from './html.ts';

const run = { run: 'r1', target: 'go1.27.3', hosts: [] };

test('the report names where each archive came from, who vouched, and the sources passed over (escaped)', () => {
  const html = archivesHtml({
    ...run,
    archives: [{ filename: 'go1.27.3.linux-amd64.tar.gz', source: 'http://good/<x>/', authority: 'the official index https://go.dev/dl/', failover: [{ source: 'http://dead/', code: 'SOURCE_UNAVAILABLE', message: 'refused' }], warnings: [] }],
  });
  assert.match(html, /<h2 id="archives-h">Archives<\/h2>/);
  assert.match(html, /<code>go1\.27\.3\.linux-amd64\.tar\.gz<\/code> from http:\/\/good\/&lt;x&gt;\/, vouched by the official index https:\/\/go\.dev\/dl\/; failover: http:\/\/dead\/ \(SOURCE_UNAVAILABLE: refused\)/);
});

test("a goproxy: archive shows the module zip's h1: (escaped)", () => {
  const html = archivesHtml({ ...run, archives: [{ filename: 'go1.27.3.linux-amd64.tar.gz', source: 'goproxy:file:///p/', authority: 'the Go checksum database', h1: 'h1:a+b/<c>=' }] });
  assert.match(html, /vouched by the Go checksum database, module zip <code>h1:a\+b\/&lt;c&gt;=<\/code><\/li>/);
});

test('no archives, no section (reports of older runs are unchanged)', () => {
  assert.equal(archivesHtml(run), '');
  assert.doesNotMatch(htmlReport(run), /archives-h/);
});
