// A rolling-window limit on content-creating forge requests (GitHub's secondary limit: at most 80 a minute).
// One throttle serves the whole campaign, across repos and forges. The clock is injected.

export interface ForgeClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: ForgeClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface WriteThrottle {
  /** resolves when one more write fits in the window (and counts it) */
  acquire(): Promise<void>;
}

export function createWriteThrottle(perWindow: number, clock: ForgeClock, windowMs = 60_000): WriteThrottle {
  const times: number[] = [];
  return {
    async acquire() {
      for (;;) {
        const now = clock.now();
        while (times.length > 0 && (times[0] ?? 0) <= now - windowMs) times.shift();
        if (times.length < perWindow) {
          times.push(now);
          return;
        }
        const wait = (times[0] ?? now) + windowMs - now;
        await clock.sleep(wait);
      }
    },
  };
}
