import { describe, expect, test } from "vitest";
import { assignmentBucket, assignVariant, comparisonStart, sameEntries } from "../../src/domain/experiments";
import { srmPValue } from "../../src/domain/stats";

describe("assignVariant", () => {
  test.each([
    [[1, 1], "even"],
    [[3, 1], "3:1"],
    [[1, 2, 7], "1:2:7"],
  ])("over 100,000 simulated visitors the split follows weights %o (%s)", (weights) => {
    const variants = weights.map((weight, i) => ({ id: `v${i}`, weight }));
    const counts = new Map(variants.map((v) => [v.id, 0]));
    for (let i = 0; i < 100_000; i++) {
      // Fixed ids (the bucket is a hash of the id): the same 100,000 visitors on every run.
      const chosen = assignVariant(variants, assignmentBucket(`visitor-${i}`));
      counts.set(chosen.id, (counts.get(chosen.id) ?? 0) + 1);
    }
    const observed = variants.map((v) => counts.get(v.id) ?? 0);
    const total = weights.reduce((a, b) => a + b, 0);
    observed.forEach((n, i) => {
      expect(Math.abs(n / 100_000 - (weights[i] ?? 0) / total)).toBeLessThan(0.01);
    });
    // And no sample-ratio mismatch that the admin page would flag.
    expect(srmPValue(observed, weights)).toBeGreaterThan(0.001);
  });

  test("the same visitor id always lands on the same variant", () => {
    const variants = [
      { id: "a", weight: 1 },
      { id: "b", weight: 1 },
    ];
    const id = "visitor-hash-of-today";
    const first = assignVariant(variants, assignmentBucket(id));
    for (let i = 0; i < 20; i++) expect(assignVariant(variants, assignmentBucket(id))).toBe(first);
  });

  test("buckets cover the edges", () => {
    const variants = [
      { id: "a", weight: 1 },
      { id: "b", weight: 3 },
    ];
    expect(assignVariant(variants, 0).id).toBe("a");
    expect(assignVariant(variants, 0.2499).id).toBe("a");
    expect(assignVariant(variants, 0.25).id).toBe("b");
    expect(assignVariant(variants, 0.9999999).id).toBe("b");
  });
});

describe("comparisonStart", () => {
  const epoch = (startedAt: number, weights: Record<string, number>) => ({ startedAt, weights });

  test.each([
    ["one split from the start", [epoch(0, { control: 1, b: 1 })], "b", 0],
    ["variant added later", [epoch(0, { control: 1 }), epoch(100, { control: 1, b: 1 })], "b", 100],
    [
      "another variant added: the b:control ratio is unchanged",
      [epoch(0, { control: 1, b: 1 }), epoch(100, { control: 1, b: 1, c: 1 })],
      "b",
      0,
    ],
    [
      "b re-weighted",
      [epoch(0, { control: 1, b: 1 }), epoch(100, { control: 1, b: 3 }), epoch(200, { control: 1, b: 3, c: 1 })],
      "b",
      100,
    ],
    ["both scaled alike keep the ratio", [epoch(0, { control: 1, b: 1 }), epoch(100, { control: 2, b: 2 })], "b", 0],
    ["no history", [], "b", 0],
  ])("%s → %i", (_name, epochs, variant, since) => {
    expect(comparisonStart(epochs, variant, "control").since).toBe(since);
  });
});

test("sameEntries compares ids and values, not order", () => {
  expect(sameEntries({ a: 1, b: 2 }, { b: 2, a: 1 })).toBe(true);
  expect(sameEntries({ a: 1 }, { a: 1, b: 1 })).toBe(false);
  expect(sameEntries({ a: 1, b: 2 }, { a: 1, b: 3 })).toBe(false);
});
