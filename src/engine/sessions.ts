// One connection per host for the whole command (the PSSession idea): opened lazily, reused by every step
// of that host, closed as soon as the host is done (a fleet of 1000 must not hold 1000 sockets).

import type { HostSpec } from '../inventory/types.ts';
import type { Transport } from '../transport/types.ts';

export class Sessions {
  private readonly open = new Map<string, Promise<Transport>>();

  constructor(private readonly connect: (host: HostSpec) => Promise<Transport>) {}

  get(host: HostSpec): Promise<Transport> {
    let session = this.open.get(host.name);
    if (!session) {
      session = this.connect(host);
      // a failed connect is not cached: a later step may retry
      session.catch(() => {
        if (this.open.get(host.name) === session) this.open.delete(host.name);
      });
      this.open.set(host.name, session);
    }
    return session;
  }

  /** Drop a connection that broke and open a new one (used to read back an outcome after a lost connection). */
  async reopen(host: HostSpec): Promise<Transport> {
    await this.close(host.name);
    return this.get(host);
  }

  async close(name: string): Promise<void> {
    const session = this.open.get(name);
    this.open.delete(name);
    if (session) await session.then((t) => t.close()).catch(() => undefined);
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.open.keys()].map((name) => this.close(name)));
  }
}
