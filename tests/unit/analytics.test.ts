import { describe, expect, test } from "vitest";
import { conversionRate, criteriaProgress, dayRange, fillDaily, parseDateRange } from "../../src/domain/analytics";
import { composeDashboard } from "../../src/domain/dashboard";
import { conceptVerdict } from "../../src/domain/verdict";
import { testConcept } from "../support/concepts";

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
  const concept = (slug: string, status = "live") => testConcept(slug, { status, successCriteria: criteria });

  test("a concept without any activity still gets a row of zeros and 'keep testing'", () => {
    const [row] = composeDashboard([concept("pli")], new Map(), {
      days: dayRange("2026-11-25", 3),
      today: "2026-11-25",
    });
    expect(row).toMatchObject({ slug: "pli", total: { visitors: 0, signups: 0, rate: 0 }, dailySignups: [0, 0, 0] });
    expect(row?.verdict.status).toBe("keep testing");
    // No reading beside it before 1/target visitors: the prior alone is not a chance to show.
    expect(row?.reading.withheld).toMatch(/^no reading before 17 visitors/);
  });

  test("P(best) is shared among live concepts only", () => {
    const activity = new Map(
      ["a", "b", "c"].map((slug, i) => [
        slug,
        {
          total: { visitors: 1000, signups: 50 + 30 * i },
          lastWeek: { visitors: 100, signups: 5 },
          wholeTest: { visitors: 1000, signups: 50 + 30 * i },
          recentWeek: { visitors: 100, signups: 5 },
          dailySignups: [],
          dailyVisitors: [],
          sources: [],
        },
      ]),
    );
    const rows = composeDashboard([concept("a"), concept("b"), concept("c", "paused")], activity, {
      days: [],
      today: "2026-11-25",
    });
    expect(rows.map((row) => row.probabilityBest)).toEqual([expect.any(Number), expect.any(Number), 0]);
    expect((rows[0]?.probabilityBest ?? 0) + (rows[1]?.probabilityBest ?? 0)).toBeCloseTo(1, 9);
    expect(rows[1]?.probabilityBest).toBeGreaterThan(0.9);
  });

  test("the verdict reads the whole test, whatever the chosen range shows", () => {
    // The chosen range holds a lucky stretch at 11 %; the whole test is at 5 %, under the 6 % target.
    const luckyStretch = { visitors: 900, signups: 99 };
    const wholeTest = { visitors: 3000, signups: 150 };
    const recentWeek = { visitors: 140, signups: 7 };
    const activity = new Map([
      [
        "a",
        {
          total: luckyStretch,
          lastWeek: luckyStretch,
          wholeTest,
          recentWeek,
          dailySignups: [],
          dailyVisitors: [],
          sources: [],
        },
      ],
    ]);
    const [row] = composeDashboard([concept("a")], activity, { days: [], today: "2026-11-25" });
    const today = "2026-11-25";
    const onRange = conceptVerdict({ criteria, counts: luckyStretch, visitorsPerDay: 20, today });
    expect(onRange.status).toBe("validated");
    expect(row?.total).toMatchObject(luckyStretch);
    expect(row?.verdict).toEqual(conceptVerdict({ criteria, counts: wholeTest, visitorsPerDay: 20, today }));
    expect(row?.verdict.status).not.toBe("validated");
    expect(row?.criteria.find((c) => c.key === "visitors")?.current).toBe(3000);
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
