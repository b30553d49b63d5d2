// A loopback HTTP server serving a release source directory (see writeSourceDir), shaped like
// both go.dev/dl and a flat mirror:
//   <base>?mode=json&include=all  index.json (only stable releases without include=all)
//   <base>index.json              index.json
//   <base>                        an HTML directory listing (nginx autoindex style)
//   <base><file>                  the file (archives, .sha256), with Content-Length and Last-Modified (mtime); HEAD too;
//                                 a `Range: bytes=N-[M]` request gets 206 with those bytes (416 past the end), as resumes send
// Every request is logged with its body bytes (tests assert "downloaded once"; bytesServed() sums them); bodies can be throttled; faults
// cut a body half way, stall it, answer with a status, or never answer.

import { createReadStream, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export interface HttpSourceOptions {
  /** the URL path the source lives under, default '/' (e.g. '/golang/' like mirrors.aliyun.com) */
  basePath?: string;
  /** serve index.json and ?mode=json (default true; false makes a flat mirror of any dir) */
  serveIndex?: boolean;
  /** serve the HTML listing at the base path (default true) */
  listing?: boolean;
  /** serve files in subdirectories too (a GOPROXY tree: golang.org/toolchain/@v/..., sumdb/...) */
  tree?: boolean;
  /** limit file bodies to this many bytes per second */
  throttleBytesPerSec?: number;
}

export interface Fault {
  /** a file name under the base path, or a pattern tested against the request path */
  path: string | RegExp;
  /** cut: close the connection after half the body; stall: send half, then nothing; status: answer `status`;
   * hang: take the request and never answer (not even the headers) */
  kind: 'cut' | 'stall' | 'status' | 'hang';
  status?: number;
  /** apply to this many matching requests, then stop (default: all) */
  times?: number;
}

export interface RequestLogEntry {
  method: string;
  /** path without the query */
  path: string;
  query: string;
  status: number;
  /** body bytes written */
  bytes: number;
  /** the Range header, when the request had one */
  range?: string;
}

export interface HttpSource {
  /** http://127.0.0.1:PORT<basePath> (ends with /) */
  url: string;
  port: number;
  requests: RequestLogEntry[];
  /** GET requests for a file under the base path */
  count(filename: string): number;
  /** body bytes sent so far, all requests together (benchmarks: what the "CDN" served) */
  bytesServed(): number;
  addFault(fault: Fault): void;
  clearFaults(): void;
  close(): Promise<void>;
}

const TYPES: [RegExp, string][] = [
  [/\.json$/, 'application/json'],
  [/\.sha256$/, 'text/plain; charset=utf-8'],
  [/\.zip$/, 'application/zip'],
  [/\.tar\.gz$/, 'application/gzip'],
];

export async function startHttpSource(dir: string, options: HttpSourceOptions = {}): Promise<HttpSource> {
  const base = `/${(options.basePath ?? '/').replace(/^\/+|\/+$/g, '')}/`.replace('//', '/');
  const requests: RequestLogEntry[] = [];
  let faults: (Fault & { left: number })[] = [];

  const takeFault = (path: string): Fault | undefined => {
    const f = faults.find((x) => x.left > 0 && (typeof x.path === 'string' ? path === base + x.path : x.path.test(path)));
    if (f) f.left--;
    return f;
  };

  const server = http.createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    const entry: RequestLogEntry = { method: req.method ?? 'GET', path: u.pathname, query: u.search, status: 0, bytes: 0, ...(req.headers.range ? { range: req.headers.range } : {}) };
    requests.push(entry);
    // body bytes, whether streamed (res.write) or sent whole with res.end(body) (?mode=json, listings, errors)
    const origWrite = res.write.bind(res);
    res.write = ((chunk: Buffer | string, ...rest: never[]) => {
      entry.bytes += Buffer.byteLength(chunk);
      return origWrite(chunk, ...rest);
    }) as typeof res.write;
    const origEnd = res.end.bind(res);
    res.end = ((chunk?: unknown, ...rest: never[]) => {
      if (typeof chunk === 'string' || Buffer.isBuffer(chunk)) entry.bytes += Buffer.byteLength(chunk);
      return origEnd(chunk as never, ...rest);
    }) as typeof res.end;
    res.on('close', () => (entry.status = res.statusCode));
    const fault = takeFault(u.pathname);
    if (fault?.kind === 'status') return send(res, fault.status ?? 500, `fault injected: ${fault.status ?? 500}\n`);
    if (fault?.kind === 'hang') return;
    route({ req, res, u, dir, base, options, fault });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}${base}`,
    port,
    requests,
    count: (filename) => requests.filter((r) => r.method === 'GET' && r.path === base + filename).length,
    bytesServed: () => requests.reduce((a, r) => a + r.bytes, 0),
    addFault: (fault) => faults.push({ ...fault, left: fault.times ?? Infinity }),
    clearFaults: () => (faults = []),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

interface Ctx {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  u: URL;
  dir: string;
  base: string;
  options: HttpSourceOptions;
  fault: Fault | undefined;
}

function send(res: http.ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function route(c: Ctx): void {
  const { u, dir, base, options } = c;
  if (!u.pathname.startsWith(base)) return send(c.res, 404, 'not found\n');
  const name = decodeURIComponent(u.pathname.slice(base.length));
  const indexPath = join(dir, 'index.json');
  const index = (options.serveIndex ?? true) && existsSync(indexPath);
  if (name === '' && u.searchParams.get('mode') === 'json') {
    if (!index) return send(c.res, 404, 'no index\n');
    const all = JSON.parse(readFileSync(indexPath, 'utf8')) as { stable?: boolean }[];
    const body = u.searchParams.get('include') === 'all' ? all : all.filter((r) => r.stable);
    return send(c.res, 200, JSON.stringify(body, null, 1), 'application/json');
  }
  if (name === '') return options.listing ?? true ? send(c.res, 200, listing(dir, base), 'text/html; charset=utf-8') : send(c.res, 403, 'forbidden\n');
  if (name === 'index.json' && !index) return send(c.res, 404, 'not found\n');
  const parts = name.split('/');
  if ((!options.tree && parts.length > 1) || parts.some((p) => p === '' || p.startsWith('.'))) return send(c.res, 404, 'not found\n');
  const path = join(dir, name);
  if (!existsSync(path) || !statSync(path).isFile()) return send(c.res, 404, 'not found\n');
  serveFile(c, path);
}

function listing(dir: string, base: string): string {
  const rows = readdirSync(dir)
    .filter((n) => !n.startsWith('.') && n !== 'index.json')
    .sort()
    .map((n) => `<a href="${encodeURIComponent(n)}">${n}</a>${' '.repeat(Math.max(1, 60 - n.length))}${statSync(join(dir, n)).size}`);
  return `<html>\n<head><title>Index of ${base}</title></head>\n<body>\n<h1>Index of ${base}</h1><hr><pre><a href="../">../</a>\n${rows.join('\n')}\n</pre><hr></body>\n</html>\n`;
}

function serveFile(c: Ctx, path: string): void {
  const { size, mtime } = statSync(path);
  const type = TYPES.find(([re]) => re.test(path))?.[1] ?? 'application/octet-stream';
  const range = /^bytes=(\d+)-(\d*)$/.exec(c.req.headers.range ?? '');
  const from = Number(range?.[1] ?? 0);
  const end = range?.[2] ? Math.min(Number(range[2]), size - 1) : size - 1;
  if (range && (from >= size || end < from)) return void (c.res.writeHead(416, { 'content-range': `bytes */${size}` }), c.res.end());
  // Last-Modified from the file's mtime, as dl.google.com sends the upload time (the release-age policy reads it)
  const headers = { 'content-type': type, 'content-length': end + 1 - from, 'last-modified': mtime.toUTCString(), 'accept-ranges': 'bytes' };
  if (range) c.res.writeHead(206, { ...headers, 'content-range': `bytes ${from}-${end}/${size}` });
  else c.res.writeHead(200, headers);
  if (c.req.method === 'HEAD') return void c.res.end();
  const limit = c.fault ? Math.floor(size / 2) : end + 1;
  const finish = () => {
    if (!c.fault) c.res.end();
    else if (c.fault.kind === 'cut') c.res.socket?.destroy();
    // stall: leave the response open until the client gives up or the server closes
  };
  if (limit <= from) return finish();
  const rate = c.options.throttleBytesPerSec ?? 0;
  const stream = createReadStream(path, { start: from, end: limit - 1, highWaterMark: rate > 0 ? 16 * 1024 : 1024 * 1024 });
  stream.on('data', (chunk) => {
    c.res.write(chunk);
    if (rate > 0) {
      stream.pause();
      setTimeout(() => stream.resume(), (chunk.length / rate) * 1000);
    }
  });
  stream.on('end', finish);
  c.res.on('close', () => stream.destroy());
}
