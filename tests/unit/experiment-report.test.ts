import { describe, expect, test } from "vitest";
import type { Counts } from "../../src/domain/analytics";
import { firstWholeDay } from "../../src/domain/calendar";
import {
  composeExperimentReport,
  type ExperimentData,
  experimentWindows,
  paceWindow,
  rangeWindow,
  reportWindows,
  variantSeries,
  windowKey,
} from "../../src/domain/experiment-report";
import type { ExperimentEpoch } from "../../src/domain/experiments";
import { testConcept } from "../support/concepts";

const concept = testConcept("pli", {
  successCriteria: { minVisitors: 1500, minSignups: 100, minConversionPercent: 6 },
  variants: [{ id: "control" }, { id: "cheap" }, { id: "late" }],
});

const LATE = Date.parse("2026-11-10T00:00:00Z");
const epochs: ExperimentEpoch[] = [
  { startedAt: 0, weights: { control: 1, cheap: 1 } },
  { startedAt: LATE, weights: { control: 1, cheap: 1, late: 1 } },
];
const today = "2026-11-25";

const range = rangeWindow({}, today);

/** Counts of every window the report reads, as the store gathers them (no row: no traffic). */
/** Data whose every visit came through the split (no direct traffic). */
const splitOnly = (data: Omit<ExperimentData, "split">): ExperimentData => ({ ...data, split: data.counts });

function countsTable(table: Record<string, Record<string, Counts>>) {
  return new Map(
    reportWindows(concept, epochs, range, today).map((window) => [
      windowKey(window),
      new Map(Object.entries(table[windowKey(window)] ?? {})),
    ]),
  );
}

/** 300 visitors a day over the last 7 days. */
const pace = {
  [windowKey(paceWindow(today))]: { control: { visitors: 1050, signups: 60 }, cheap: { visitors: 1050, signups: 90 } },
};

describe("experimentWindows", () => {
  test("a variant added mid-test is compared from its start; the others over the whole range", () => {
    const windows = experimentWindows(concept, epochs, rangeWindow({}, today));
    expect(windows.perVariant.get("control")?.from).toBe("2000-01-01");
    expect(windows.perVariant.get("cheap")?.from).toBe("2000-01-01");
    expect(windows.perVariant.get("late")?.from).toBe("2026-11-10");
    expect(windows.currentSplit.from).toBe("2026-11-10");
  });

  test("a date range narrows every window", () => {
    const windows = experimentWindows(concept, epochs, rangeWindow({ from: "2026-11-15", to: "2026-11-20" }, today));
    expect(windows.perVariant.get("late")).toEqual({ from: "2026-11-15", to: "2026-11-20" });
  });
});

describe("composeExperimentReport", () => {
  const windows = experimentWindows(concept, epochs, range);
  const all = windowKey(range);
  const sinceLate = windowKey(windows.currentSplit);

  test("compares the late variant only with control traffic of its own period, corrected for two variants", () => {
    const report = composeExperimentReport({
      concept,
      testWindow: range,
      today,
      data: splitOnly({
        epochs,
        counts: countsTable({
          ...pace,
          [all]: {
            control: { visitors: 9000, signups: 540 },
            cheap: { visitors: 9000, signups: 810 },
            late: { visitors: 2000, signups: 130 },
          },
          [sinceLate]: {
            control: { visitors: 2000, signups: 100 },
            cheap: { visitors: 2000, signups: 180 },
            late: { visitors: 2000, signups: 130 },
          },
        }),
      }),
    });
    const [control, cheap, late] = report.variants;
    expect(control?.counts).toEqual({ visitors: 9000, signups: 540 });
    expect(control?.comparison).toBeUndefined();
    expect(cheap?.comparison?.status).toBe("validated");
    // late: 6.5 % vs the control's 5.0 % in the same period (not 6.0 % overall): lift +30 %.
    expect(late?.baseline).toEqual({ visitors: 2000, signups: 100, rate: 0.05 });
    expect(late?.comparison?.lift).toBeCloseTo(0.3, 9);
    expect(late?.comparedFrom).toBe("2026-11-10");
    // Two variants against the control: each verdict's interval is at 1 − 5 %/2.
    expect(cheap?.comparison?.confidence).toBeCloseTo(0.975, 12);
    expect(late?.comparison?.confidence).toBeCloseTo(0.975, 12);
    expect(cheap?.reading?.probabilityBeats).toBeGreaterThan(0.99);
    expect(control?.reading).toBeUndefined();
    expect(report.variants.reduce((sum, row) => sum + row.probabilityBest, 0)).toBeCloseTo(1, 9);
    expect(report.srm.mismatch).toBe(false);
  });

  test("flags a sample-ratio mismatch in the current split", () => {
    const report = composeExperimentReport({
      concept,
      testWindow: range,
      today,
      data: splitOnly({
        epochs,
        counts: countsTable({
          ...pace,
          [sinceLate]: {
            control: { visitors: 2300, signups: 100 },
            cheap: { visitors: 2000, signups: 100 },
            late: { visitors: 1700, signups: 100 },
          },
        }),
      }),
    });
    expect(report.srm.mismatch).toBe(true);
    expect(report.srm.pValue).toBeLessThan(0.001);
  });

  test("the comparison and the split check read split traffic only, however much direct traffic a variant has", () => {
    const split = {
      control: { visitors: 3000, signups: 150 },
      cheap: { visitors: 3000, signups: 150 },
      late: { visitors: 3000, signups: 150 },
    };
    // An ad campaign on cheap's own URL: 6,000 more visitors converting at 10 %.
    const all = { ...split, cheap: { visitors: 9000, signups: 750 } };
    const windows = [...experimentWindows(concept, epochs, range).perVariant.values(), paceWindow(today)];
    const table = (arms: Record<string, Counts>) =>
      countsTable(
        Object.fromEntries(
          [...windows, experimentWindows(concept, epochs, range).currentSplit].map((w) => [windowKey(w), arms]),
        ),
      );
    const report = composeExperimentReport({
      concept,
      testWindow: range,
      today,
      data: { epochs, counts: table(all), split: table(split) },
    });
    expect(report.srm.mismatch).toBe(false);
    expect(report.srm.observed).toEqual([3000, 3000, 3000]);
    expect(report.variants[1]?.counts).toEqual(split.cheap);
    expect(report.variants[1]?.comparison?.outcome).not.toBe("better");
  });

  test("without any data every figure is defined", () => {
    const report = composeExperimentReport({
      concept,
      testWindow: range,
      today,
      data: splitOnly({ epochs, counts: countsTable({}) }),
    });
    for (const row of report.variants) {
      expect(row.rate).toBe(0);
      expect(Number.isNaN(row.probabilityBest)).toBe(false);
    }
    expect(report.variants[1]?.comparison?.status).toBe("keep testing");
  });

  test("a window the store did not gather is an error, not a week without traffic", () => {
    const counts = countsTable({});
    counts.delete(windowKey(paceWindow(today)));
    expect(() =>
      composeExperimentReport({ concept, testWindow: range, today, data: splitOnly({ epochs, counts }) }),
    ).toThrow(/no counts were gathered for 2026-11-19\.\.2026-11-25/);
  });
});

test.each([
  [0, "2000-01-01"],
  [Date.parse("2026-11-10T00:00:00Z"), "2026-11-10"],
  [Date.parse("2026-11-10T09:30:00Z"), "2026-11-11"],
])("firstWholeDay(%i) = %s: a change mid-day counts from the next midnight", (ms, day) => {
  expect(firstWholeDay(ms)).toBe(day);
});

test("variantSeries accumulates conversion day by day, null before a first visitor", () => {
  const series = variantSeries(
    [
      { variant: "a", day: "2026-11-02", visitors: 10, signups: 1 },
      { variant: "a", day: "2026-11-03", visitors: 10, signups: 3 },
    ],
    ["2026-11-01", "2026-11-02", "2026-11-03"],
    ["a"],
  );
  expect(series.get("a")).toEqual({ cumulativeRate: [null, 0.1, 0.2], signups: [0, 1, 3] });
});
