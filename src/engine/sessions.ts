// One connection per host for the whole command (the PSSession idea): opened lazily, reused by every step,
// closed once at the end.

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
      session.catch(() => this.open.delete(host.name));
      this.open.set(host.name, session);
    }
    return session;
  }

  async closeAll(): Promise<void> {
    const all = [...this.open.values()];
    this.open.clear();
    await Promise.allSettled(all.map(async (s) => (await s).close()));
  }
}
