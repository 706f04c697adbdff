import { describe, expect, test } from "vitest";
import { dayRange } from "../../src/domain/calendar";
import { adminPeriod } from "../../src/domain/experiment-report";
import {
  type ConceptActivity,
  composeOverview,
  type FailedEmail,
  type OverviewData,
  SERIES_DAYS,
} from "../../src/domain/overview";
import { conceptVerdict } from "../../src/domain/verdict";
import { testConcept } from "../support/concepts";

const today = "2026-11-25";
const criteria = { minVisitors: 500, minSignups: 40, minConversionPercent: 6, minDetectableEffectPercent: 20 };
const concept = (slug: string, status = "live") => testConcept(slug, { status, successCriteria: criteria });

const activity = (counts: Partial<ConceptActivity> = {}): ConceptActivity => ({
  total: { visitors: 0, signups: 0 },
  throwaway: 0,
  lastWeek: { visitors: 0, signups: 0 },
  wholeTest: counts.total ?? { visitors: 0, signups: 0 },
  recentWeek: { visitors: 0, signups: 0 },
  dailySignups: [],
  sources: [],
  ...counts,
});

const data = (byConcept: Record<string, ConceptActivity>, more: Partial<OverviewData> = {}): OverviewData => ({
  activity: new Map(Object.entries(byConcept)),
  decisions: new Map(),
  confirmations: new Map(),
  failedEmails: [],
  signupsByVisit: { first: 0, later: 0 },
  webhookDeliveries: [],
  tryEntries: new Map(),
  ladders: new Map(),
  ...more,
});

const allTime = adminPeriod({}, today);

describe("composeOverview", () => {
  test("a concept without any activity still gets a row of zeros and 'keep testing'", () => {
    const overview = composeOverview([concept("pli")], data({}), allTime);
    const [row] = overview.concepts;
    expect(row).toMatchObject({
      slug: "pli",
      total: { visitors: 0, signups: 0, rate: 0, conversion: "0.0 %" },
      joined: 0,
      confirmed: 0,
    });
    expect(row?.verdict.status).toBe("keep testing");
    // No reading beside it before 1/target visitors: the prior alone is not a chance to show.
    expect(row?.reading.withheld).toMatch(/^no reading before 17 visitors/);
    expect(row?.aboveTarget).toBe("—");
  });

  test("the totals add up every concept in the chosen days, with their conversion", () => {
    const overview = composeOverview(
      [concept("a"), concept("b"), concept("c", "paused")],
      data({
        a: activity({ total: { visitors: 1000, signups: 50 } }),
        b: activity({ total: { visitors: 3000, signups: 90 } }),
        c: activity({ total: { visitors: 1000, signups: 10 } }),
      }),
      allTime,
    );
    expect(overview.totals).toEqual({ visitors: 5000, signups: 150, rate: 0.03, conversion: "3.0 %" });
  });

  test("throwaway addresses are told apart, per concept, and never in the totals", () => {
    const overview = composeOverview(
      [concept("a"), concept("b"), concept("c")],
      data({
        a: activity({ total: { visitors: 1000, signups: 50 }, throwaway: 3 }),
        b: activity({ total: { visitors: 1000, signups: 50 } }),
        c: activity({ total: { visitors: 1000, signups: 50 }, throwaway: 1 }),
      }),
      allTime,
    );
    expect(overview.totals.signups).toBe(150);
    expect(overview.concepts.map((row) => row.throwaway)).toEqual([3, 0, 1]);
    expect(overview.throwaway).toBe(
      `4 signups with a throwaway address (${concept("a").title}: 3, ${concept("c").title}: 1)`,
    );
    expect(composeOverview([concept("a")], data({ a: activity() }), allTime).throwaway).toBeUndefined();
  });

  test("P(best) is shared among live concepts only; the others show their status", () => {
    const overview = composeOverview(
      [concept("a"), concept("b"), concept("c", "paused")],
      data(
        Object.fromEntries(
          ["a", "b", "c"].map((slug, i) => [slug, activity({ total: { visitors: 1000, signups: 50 + 30 * i } })]),
        ),
      ),
      allTime,
    );
    const [a, b, c] = overview.concepts;
    expect(c?.probabilityBest).toBe(0);
    expect(c?.bestText).toBe("paused");
    expect((a?.probabilityBest ?? 0) + (b?.probabilityBest ?? 0)).toBeCloseTo(1, 9);
    expect(b?.bestText).toBe("> 99 %");
    expect(overview.conversionChart.labels).toEqual(["a", "b"]);
  });

  test("the verdict reads the whole test, whatever the chosen range shows", () => {
    // The chosen range holds a lucky stretch at 11 %; the whole test is at 5 %, under the 6 % target.
    const luckyStretch = { visitors: 900, signups: 99 };
    const wholeTest = { visitors: 3000, signups: 150 };
    const period = adminPeriod({ from: "2026-11-01", to: "2026-11-20" }, today);
    const overview = composeOverview(
      [concept("a")],
      data({
        a: activity({
          total: luckyStretch,
          lastWeek: luckyStretch,
          wholeTest,
          recentWeek: { visitors: 140, signups: 7 },
        }),
      }),
      period,
    );
    const [row] = overview.concepts;
    expect(conceptVerdict({ criteria, counts: luckyStretch, visitorsPerDay: 20, today }).status).toBe("validated");
    expect(row?.total).toMatchObject(luckyStretch);
    expect(row?.verdict).toEqual(conceptVerdict({ criteria, counts: wholeTest, visitorsPerDay: 20, today }));
    expect(row?.verdict.status).not.toBe("validated");
    expect(row?.criteria.find((c) => c.key === "visitors")?.current).toBe("3,000");
    expect(overview.periodLabel).toBe("Period");
  });

  test("criteria are labelled and printed: counts with separators, conversion as a percentage", () => {
    const overview = composeOverview(
      [concept("a")],
      data({ a: activity({ total: { visitors: 1250, signups: 30 } }) }),
      allTime,
    );
    expect(overview.periodLabel).toBe("All time");
    expect(overview.concepts[0]?.criteria).toEqual([
      { key: "visitors", label: "Visitors", current: "1,250", target: "500", met: true, percent: 100 },
      { key: "signups", label: "Signups", current: "30", target: "40", met: false, percent: 75 },
      { key: "conversion", label: "Conversion", current: "2.4 %", target: "6.0 %", met: false, percent: 40 },
    ]);
  });

  test("sources are ranked by visitors, then signups, at most five, each with its conversion", () => {
    const sources = ["a", "b", "c", "d", "e", "f"].map((source, i) => ({
      source,
      visitors: i < 2 ? 100 : 10 * i,
      signups: i,
    }));
    const overview = composeOverview([concept("a")], data({ a: activity({ sources }) }), allTime);
    const row = overview.concepts[0];
    expect(row?.sources.map((s) => s.source)).toEqual(["b", "a", "f", "e", "d"]);
    expect(row?.sources[0]).toEqual({ source: "b", visitors: 100, signups: 1, rate: 0.01, conversion: "1.0 %" });
  });

  test("double opt-in progress is read per concept", () => {
    const overview = composeOverview(
      [concept("a"), concept("b")],
      data({}, { confirmations: new Map([["a", { joined: 12, confirmed: 9 }]]) }),
      allTime,
    );
    expect(overview.concepts.map((row) => [row.confirmed, row.joined])).toEqual([
      [9, 12],
      [0, 0],
    ]);
  });

  const failed = (n: number): FailedEmail[] =>
    Array.from({ length: n }, (_, i) => ({
      kind: "confirmation",
      recipients: [`a${i}@x.fr`, "b@x.fr"],
      error: "bounced",
    }));
  test.each([
    [0, undefined],
    [1, "An email could not be sent"],
    [3, "3 emails could not be sent"],
  ])("with %i failed emails the warning reads %s", (n, heading) => {
    expect(composeOverview([], data({}, { failedEmails: failed(n) }), allTime).failedEmails?.heading).toBe(heading);
  });

  test("a failed email's recipients come as one printed list", () => {
    const overview = composeOverview([], data({}, { failedEmails: failed(1) }), allTime);
    expect(overview.failedEmails?.emails).toEqual([{ kind: "confirmation", to: "a0@x.fr, b@x.fr", error: "bounced" }]);
  });

  test("the daily chart shows the last days of the range with zeros where nothing happened, drafts left out", () => {
    const period = adminPeriod({ from: "2026-11-20" }, today);
    const overview = composeOverview(
      [concept("a"), concept("draft", "draft")],
      data({ a: activity({ dailySignups: [{ day: "2026-11-22", count: 4 }] }) }),
      period,
    );
    expect(overview.signupsChart.caption).toBe("Signups per day, last 6 days");
    expect(overview.signupsChart.spec.labels).toEqual(dayRange(today, 6).map((day) => day.slice(5)));
    expect(overview.signupsChart.spec.datasets).toEqual([{ label: "a", color: "#1f4e3d", data: [0, 0, 4, 0, 0, 0] }]);
    expect(overview.concepts.map((row) => row.slug)).toEqual(["a"]);
    expect(composeOverview([], data({}), allTime).signupsChart.caption).toBe(
      `Signups per day, last ${SERIES_DAYS} days`,
    );
  });

  test("the model is plain data: no function anywhere in it (it survives structuredClone)", () => {
    const overview = composeOverview(
      [concept("a"), concept("b", "paused")],
      data({
        a: activity({ total: { visitors: 100, signups: 5 }, sources: [{ source: "x", visitors: 3, signups: 1 }] }),
      }),
      allTime,
    );
    expect(structuredClone(overview)).toEqual(overview);
  });
});
