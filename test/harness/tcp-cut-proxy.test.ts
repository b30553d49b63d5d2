import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { startCutProxy } from './tcp-cut-proxy.ts';

// an upstream that counts what it receives per connection and echoes "ok" on connect
let upstream: Server;
let port = 0;
const received: number[] = [];
before(async () => {
  upstream = createServer((s) => {
    const i = received.push(0) - 1;
    s.on('data', (d: Buffer) => (received[i] = (received[i] ?? 0) + d.length));
    s.on('error', () => undefined);
    s.write('ok');
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  port = (upstream.address() as { port: number }).port;
});
after(() => new Promise<void>((resolve) => upstream.close(() => resolve())));

function open(p: number): Promise<{ sock: Socket; closed: Promise<void>; greeting: Promise<string> }> {
  return new Promise((resolve) => {
    const sock = connect({ host: '127.0.0.1', port: p }, () => {
      const closed = new Promise<void>((r) => sock.on('close', () => r()));
      const greeting = new Promise<string>((r) => sock.once('data', (d) => r(d.toString())));
      sock.on('error', () => undefined);
      resolve({ sock, closed, greeting });
    });
  });
}

test('forwards both ways and cuts a connection after N bytes client -> server', { timeout: 60_000 }, async () => {
  const proxy = await startCutProxy({ targetPort: port, cutAfterBytes: 1000 });
  const c = await open(proxy.port);
  assert.equal(await c.greeting, 'ok');
  const start = received.length - 1;
  c.sock.write(Buffer.alloc(600));
  c.sock.write(Buffer.alloc(600));
  await c.closed;
  assert.equal(proxy.cuts, 1);
  assert.equal(proxy.bytesUp, 1000);
  for (let i = 0; i < 100 && (received[start] ?? 0) < 1000; i++) await new Promise((r) => setTimeout(r, 20));
  assert.equal(received[start], 1000);
  await proxy.close();
});

test('cutAll cuts open connections on demand; freeze keeps them open but silent', { timeout: 60_000 }, async () => {
  const proxy = await startCutProxy({ targetPort: port });
  const c = await open(proxy.port);
  await c.greeting;
  proxy.cutAll();
  await c.closed;
  assert.equal(proxy.connections, 1);

  const frozen = await startCutProxy({ targetPort: port, mode: 'freeze' });
  const f = await open(frozen.port);
  await f.greeting;
  frozen.cutAll();
  const before = received.length;
  f.sock.write('lost');
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(frozen.bytesUp, 0);
  assert.equal(received.length, before);
  assert.equal(f.sock.destroyed, false);
  f.sock.destroy();
  await frozen.close();
  await proxy.close();
});
