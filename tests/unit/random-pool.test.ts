import { describe, expect, test } from "vitest";
import { createRandomPool } from "../../src/server/random-pool";

describe("random pool", () => {
  test("hands out each byte once, across refills, as copies a refill leaves alone", () => {
    const random = createRandomPool(64);
    const first = random(12);
    const kept = Buffer.from(first);
    // 40 draws of 12 bytes from a 64-byte pool: 8 refills, no draw split across two.
    const draws = Array.from({ length: 40 }, () => random(12).toString("hex"));
    expect(new Set(draws).size).toBe(40);
    expect(first.equals(kept)).toBe(true);
    expect(draws.every((hex) => hex.length === 24)).toBe(true);
  });

  test("refuses a draw larger than its pool", () => {
    expect(() => createRandomPool(16)(17)).toThrow(/at most 16 random bytes/);
  });
});
