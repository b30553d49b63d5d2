// GET /api/events: the live event stream as server-sent events. One data.subscribe per connection, dropped when
// the client goes away (or the server closes); a comment line every heartbeatMs keeps proxies from timing the
// stream out and lets the client notice a dead server; it also re-checks the client's token, so a revoked token's
// stream ends within a heartbeat. A client that stops reading is cut off rather than
// buffered without end (its EventSource reconnects and the page replays the run's events).

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DashboardData, LiveEvent } from './types.ts';

const MAX_BUFFERED = 1 << 20;

export interface EventStreams {
  /** `alive` is asked at every heartbeat: false (the token was revoked) ends the stream */
  open(req: IncomingMessage, res: ServerResponse, headers: Record<string, string>, alive?: () => boolean): void;
  /** streams open now */
  count(): number;
  closeAll(): void;
}

export function eventStreams(data: Pick<DashboardData, 'subscribe'>, heartbeatMs: number): EventStreams {
  const open = new Set<() => void>();
  return {
    open(req, res, headers, alive = () => true) {
      res.writeHead(200, { ...headers, 'content-type': 'text/event-stream; charset=utf-8', connection: 'keep-alive', 'x-accel-buffering': 'no' });
      res.write('retry: 3000\n\n');
      let closed = false;
      const close = (): void => {
        if (closed) return;
        closed = true;
        unsubscribe();
        clearInterval(beat);
        open.delete(close);
        res.end();
      };
      const write = (text: string): void => {
        if (closed) return;
        res.write(text);
        if (res.writableLength > MAX_BUFFERED) close();
      };
      const unsubscribe = data.subscribe((e: LiveEvent) => write(`data: ${JSON.stringify(e)}\n\n`));
      const beat = setInterval(() => (alive() ? write(': heartbeat\n\n') : close()), heartbeatMs);
      beat.unref();
      open.add(close);
      req.on('close', close);
      res.on('error', close);
    },
    count: () => open.size,
    closeAll: () => [...open].forEach((close) => close()),
  };
}
