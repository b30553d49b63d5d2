import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { listedFileNames, releasesFromListing } from './html-listing.ts';

// What nginx autoindex (mirrors.aliyun.com/golang/) and Apache listings look like.
const NGINX = `<html><head><title>Index of /golang/</title></head><body><h1>Index of /golang/</h1><hr><pre><a href="../">../</a>
<a href="go1.27.3.linux-amd64.tar.gz">go1.27.3.linux-amd64.tar.gz</a>                       19-Oct-2026 22:40    78004276
<a href="go1.27.3.linux-amd64.tar.gz.sha256">go1.27.3.linux-amd64.tar.gz.sha256</a>         19-Oct-2026 22:40          64
<a href="go1.27.3.windows-amd64.zip">go1.27.3.windows-amd64.zip</a>
<a href="go1.27.3.windows-amd64.msi">go1.27.3.windows-amd64.msi</a>
<a href="go1.28rc1.linux-amd64.tar.gz">go1.28rc1.linux-amd64.tar.gz</a>
<a href="go1.2.2.darwin-amd64-osx10.8.tar.gz">legacy</a>
<a href="go1.4-bootstrap-20171003.tar.gz">bootstrap</a>
</pre><hr></body></html>`;
const APACHE = `<tr><td><a href='/golang/go1.26.8.linux-arm64.tar.gz?x=1'>go1.26.8...</a></td></tr>
<tr><td><a href=go1.26.8.src.tar.gz>src</a></td></tr><a HREF="https://cdn.example/golang/go1.26.8.linux-amd64.tar.gz">cdn</a>
<a href="go1.26.8.linux-amd64.tar.gz">dup</a>`;

describe('listedFileNames', () => {
  it('finds official names in nginx listings, skipping sidecars and legacy names', () => {
    assert.deepEqual(listedFileNames(NGINX), ['go1.27.3.linux-amd64.tar.gz', 'go1.27.3.windows-amd64.zip', 'go1.27.3.windows-amd64.msi', 'go1.28rc1.linux-amd64.tar.gz']);
  });
  it('handles quoting styles, absolute links, queries and duplicates', () => {
    assert.deepEqual(listedFileNames(APACHE), ['go1.26.8.linux-arm64.tar.gz', 'go1.26.8.src.tar.gz', 'go1.26.8.linux-amd64.tar.gz']);
  });
});

describe('releasesFromListing', () => {
  it('builds releases with unknown sizes and checksums', () => {
    const releases = releasesFromListing(NGINX);
    assert.deepEqual(releases.map((r) => [r.version, r.stable, r.files.length]), [['go1.28rc1', false, 1], ['go1.27.3', true, 3]]);
    const zip = releases[1]?.files.find((f) => f.filename.endsWith('.zip'));
    assert.deepEqual(zip, { filename: 'go1.27.3.windows-amd64.zip', os: 'windows', arch: 'amd64', version: 'go1.27.3', sha256: '', size: 0, kind: 'archive' });
  });
});
