/**
 * composeReport on plain data: each concept's report says what its admin page says (the
 * same view models), drafts are left out, the chosen days change the descriptive counts
 * only, and no address or function reaches it.
 */
import { describe, expect, test } from "vitest";
import type { Counts } from "../../src/domain/analytics";
import { type ConceptPageData, composeConceptPage, conceptPageWindows } from "../../src/domain/concept-page";
import { verdictWindow } from "../../src/domain/decision";
import { type AdminPeriod, adminPeriod, paceWindow, windowKey } from "../../src/domain/experiment-report";
import type { ExperimentEpoch } from "../../src/domain/experiments";
import type { ConceptActivity } from "../../src/domain/overview";
import { composeReport, formatReport, type ReportData } from "../../src/domain/report";
import { testConcept } from "../support/concepts";

const today = "2026-11-25";
const criteria = { minVisitors: 1500, minSignups: 100, minConversionPercent: 6, decideBy: "2026-12-31" };
const pli = testConcept("pli", { successCriteria: criteria, variants: [{ id: "control" }, { id: "cheap" }] });
const draft = testConcept("brouillon", { status: "draft", successCriteria: criteria });
const epochs: ExperimentEpoch[] = [{ startedAt: 0, weights: { control: 1, cheap: 1 } }];
const allTime = adminPeriod({}, today);

const zero = { visitors: 0, signups: 0 };
function reportData(period: AdminPeriod, inRange: Counts): ReportData {
  const whole = { control: { visitors: 900, signups: 45 }, cheap: { visitors: 900, signups: 81 } };
  const pace = { control: { visitors: 350, signups: 17 }, cheap: { visitors: 350, signups: 30 } };
  const table: Record<string, Record<string, Counts>> = {
    [windowKey(verdictWindow(undefined, criteria, period.lastDay))]: whole,
    [windowKey(paceWindow(today))]: pace,
    [windowKey(period.window)]: period.filtered ? { control: inRange } : whole,
  };
  const counts = new Map(
    conceptPageWindows(pli, { epochs, testStart: undefined }, period).map((window) => [
      windowKey(window),
      new Map(Object.entries(table[windowKey(window)] ?? {})),
    ]),
  );
  const page: ConceptPageData = {
    epochs,
    testStart: undefined,
    decisions: [],
    exposure: { visitors: 1800, signups: 126, people: 0, returnVisits: 0, unexposed: 0, throwaway: 0 },
    direct: new Map(),
    counts,
    split: counts,
    daily: [],
    sources: [],
    latest: [
      {
        email: "ann@example.org",
        name: "Ann",
        variant: "cheap",
        source: "direct",
        createdAt: new Date(0),
        throwaway: false,
      },
    ],
    ladder: new Map(),
    answers: { choices: {}, answered: 0, texts: [] },
    interviews: { total: 0, latest: [] },
  };
  const activity: ConceptActivity = {
    total: inRange,
    throwaway: 0,
    lastWeek: zero,
    wholeTest: { visitors: 1800, signups: 126 },
    recentWeek: { visitors: 700, signups: 47 },
    dailySignups: [],
    sources: [],
  };
  return {
    overview: {
      activity: new Map([["pli", activity]]),
      confirmations: new Map([["pli", { joined: 126, confirmed: 100 }]]),
      failedEmails: [],
      decisions: new Map(),
      signupsByVisit: { first: 0, later: 0 },
      webhookDeliveries: [],
      tryEntries: new Map(),
      ladders: new Map(),
    },
    pages: new Map([["pli", page]]),
  };
}

describe("composeReport", () => {
  const data = reportData(allTime, { visitors: 1800, signups: 126 });
  const report = composeReport([pli, draft], data, allTime);
  const page = composeConceptPage(pli, data.pages.get("pli") as ConceptPageData, allTime);

  test("one entry per published concept, with the page's verdict, variants and plan", () => {
    expect(report.concepts.map((concept) => concept.slug)).toEqual(["pli"]);
    const [entry] = report.concepts;
    expect(entry).toMatchObject({
      slug: "pli",
      status: "live",
      verdict: { status: page.verdict.status, reason: page.verdict.reason },
      // The verdict reads the test up to its last whole day: yesterday.
      window: { from: "2000-01-01", to: "2026-11-24" },
      visitors: 1800,
      signups: 126,
      joined: 126,
      confirmed: 100,
      wholeTest: { visitors: 1800, signups: 126 },
    });
    // No decision log yet: the day a verdict was reached is absent, not made up.
    expect(entry?.verdict).not.toHaveProperty("reachedOn");
    expect(entry?.variants).toEqual([
      {
        id: "control",
        isControl: true,
        weight: 1,
        visitors: 900,
        signups: 45,
        comparedFrom: "2000-01-01",
        probabilityBest: page.variants[0]?.probabilityBest,
      },
      {
        id: "cheap",
        isControl: false,
        weight: 1,
        outcome: page.variants[1]?.comparison?.outcome,
        status: page.variants[1]?.comparison?.status,
        visitors: 900,
        signups: 81,
        comparedFrom: "2000-01-01",
        probabilityBest: page.variants[1]?.probabilityBest,
      },
    ]);
    expect(entry?.variants[1]?.probabilityBest).toBeGreaterThan(0.9);
    const plan = page.feasibility.figures;
    expect(entry?.plan).toMatchObject({
      visitorsPerDay: 100,
      traffic: "observed",
      deadline: "2026-12-31",
      daysLeft: 36,
      daysNeeded: plan.daysNeeded ?? null,
      inTime: plan.inTime,
      summary: page.feasibility.summary,
    });
    expect(entry?.plan.variants?.smallestDetectableLift).toBe(plan.variants?.smallestLift);
  });

  test("the chosen days change the counts, never the verdict, the variants or the plan", () => {
    const period = adminPeriod({ from: "2026-11-20", to: "2026-11-24" }, today);
    const ranged = composeReport([pli, draft], reportData(period, { visitors: 40, signups: 3 }), period);
    const [entry] = ranged.concepts;
    const [whole] = report.concepts;
    expect(ranged.range).toEqual({ from: "2026-11-20", to: "2026-11-24", filtered: true });
    expect(entry).toMatchObject({ visitors: 40, signups: 3 });
    expect(entry?.verdict).toEqual(whole?.verdict);
    expect(entry?.variants).toEqual(whole?.variants);
    expect(entry?.plan).toEqual(whole?.plan);
  });

  test("it is plain JSON with no address in it, and the text form names each concept and its verdict", () => {
    const json = JSON.stringify(report);
    expect(JSON.parse(json)).toEqual(report);
    expect(json).not.toContain("ann@example.org");
    const text = formatReport(report);
    expect(text).toContain(`pli — pli (live)`);
    expect(text).toMatch(new RegExp(`verdict +${page.verdict.status}`));
    expect(text).toMatch(/cheap +\w+, 900 visitors, 81 signups, P\(best\) \d+ %/);
    expect(text).toContain(page.feasibility.summary);
  });
});
