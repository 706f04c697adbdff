import { describe, expect, test } from "vitest";
import { createFailureThrottle, createRateLimiter, rateLimitSubject } from "../../src/domain/rate-limit";

describe("rateLimitSubject", () => {
  test.each([
    ["203.0.113.7", "203.0.113.7"],
    ["::ffff:203.0.113.7", "203.0.113.7"],
    ["0:0:0:0:0:ffff:203.0.113.7", "203.0.113.7"],
    ["2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64"],
    ["2001:db8:1:2::1", "2001:db8:1:2::/64"],
    ["2001:0DB8:0001:0002:ffff::9%eth0", "2001:db8:1:2::/64"],
    ["2001:db8::1", "2001:db8:0:0::/64"],
    ["::1", "0:0:0:0::/64"],
  ])("%s is counted as %s", (address, subject) => {
    expect(rateLimitSubject(address)).toBe(subject);
  });

  test("every address of one /64 shares one bucket; the next /64 has its own", () => {
    const limiter = createRateLimiter({ limit: 2, windowMs: 60_000 });
    const take = (address: string) => limiter.take(rateLimitSubject(address), 0).allowed;
    expect([take("2001:db8:1:2::1"), take("2001:db8:1:2::2"), take("2001:db8:1:2:ffff::3")]).toEqual([
      true,
      true,
      false,
    ]);
    expect(take("2001:db8:1:3::1")).toBe(true);
  });
});

describe("createRateLimiter", () => {
  test("holds at most maxKeys clients, dropping the oldest window first", () => {
    const limiter = createRateLimiter({ limit: 1, windowMs: 60_000 }, 3);
    for (const [i, key] of ["a", "b", "c", "d"].entries()) limiter.take(key, i);
    expect(limiter.size()).toBe(3);
    // "a" was dropped, so it starts afresh; "d" is still limited.
    expect(limiter.take("a", 10).allowed).toBe(true);
    expect(limiter.take("d", 10).allowed).toBe(false);
  });

  test("60,000 made-up addresses leave the map at its cap", () => {
    const limiter = createRateLimiter({ limit: 10, windowMs: 900_000 }, 50_000);
    for (let i = 0; i < 60_000; i++) limiter.take(`key-${i}`, i);
    expect(limiter.size()).toBe(50_000);
  });
});

describe("createFailureThrottle", () => {
  const settings = { freeFailures: 3, baseDelayMs: 1_000, maxDelayMs: 8_000, forgetAfterMs: 60_000 };

  test("lets the free failures through, then asks for a delay that doubles with each failure, up to the cap", () => {
    const throttle = createFailureThrottle(settings);
    const delays: number[] = [];
    let now = 0;
    for (let i = 0; i < 8; i++) {
      const decision = throttle.check(now);
      delays.push(decision.allowed ? 0 : decision.retryAfter);
      now += decision.allowed ? 0 : decision.retryAfter * 1000;
      throttle.fail(now);
    }
    expect(delays).toEqual([0, 0, 0, 1, 2, 4, 8, 8]);
  });

  test("refuses an attempt inside the delay, whoever makes it", () => {
    const throttle = createFailureThrottle(settings);
    for (let i = 0; i < 4; i++) throttle.fail(0);
    expect(throttle.check(1_999)).toEqual({ allowed: false, retryAfter: 1 });
    expect(throttle.check(2_000).allowed).toBe(true);
  });

  test("a success, or an hour of quiet, forgets the failures", () => {
    const throttle = createFailureThrottle(settings);
    for (let i = 0; i < 5; i++) throttle.fail(0);
    expect(throttle.check(60_000).allowed).toBe(true);
    for (let i = 0; i < 5; i++) throttle.fail(70_000);
    throttle.succeed();
    expect(throttle.check(70_001).allowed).toBe(true);
  });
});
