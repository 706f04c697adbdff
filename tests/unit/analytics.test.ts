import { describe, expect, test } from "vitest";
import { composeDashboard, conversionRate, criteriaProgress, dayRange, fillDaily } from "../../src/domain/analytics";

const criteria = { minVisitors: 500, minSignups: 40, minConversionPercent: 6, minDetectableEffectPercent: 20 };

describe("conversionRate", () => {
  test.each([
    [{ visitors: 0, signups: 0 }, 0],
    [{ visitors: 200, signups: 10 }, 0.05],
    [{ visitors: 3, signups: 3 }, 1],
  ])("%o → %s", (counts, rate) => {
    expect(conversionRate(counts)).toBe(rate);
  });
});

describe("criteriaProgress", () => {
  test("reports each criterion's progress, capped at 1, and whether it is met", () => {
    expect(criteriaProgress(criteria, { visitors: 250, signups: 50 })).toEqual([
      { key: "visitors", current: 250, target: 500, progress: 0.5, met: false },
      { key: "signups", current: 50, target: 40, progress: 1, met: true },
      { key: "conversion", current: 0.2, target: 0.06, progress: 1, met: true },
    ]);
  });

  test("nothing is met before the first visitor", () => {
    expect(criteriaProgress(criteria, { visitors: 0, signups: 0 }).map((c) => c.met)).toEqual([false, false, false]);
  });
});

describe("days", () => {
  test("dayRange gives consecutive UTC days, across a month end", () => {
    expect(dayRange("2026-03-02", 4)).toEqual(["2026-02-27", "2026-02-28", "2026-03-01", "2026-03-02"]);
  });

  test("fillDaily puts zeros on days without rows", () => {
    expect(fillDaily([{ day: "2026-03-01", count: 4 }], ["2026-02-28", "2026-03-01", "2026-03-02"])).toEqual([0, 4, 0]);
  });
});

describe("composeDashboard", () => {
  test("a concept without any activity still gets a row of zeros", () => {
    const [row] = composeDashboard(
      [{ slug: "pli", title: "Pli", status: "live", successCriteria: criteria }],
      new Map(),
      dayRange("2026-11-25", 3),
    );
    expect(row).toMatchObject({ slug: "pli", total: { visitors: 0, signups: 0, rate: 0 }, dailySignups: [0, 0, 0] });
  });
});
