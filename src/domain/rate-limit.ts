/**
 * Fixed-window rate limiting per client key, in memory. Time comes in as a parameter.
 * Keys are hashes (see clientKey), so no IP address is kept even in memory for long.
 * The map holds at most `maxKeys` clients: past that the oldest window is dropped, so a
 * flood of made-up addresses costs a bounded amount of memory (≈ 200 bytes a key).
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

export const MAX_RATE_LIMIT_KEYS = 50_000;

export function createRateLimiter({ limit, windowMs }: RateLimit, maxKeys = MAX_RATE_LIMIT_KEYS) {
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
        // Re-inserted, so the map's order stays oldest window first.
        windows.delete(key);
        window = { start: now, count: 0 };
        windows.set(key, window);
        for (const oldest of windows.keys()) {
          if (windows.size <= maxKeys) break;
          windows.delete(oldest);
        }
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

/**
 * The part of an address a rate limit counts: an IPv4 address whole (also when written as
 * IPv4-mapped IPv6), an IPv6 address by its /64 prefix — one subscriber usually holds a
 * whole /64, so counting full addresses would give them 2^64 buckets.
 */
export function rateLimitSubject(address: string): string {
  const bare = address.trim().toLowerCase().replace(/%.*$/, "");
  const mapped = /^[0:]*:ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(bare);
  if (mapped?.[1]) return mapped[1];
  if (!bare.includes(":")) return bare;
  const groups = expandIpv6(bare);
  return groups ? `${groups.slice(0, 4).join(":")}::/64` : bare;
}

/** The eight 16-bit groups of an IPv6 address (an embedded IPv4 tail becomes two), or undefined. */
function expandIpv6(address: string): string[] | undefined {
  let text = address;
  const ipv4 = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (ipv4) {
    const [a, b, c, d] = ipv4.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, ipv4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(":") : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(":") : [];
  const missing = 8 - head.length - tail.length;
  if (missing < 0 || (halves.length === 1 && missing !== 0)) return undefined;
  const groups = [...head, ...Array.from({ length: missing }, () => "0"), ...tail];
  if (!groups.every((group) => /^[0-9a-f]{1,4}$/.test(group))) return undefined;
  return groups.map((group) => group.replace(/^0+(?=.)/, ""));
}

export interface FailureThrottleSettings {
  /** Failures allowed before any delay. */
  freeFailures: number;
  /** The first delay; each further failure doubles it, up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A quiet spell this long forgets the failures. */
  forgetAfterMs: number;
}

/** Site-wide, on top of the per-client limits: after 20 failed sign-ins, 1 s between attempts, doubling to 15 min. */
export const LOGIN_FAILURES: FailureThrottleSettings = {
  freeFailures: 20,
  baseDelayMs: 1_000,
  maxDelayMs: 15 * 60 * 1000,
  forgetAfterMs: 60 * 60 * 1000,
};

/**
 * Failures counted across all clients (an attacker with many addresses still meets it),
 * with a delay that grows with each failure past the free ones. A success resets it.
 */
export function createFailureThrottle({
  freeFailures,
  baseDelayMs,
  maxDelayMs,
  forgetAfterMs,
}: FailureThrottleSettings) {
  let failures = 0;
  let lastFailure = Number.NEGATIVE_INFINITY;
  const forget = (now: number) => {
    if (now - lastFailure >= forgetAfterMs) failures = 0;
  };
  return {
    check(now: number): RateDecision {
      forget(now);
      if (failures < freeFailures) return { allowed: true, retryAfter: 0 };
      const delay = Math.min(maxDelayMs, baseDelayMs * 2 ** (failures - freeFailures));
      const wait = lastFailure + delay - now;
      return { allowed: wait <= 0, retryAfter: Math.max(1, Math.ceil(wait / 1000)) };
    },
    fail(now: number): void {
      forget(now);
      failures += 1;
      lastFailure = now;
    },
    succeed(): void {
      failures = 0;
    },
  };
}
export type FailureThrottle = ReturnType<typeof createFailureThrottle>;
