import { describe, expect, test } from "vitest";
import {
  conversionRate,
  criteriaProgress,
  fillDaily,
  parseDateRange,
  rated,
  sumCounts,
} from "../../src/domain/analytics";
import { dayRange } from "../../src/domain/calendar";

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

describe("sums and rates", () => {
  test.each([
    [[], { visitors: 0, signups: 0 }],
    [[{ visitors: 10, signups: 1 }], { visitors: 10, signups: 1 }],
    [
      [
        { visitors: 10, signups: 1 },
        { visitors: 30, signups: 5 },
      ],
      { visitors: 40, signups: 6 },
    ],
  ])("sumCounts(%o) is %o", (counts, sum) => {
    expect(sumCounts(counts)).toEqual(sum);
  });

  test("rated counts carry their conversion as a number and as printed", () => {
    expect(rated({ visitors: 40, signups: 6 })).toEqual({ visitors: 40, signups: 6, rate: 0.15, conversion: "15.0 %" });
    expect(rated({ visitors: 0, signups: 0 }).conversion).toBe("0.0 %");
  });
});

describe("criteriaProgress", () => {
  test("reports each criterion's progress, capped at 1, and whether it is met", () => {
    expect(criteriaProgress(criteria, { visitors: 250, signups: 50 })).toEqual([
      { key: "visitors", label: "Visitors", current: 250, target: 500, progress: 0.5, met: false },
      { key: "signups", label: "Signups", current: 50, target: 40, progress: 1, met: true },
      { key: "conversion", label: "Conversion", current: 0.2, target: 0.06, progress: 1, met: true },
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

describe("parseDateRange", () => {
  test.each([
    ["from=2026-11-01&to=2026-11-20", { range: { from: "2026-11-01", to: "2026-11-20" } }],
    ["", { range: {} }],
    ["to=2026-11-20", { range: { to: "2026-11-20" } }],
    ["from=yesterday", { range: {}, error: "from: use a date such as 2026-11-01" }],
    ["from=2026-11-20&to=2026-11-01", { range: {}, error: "to: the start must not be after the end" }],
    [
      "to=9999-12-31",
      { range: { to: "2026-11-25" }, notice: "the end was after today: shown up to today (2026-11-25)" },
    ],
    [
      "from=2027-01-01&to=2027-02-01",
      {
        range: { from: "2026-11-25", to: "2026-11-25" },
        notice:
          "the start was after today: it is now today (2026-11-25); the end was after today: shown up to today (2026-11-25)",
      },
    ],
    [
      "from=0001-01-01&to=2026-11-20",
      {
        range: { from: "2023-11-17", to: "2026-11-20" },
        notice: "at most 1100 days are shown at once: from 2023-11-17",
      },
    ],
  ])("%s", (query, expected) => {
    expect(parseDateRange(new URLSearchParams(query), "2026-11-25")).toEqual(expected);
  });
});
