import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkPullUrl } from './validate-values.ts';

test('checkPullUrl: http(s) URLs pass as given; other schemes, blanks and control characters are BAD_OPTION', () => {
  for (const ok of ['http://127.0.0.1:8080/golang/go1.27.3.linux-amd64.tar.gz', 'https://mirrors.example/go/go1.27.3.windows-amd64.zip?x=1']) {
    assert.equal(checkPullUrl(ok), ok);
  }
  for (const bad of ['ftp://mirror/go.tgz', 'file:///srv/go.tgz', 'not a url', 'http://mirror/go 1.tgz', 'http://mirror/go.tgz\n', 'https://mirror/\u0007go.tgz']) {
    assert.throws(() => checkPullUrl(bad), { code: 'BAD_OPTION' }, bad);
  }
});
