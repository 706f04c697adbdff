/**
 * Fixed-window rate limiting per client key, in memory. Time comes in as a parameter.
 * Keys are hashes (see clientKey), so no IP address is kept even in memory for long.
 */
export interface RateLimit {
  /** Requests allowed per window. */
  limit: number;
  windowMs: number;
}

export interface RateDecision {
  allowed: boolean;
  /** Seconds until the window resets (for Retry-After). */
  retryAfter: number;
}

export function createRateLimiter({ limit, windowMs }: RateLimit) {
  const windows = new Map<string, { start: number; count: number }>();
  let lastSweep = 0;
  return {
    take(key: string, now: number): RateDecision {
      // Forget finished windows now and then, so memory follows the active clients only.
      if (now - lastSweep > windowMs) {
        for (const [k, w] of windows) if (now - w.start >= windowMs) windows.delete(k);
        lastSweep = now;
      }
      let window = windows.get(key);
      if (!window || now - window.start >= windowMs) {
        window = { start: now, count: 0 };
        windows.set(key, window);
      }
      window.count += 1;
      return {
        allowed: window.count <= limit,
        retryAfter: Math.max(1, Math.ceil((window.start + windowMs - now) / 1000)),
      };
    },
    size: () => windows.size,
  };
}

/** "10/60" → 10 requests per 60 seconds. */
export function parseRateLimit(text: string): RateLimit | undefined {
  const match = /^(\d{1,7})\/(\d{1,6})$/.exec(text.trim());
  if (!match) return undefined;
  const limit = Number(match[1]);
  const seconds = Number(match[2]);
  return limit > 0 && seconds > 0 ? { limit, windowMs: seconds * 1000 } : undefined;
}
