// Open one authenticated ssh2 connection (one hop), host-key-checked, over TCP or over a given stream
// (a ProxyJump forward), and a chain of hops ending at the target.
import ssh2, { type Client, type ConnectConfig } from 'ssh2';
import type { Duplex } from 'node:stream';
import { GofleetError } from '../errors.ts';
import { createHostKeyCheck } from './host-key-check.ts';
import { methodNames, planAuth, type AuthInputs } from './ssh-auth.ts';
import { connectError } from './ssh-errors.ts';

export interface HopOptions {
  /** inventory name, for errors */
  host: string;
  address: string;
  port: number;
  auth: AuthInputs;
  knownHostsPath: string;
  acceptNewHostKeys: boolean;
  connectTimeoutMs: number;
  keepalive: { intervalMs: number; countMax: number } | false;
  /** connect over this stream instead of TCP */
  sock?: Duplex;
  /** how this hop is named in messages, e.g. "jump host 127.0.0.1:2201" */
  label?: string;
}

export interface Hop {
  client: Client;
  target: string;
  /** a ProxyCommand carrying this hop: killed when the hop closes (its stdout may never end by itself) */
  proxy?: { kill(): void };
}

function authFailure(err: unknown, o: HopOptions, target: string, notes: string[], tried: string[]): GofleetError {
  const detail = [`tried: ${tried.join(', ') || 'no usable method'}`, ...notes].join('; ');
  return new GofleetError('AUTH_FAILED', `authentication to ${target} failed (${detail})`, { host: o.host, cause: err });
}

export function connectHop(o: HopOptions): Promise<Hop> {
  const target = `${o.label ?? ''}${o.auth.username}@${o.address}:${o.port}`;
  const plan = planAuth(o.auth);
  const check = createHostKeyCheck({ knownHostsPath: o.knownHostsPath, address: o.address, port: o.port,
    acceptNew: o.acceptNewHostKeys, host: o.host });
  const client = new ssh2.Client();
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (err: GofleetError): void => {
      if (settled) return;
      settled = true;
      clearTimeout(guard);
      client.end();
      client.destroy();
      reject(err);
    };
    // ssh2's readyTimeout covers TCP + handshake + auth; this guard also covers a stalled custom stream
    const guard = setTimeout(() => fail(new GofleetError('CONNECT_TIMEOUT',
      `connecting to ${target} timed out after ${o.connectTimeoutMs} ms`, { host: o.host })), o.connectTimeoutMs + 1000);
    client.on('ready', () => {
      if (settled) return;
      settled = true;
      // Nagle + delayed ACK cost every exec 40-85 ms on loopback (3 ms without): small request/reply traffic
      client.setNoDelay(true);
      clearTimeout(guard);
      resolve({ client, target });
    });
    client.on('error', (err: Error & { level?: string }) => {
      if (err.level === 'agent') {
        plan.notes.push(`ssh-agent failed: ${err.message}`);
        return; // ssh2 goes on with the next method
      }
      const hostKey = check.failure();
      if (hostKey) fail(hostKey);
      else if (err.level === 'client-authentication') fail(authFailure(err, o, target, plan.notes, methodNames(plan)));
      else fail(connectError(err, { host: o.host, target }));
    });
    client.on('close', () => fail(check.failure() ?? new GofleetError('HOST_UNREACHABLE',
      `connection to ${target} closed before it was ready`, { host: o.host })));
    const config: ConnectConfig = {
      host: o.address,
      port: o.port,
      sock: o.sock,
      username: o.auth.username,
      readyTimeout: o.connectTimeoutMs,
      keepaliveInterval: o.keepalive ? o.keepalive.intervalMs : 0,
      keepaliveCountMax: o.keepalive ? o.keepalive.countMax : 0,
      hostVerifier: (key: Buffer) => check.verify(key),
      algorithms: { serverHostKey: check.preferredAlgorithms() as NonNullable<ConnectConfig['algorithms']>['serverHostKey'] },
      authHandler: plan.methods as unknown as ConnectConfig['authHandler'],
    };
    try {
      client.connect(config);
    } catch (err) {
      fail(connectError(err, { host: o.host, target }));
    }
  });
}

/** A stream to `address:port` opened from `via` (ssh -J), for the next hop's `sock`. */
export function forwardThrough(via: Hop, address: string, port: number, host: string): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    try {
      via.client.forwardOut('127.0.0.1', 0, address, port, (err, stream) => {
        if (err) {
          reject(new GofleetError('HOST_UNREACHABLE', `${via.target} could not open a connection to ${address}:${port}: ` +
            `${err.message}`, { host, cause: err }));
        } else resolve(stream);
      });
    } catch (err) {
      reject(connectError(err, { host, target: via.target }));
    }
  });
}
