import { describe, expect, test } from "vitest";
import type { Counts } from "../../src/domain/analytics";
import { type ConceptPageData, composeConceptPage, conceptPageWindows } from "../../src/domain/concept-page";
import { verdictWindow } from "../../src/domain/decision";
import { type AdminPeriod, adminPeriod, paceWindow, windowKey } from "../../src/domain/experiment-report";
import type { ExperimentEpoch } from "../../src/domain/experiments";
import { testConcept } from "../support/concepts";

const today = "2026-11-25";
const criteria = { minVisitors: 1500, minSignups: 100, minConversionPercent: 6 };
const pli = testConcept("pli", {
  successCriteria: criteria,
  variants: [{ id: "control" }, { id: "cheap" }, { id: "late" }],
});
const LATE = Date.parse("2026-11-10T00:00:00Z");
const epochs: ExperimentEpoch[] = [
  { startedAt: 0, weights: { control: 1, cheap: 1 } },
  { startedAt: LATE, weights: { control: 1, cheap: 1, late: 1 } },
];
const allTime = adminPeriod({}, today);
/** The verdicts' days: no recorded start (the first data) to the last whole day. */
const whole = windowKey(verdictWindow(undefined, {}, allTime.lastDay));

type Table = Record<string, Record<string, Counts>>;

/** The page's data as the store gathers it: every window the page reads (no row: no traffic). */
function pageData(
  concept: typeof pli,
  table: Table,
  { period = allTime, ...rest }: Partial<ConceptPageData> & { period?: AdminPeriod } = {},
): ConceptPageData {
  const counts = new Map(
    conceptPageWindows(concept, { epochs: rest.epochs ?? epochs, testStart: rest.testStart }, period).map((window) => [
      windowKey(window),
      new Map(Object.entries(table[windowKey(window)] ?? {})),
    ]),
  );
  const exposure = { visitors: 0, signups: 0, people: 0, returnVisits: 0, unexposed: 0, throwaway: 0 };
  return {
    epochs,
    testStart: undefined,
    decisions: [],
    counts,
    split: counts,
    exposure,
    direct: new Map(),
    daily: [],
    sources: [],
    latest: [],
    ladder: new Map(),
    answers: { choices: {}, answered: 0, texts: [] },
    interviews: { total: 0, latest: [] },
    ...rest,
  };
}

const traffic: Table = {
  [whole]: {
    control: { visitors: 9000, signups: 540 },
    cheap: { visitors: 9000, signups: 810 },
    late: { visitors: 2000, signups: 130 },
  },
  "2026-11-10..2026-11-24": {
    control: { visitors: 2000, signups: 100 },
    cheap: { visitors: 2000, signups: 180 },
    late: { visitors: 2000, signups: 130 },
  },
  [windowKey(paceWindow(today))]: { control: { visitors: 700, signups: 35 }, cheap: { visitors: 700, signups: 60 } },
};

describe("composeConceptPage", () => {
  const page = composeConceptPage(pli, pageData(pli, traffic), allTime);

  test("the idea's figures and verdict read the whole test, summed over the variants", () => {
    expect(page.wholeTest).toEqual({ visitors: 20_000, signups: 1480 });
    expect(page.verdict.status).toBe("validated");
    expect(page.reading).toMatch(/^> 99 % chance that the true conversion is above the 6\.0 % target \(weak prior/);
    expect(page.inRange).toBeUndefined();
  });

  test("with a date range the chosen days get their own sum, and the verdict stays on the whole test", () => {
    const period = adminPeriod({ from: "2026-11-18", to: "2026-11-24" }, today);
    const ranged = composeConceptPage(
      pli,
      pageData(
        pli,
        {
          ...traffic,
          "2026-11-18..2026-11-24": { control: { visitors: 30, signups: 1 }, cheap: { visitors: 20, signups: 3 } },
        },
        { period },
      ),
      period,
    );
    expect(ranged.inRange).toEqual({ visitors: 50, signups: 4 });
    expect(ranged.verdict).toEqual(page.verdict);
    expect(ranged.variants).toEqual(page.variants);
  });

  test("a variant added mid-test is a late start, compared with the control's traffic of its own period", () => {
    expect(page.lateStarts).toEqual([
      {
        id: "late",
        what: "joined the test",
        comparedFrom: "2026-11-10",
        baselineVisitors: 2000,
        baselineConversion: "5.0 %",
      },
    ]);
  });

  test("each variant row is printed: figures, interval, lift, p-value and P(best); the control has no comparison", () => {
    const [control, cheap, late] = page.variants;
    expect(control).toMatchObject({ id: "control", isControl: true, comparison: undefined });
    expect(control?.figures).toEqual({ visitors: 9000, signups: 540, rate: 0.06, conversion: "6.0 %" });
    expect(control?.interval).toMatch(/^5\.\d %–6\.\d %$/);
    expect(cheap?.comparison).toMatchObject({ lift: "+50 %", pValue: "< 0.001", status: "validated" });
    expect(cheap?.comparison?.interval).toMatch(/^\+\d+ % … \+\d+ %$/);
    expect(late?.comparison?.lift).toBe("+30 %");
    expect(page.reasons.map((reason) => reason.id)).toEqual(["cheap", "late"]);
    expect(page.reasons[0]?.reading).toMatch(/^> 99 % chance to beat the control/);
    expect(page.hasExperiment).toBe(true);
    expect(page.variantsTitle).toBe("Variants");
    expect(page.srm).toBeUndefined();
  });

  test("an uneven split is flagged with its figures", () => {
    const uneven = composeConceptPage(
      pli,
      pageData(pli, {
        ...traffic,
        "2026-11-10..2026-11-24": {
          control: { visitors: 2300, signups: 100 },
          cheap: { visitors: 2000, signups: 100 },
          late: { visitors: 1700, signups: 100 },
        },
      }),
      allTime,
    );
    expect(uneven.srm).toEqual({
      from: "2026-11-10",
      observed: "2300 / 2000 / 1700",
      weights: "1 / 1 / 1",
      pValue: "< 0.001",
    });
  });

  test("a concept with a single variant shows its traffic, with no comparison", () => {
    const solo = testConcept("solo", { successCriteria: criteria });
    const soloPage = composeConceptPage(solo, pageData(solo, {}, { epochs: [] }), allTime);
    expect(soloPage.hasExperiment).toBe(false);
    expect(soloPage.variantsTitle).toBe("Traffic");
    expect(soloPage.reasons).toEqual([]);
    expect(soloPage.lateStarts).toEqual([]);
  });

  test.each([
    [{ minConversionPercent: 6 }, /^[\d,]+ visitors per variant$/],
    [{ minConversionPercent: 90, minDetectableEffectPercent: 20 }, /^no lift of that size is possible/],
    [{ minConversionPercent: 1, minDetectableEffectPercent: 0.5 }, /^more than 100,000 signups/],
  ])("with criteria %o the plan reads %s", (change, plan) => {
    const concept = testConcept("plan", {
      successCriteria: { ...criteria, ...change },
      variants: [{ id: "control" }, { id: "b" }],
    });
    expect(composeConceptPage(concept, pageData(concept, {}, { epochs: [] }), allTime).plan).toMatch(plan);
  });

  test("traffic sources are grouped with their totals, the group with the biggest variant row first", () => {
    const sourced = composeConceptPage(
      pli,
      pageData(pli, traffic, {
        sources: [
          { variant: "control", source: "direct", visitors: 40, signups: 2 },
          { variant: "cheap", source: "direct", visitors: 10, signups: 1 },
          { variant: "control", source: "instagram", visitors: 25, signups: 5 },
          { variant: "cheap", source: "instagram", visitors: 45, signups: 9 },
        ],
      }),
      allTime,
    );
    expect(sourced.sources).toEqual([
      {
        source: "instagram",
        visitors: 70,
        signups: 14,
        rate: 0.2,
        conversion: "20.0 %",
        variants: [
          { variant: "cheap", visitors: 45, signups: 9, rate: 0.2, conversion: "20.0 %" },
          { variant: "control", visitors: 25, signups: 5, rate: 0.2, conversion: "20.0 %" },
        ],
      },
      {
        source: "direct",
        visitors: 50,
        signups: 3,
        rate: 0.06,
        conversion: "6.0 %",
        variants: [
          { variant: "control", visitors: 40, signups: 2, rate: 0.05, conversion: "5.0 %" },
          { variant: "cheap", visitors: 10, signups: 1, rate: 0.1, conversion: "10.0 %" },
        ],
      },
    ]);
  });

  test("the charts run from the first day with traffic to the end of the range, one colour per variant", () => {
    const charted = composeConceptPage(
      pli,
      pageData(pli, traffic, {
        daily: [
          { variant: "cheap", day: "2026-11-24", visitors: 10, signups: 3 },
          { variant: "control", day: "2026-11-23", visitors: 10, signups: 1 },
        ],
      }),
      allTime,
    );
    expect(charted.conversionChart.labels).toEqual(["11-23", "11-24", "11-25"]);
    expect(charted.conversionChart.datasets).toEqual([
      { label: "control", color: "#1f4e3d", data: [0.1, 0.1, 0.1] },
      { label: "cheap", color: "#d1495b", data: [null, 0.3, 0.3] },
      { label: "late", color: "#2e86ab", data: [null, null, null] },
    ]);
    expect(charted.signupsChart.datasets.map((set) => set.data)).toEqual([
      [1, 0, 0],
      [0, 3, 0],
      [0, 0, 0],
    ]);
    expect(page.conversionChart.labels).toEqual(["11-25"]);
  });

  test("the latest signups are printed to the minute, in UTC, a missing name as empty", () => {
    const withSignups = composeConceptPage(
      pli,
      pageData(pli, traffic, {
        latest: [
          {
            email: "a@x.fr",
            name: null,
            variant: "cheap",
            source: "direct",
            createdAt: new Date("2026-11-24T09:05:59Z"),
            throwaway: false,
          },
        ],
      }),
      allTime,
    );
    expect(withSignups.latest).toEqual([
      { email: "a@x.fr", name: "", variant: "cheap", source: "direct", when: "2026-11-24 09:05", throwaway: false },
    ]);
  });

  test("the model is plain data: no function anywhere in it (it survives structuredClone)", () => {
    expect(structuredClone(page)).toEqual(page);
  });
});
