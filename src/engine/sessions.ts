// One connection per host for the whole command (the PSSession idea): opened lazily, reused by every step
// of that host, closed as soon as the host is done (a fleet of 1000 must not hold 1000 sockets).
//
// Connect ahead (optional, bounded): `connectAhead(hosts, n)` opens the connections of the next hosts in
// line while the concurrency limiter is full, so that their SSH handshakes overlap other hosts' work. At
// most `n` such connections wait unused at any time; one is opened each time a waiting one is taken (or
// its host is closed without being started). A host that already started or finished is never connected
// ahead. A connect that failed ahead of time is handed to its host as it is (reported once, by the host's
// own connect step, not retried a second time).

import type { HostSpec } from '../inventory/types.ts';
import type { Transport } from '../transport/types.ts';

export class Sessions {
  private readonly open = new Map<string, Promise<Transport>>();
  /** opened ahead of time, not yet taken by their host */
  private readonly early = new Map<string, Promise<Transport>>();
  /** hosts that asked for their session or were closed: never connected ahead */
  private readonly started = new Set<string>();
  private queue: HostSpec[] = [];
  private ahead = 0;

  constructor(private readonly connect: (host: HostSpec) => Promise<Transport>) {}

  get(host: HostSpec): Promise<Transport> {
    this.started.add(host.name);
    let session = this.open.get(host.name);
    if (!session) {
      session = this.take(host.name) ?? this.connect(host);
      const s = session;
      // a failed connect is not cached: a later step may retry
      s.catch(() => {
        if (this.open.get(host.name) === s) this.open.delete(host.name);
      });
      this.open.set(host.name, s);
    }
    return session;
  }

  /**
   * Connect to the first hosts of `hosts` (in the order they will start) ahead of time, keeping at most
   * `ahead` such connections waiting. Replaces an earlier list; `ahead` 0 turns it off.
   */
  connectAhead(hosts: readonly HostSpec[], ahead: number): void {
    this.queue = hosts.filter((h) => !this.started.has(h.name));
    this.ahead = Math.max(0, Math.floor(ahead));
    this.pump();
  }

  /** Drop a connection that broke and open a new one (used to read back an outcome after a lost connection). */
  async reopen(host: HostSpec): Promise<Transport> {
    await this.close(host.name);
    return this.get(host);
  }

  async close(name: string): Promise<void> {
    this.started.add(name);
    const session = this.open.get(name) ?? this.early.get(name);
    this.open.delete(name);
    if (this.early.delete(name)) this.pump();
    if (session) await session.then((t) => t.close()).catch(() => undefined);
  }

  async closeAll(): Promise<void> {
    this.queue = [];
    const names = new Set([...this.open.keys(), ...this.early.keys()]);
    await Promise.all([...names].map((name) => this.close(name)));
  }

  private take(name: string): Promise<Transport> | undefined {
    const session = this.early.get(name);
    if (session) {
      this.early.delete(name);
      this.pump();
    }
    return session;
  }

  private pump(): void {
    while (this.early.size < this.ahead) {
      const host = this.queue.shift();
      if (!host) return;
      if (this.started.has(host.name) || this.early.has(host.name)) continue;
      const session = this.connect(host);
      session.catch(() => undefined); // reported when its host takes it
      this.early.set(host.name, session);
    }
  }
}
