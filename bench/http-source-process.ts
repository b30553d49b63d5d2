// The loopback "CDN" of fleet.bench.ts: test/harness/http-source.ts serving a source directory in a process of its
// own, so that the bytes it streams cost the controller's figures (CPU, peak RSS) nothing.
//
//   node --import tsx bench/http-source-process.ts <dir>
//
// Prints {"url"} as one JSON line once listening; when its stdin closes, prints {"bytes","requests","archiveGets"}
// (body bytes served, requests, GETs of a .tar.gz/.zip) as one JSON line and exits.

import { startHttpSource } from '../test/harness/http-source.ts';

const dir = process.argv[2];
if (!dir) throw new Error('usage: http-source-process.ts <dir>');
const source = await startHttpSource(dir);
process.stdout.write(`${JSON.stringify({ url: source.url })}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  const archiveGets = source.requests.filter((r) => r.method === 'GET' && /\.(tar\.gz|zip)$/.test(r.path)).length;
  process.stdout.write(`${JSON.stringify({ bytes: source.bytesServed(), requests: source.requests.length, archiveGets })}\n`);
  void source.close().then(() => process.exit(0));
});
